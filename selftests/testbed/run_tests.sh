#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host-side tests of the testbed runner (tools/testbed/run). TAP output;
# exit status non-zero if any test fails.
#
# Every test that boots also checks that the run left nothing behind: no
# process naming its window file, no window file, no work directory. The
# runner reports both paths with -v, which every run here passes.
#
#   selftests/testbed/run_tests.sh [-v]     (-v: show each run's stderr)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
run=$top/tools/testbed/run
fake_sim=$here/fake-ipu-sim
show=0
[ "${1:-}" = -v ] && show=1

tmp=$(mktemp -d /tmp/oae-testbed-tests.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
plan=26

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	local l
	for l in "$@"; do echo "#   $l"; done
	# The run's stderr is the first thing anyone needs to see.
	[ -f "$tmp/err" ] && sed 's/^/#   | /' "$tmp/err" | tail -n 40
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# tb [ENV=VAL...] -- RUNNER-ARGS...: run the runner; sets rc, secs; stdout
# in $tmp/out, stderr in $tmp/err.
tb() {
	local envs=() t0
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	t0=$(date +%s.%N)
	env "${envs[@]}" "$run" -v "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	[ $show = 1 ] && sed 's/^/# stderr: /' "$tmp/err"
	return 0
}

# Paths the last run reported (empty if it never got that far).
run_window() { sed -n 's/^testbed: window \([^ ]*\).*/\1/p' "$tmp/err" | head -1; }
run_workdir() { sed -n 's/^testbed: workdir \(.*\)/\1/p' "$tmp/err" | head -1; }

# leftovers: print what the last run left behind, if anything.
leftovers() {
	local win dir p cmd
	win=$(run_window)
	dir=$(run_workdir)
	if [ -n "$win" ]; then
		[ -e "$win" ] && echo "window file $win still exists"
		for p in /proc/[0-9]*; do
			cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
			case "$cmd" in
			*"$win"*) echo "process ${p#/proc/} still runs: ${cmd:0:120}" ;;
			esac
		done
	fi
	[ -n "$dir" ] && [ -e "$dir" ] && echo "work directory $dir still exists"
	return 0
}

# check DESC COND...: one TAP line; COND is a list of "test expression"
# strings evaluated in order, plus the leftover check.
check() {
	local desc=$1 c why=() left
	shift
	for c in "$@"; do
		eval "$c" || why+=("failed: $c (rc=$rc, ${secs}s)")
	done
	left=$(leftovers)
	[ -n "$left" ] && why+=("left behind: $left")
	if [ ${#why[@]} = 0 ]; then ok "$desc"; else not_ok "$desc" "${why[@]}"; fi
}

has_out() { grep -qF -- "$1" "$tmp/out"; }
has_err() { grep -qF -- "$1" "$tmp/err"; }
fast() { awk -v s="$secs" -v m="$1" 'BEGIN { exit !(s < m) }'; }

echo "TAP version 13"
echo "1..$plan"

# Build (or wait for) the kernel once, so the timed tests time the testbed.
"$top/tools/testbed/build-kernel" >/dev/null 2>"$tmp/build.log" || {
	echo "Bail out! tools/testbed/build-kernel failed: $(tail -n 3 "$tmp/build.log")"
	exit 1
}

tb -- -- true
check "run -- true exits 0" '[ $rc = 0 ]' '[ ! -s "$tmp/out" ]'
echo "# trivial run took ${secs}s (build-kernel cached)"

tb -- -- 'exit 7'
check "a command exiting 7 makes the runner exit 7" '[ $rc = 7 ]'

tb -- -- 'false; echo after; exit 1'
check "a failing command fails the runner" '[ $rc = 1 ]' 'has_out after'

tb -- -- 'echo hello-from-guest; echo to-stderr >&2'
check "command stdout and stderr stream back on stdout, without kernel log" \
	'[ $rc = 0 ]' 'has_out hello-from-guest' 'has_out to-stderr' \
	'! has_out "Linux version"' '! has_out oae-init' '! has_err hello-from-guest'

# The exit record is acknowledged before power-off: nothing may be lost.
tb -- -- 'seq 1 200000; printf no-newline-at-end'
check "200000 lines of output arrive complete, in order, up to the last byte" \
	'[ $rc = 0 ]' 'seq 1 200000 | cmp -s - <(head -n 200000 "$tmp/out")' \
	'[ "$(tail -c 17 "$tmp/out")" = no-newline-at-end ]'

tb -- -- 'echo "WARNING: injected by runner test" >/dev/kmsg; echo done'
check "a kernel WARNING: fails a successful command (exit 3)" \
	'[ $rc = 3 ]' 'has_out done' 'has_err "WARNING: injected by runner test"'

tb -- -- 'echo c >/proc/sysrq-trigger; sleep 600'
check "a guest crash (sysrq c) fails the run promptly (exit 3)" \
	'[ $rc = 3 ]' 'has_err "Kernel panic"' 'fast 120'

tb -- --timeout 15 -- 'echo sleeping; sleep 600'
check "--timeout 15 on sleep 600 exits 124 promptly" \
	'[ $rc = 124 ]' 'has_out sleeping' 'has_err timeout' 'fast 45'

# SIGTERM once the command has started (its output has reached us).
t0=$(date +%s.%N)
"$run" -v -- 'echo started; sleep 600' >"$tmp/out" 2>"$tmp/err" </dev/null &
pid=$!
for _ in $(seq 600); do has_out started && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -TERM $pid
wait $pid
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
check "SIGTERM to the runner mid-run: exit 143, nothing left behind" \
	'[ $rc = 143 ]' 'has_out started' 'has_err SIGTERM'

tb -- --bogus-option -- true
check "unknown option: exit 2 with a message" '[ $rc = 2 ]' 'has_err "unknown option"' 'fast 5'

tb -- --shm-size 3M -- true
check "non-power-of-two --shm-size: exit 2 with a message" \
	'[ $rc = 2 ]' 'has_err "power of two"' 'fast 5'

tb -- --ipu=bogus -- true
rc1=$rc
tb -- --timeout 0 -- true
rc2=$rc
tb --
rc3=$rc
check "bad --ipu, bad --timeout, no COMMAND: exit 2" \
	'[ $rc1 = 2 ] && [ $rc2 = 2 ] && [ $rc3 = 2 ]'

mkdir -p "$tmp/stage/bin" "$tmp/stage/data"
echo "stage-data-ok" >"$tmp/stage/data/file.txt"
printf '#!/bin/sh\necho "stage-tool-ok $1"\n' >"$tmp/stage/bin/stage-tool"
chmod +x "$tmp/stage/bin/stage-tool"
ln -s data/file.txt "$tmp/stage/link.txt"
tb -- --stage "$tmp/stage" -- 'pwd; cat /oae/data/file.txt; cat link.txt; stage-tool x'
check "--stage DIR appears at /oae (cwd, /oae/bin on PATH, symlinks kept)" \
	'[ $rc = 0 ]' 'has_out "/oae"' 'has_out stage-data-ok' 'has_out "stage-tool-ok x"' \
	'[ "$(grep -c stage-data-ok "$tmp/out")" = 2 ]'

tb -- --shm-size 1M -- 'for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1af4:0x1110 ] || continue
	set -- $(sed -n 3p $d/resource); echo "ivshmem $(( $2 - $1 + 1 ))"
done'
check "ivshmem-plain (1af4:1110) is in the guest with BAR2 = --shm-size" \
	'[ $rc = 0 ]' 'has_out "ivshmem 1048576"'

tb -- --cpus 3 --mem 512M -- 'echo "cpus=$(nproc) env=$OAE_CPUS ipu=$OAE_IPU"; grep MemTotal /proc/meminfo'
check "--cpus 3 --mem 512M: the guest has 3 CPUs and about 512M" \
	'[ $rc = 0 ]' 'has_out "cpus=3 env=3 ipu=none"' \
	'[ "$(awk "/MemTotal/ {print (\$2 > 400000 && \$2 < 524288)}" "$tmp/out")" = 1 ]'

tb -- --keep-console "$tmp/console.log" -- 'ipuctl status; echo "ipuctl=$?"'
check "--ipu=none: ipuctl replies 'err no ipu'; --keep-console keeps the log" \
	'[ $rc = 0 ]' 'has_out "err no ipu"' 'has_out "ipuctl=1"' \
	'grep -q "Linux version" "$tmp/console.log"'

# Guest programs: stress-ng and its shared libraries in the initramfs.
tb -- --ipu=none --cpus 2 -- 'stress-ng --cpu 2 --timeout 3s --metrics-brief'
check "stress-ng runs in the guest as a dynamically linked program" \
	'[ $rc = 0 ]' 'has_out "dispatching hogs: 2 cpu"' \
	'has_out "successful run completed"' \
	'grep -qE "metrc: .* cpu +[1-9][0-9]* " "$tmp/out"'

tb -- --ipu=none -- 'stress-ng --no-such-option; echo "status=$?"; stress-ng --no-such-option'
check "an unknown stress-ng option fails; its status reaches the runner" \
	'[ $rc = 1 ]' 'has_out "status=1"' \
	'has_out "no-such-option"'

mkdir -p "$tmp/no-programs"
tb OAE_TESTBED_PROGRAM_PATH="$tmp/no-programs" -- --ipu=none -- true
check "a guest program missing on the host: exit 125 naming its package" \
	'[ $rc = 125 ]' 'has_err "stress-ng not found on the host"' \
	'has_err "package stress-ng"' 'fast 30'

# The IPU-side machinery, against a stand-in for ipu-sim whose log says
# exactly what it was asked to do.
log=$tmp/fake.log
: >"$log"
tb OAE_TESTBED_IPU_SIM="$fake_sim" -- --ipu=sim --cpus 2 \
	--keep-ipu-console "$tmp/ipu.log" --ipu-args "--log $log --tag first" -- '
	ipuctl status; ipuctl stop; ipuctl status
	ipuctl start --tag second; ipuctl restart --tag third
	(ipuctl status >/tmp/a) & (ipuctl status >/tmp/b) & wait; cat /tmp/a /tmp/b
	ipuctl start; echo "dup=$?"; ipuctl frob; echo "frob=$?"'
expect_log="format links=2 tags=first state=0
halt
resume links=2 tags=first,second state=3
halt
resume links=2 tags=first,third state=3
halt"
check "--ipu=sim (stand-in): READY before boot, ipuctl stop/start/restart/status" \
	'[ $rc = 0 ]' 'has_err "READY"' \
	'[ "$(grep -c "^ok running" "$tmp/out")" = 5 ]' \
	'[ "$(grep -c "^ok stopped" "$tmp/out")" = 2 ]' \
	'has_out "err already running"' 'has_out dup=1' 'has_out frob=1' \
	'[ "$(cat "$log")" = "$expect_log" ]' 'grep -q "fake-ipu-sim: ready" "$tmp/ipu.log"'

tb OAE_TESTBED_IPU_SIM="$fake_sim" -- --ipu=sim --ipu-args "--crash-after 0.5" -- 'sleep 3; echo survived'
check "an IPU side that dies on its own fails the run (exit 3)" \
	'[ $rc = 3 ]' 'has_out survived' 'has_err "exited unexpectedly"'

tb OAE_TESTBED_IPU_SIM="$fake_sim" -- --ipu=sim --ipu-args "--fail" -- true
check "an IPU side that fails to start: exit 125 with its stderr" \
	'[ $rc = 125 ]' 'has_err "failing on request"' 'fast 30'

# The firmware side's plumbing (aarch64 QEMU, its ivshmem, UART console,
# FATAL lines), against a stand-in image built here.
fake_fw() {
	aarch64-linux-gnu-gcc -O2 -Wall -ffreestanding -nostdlib -static \
		-mgeneral-regs-only -Wl,--build-id=none -Wl,-Ttext=0x40200000 \
		"$@" "$here/fake-fw.c" 2>>"$tmp/fw-build.log"
}
if command -v aarch64-linux-gnu-gcc >/dev/null &&
	fake_fw -o "$tmp/fw-ok.elf" && fake_fw -DFATAL -o "$tmp/fw-fatal.elf"; then
	tb OAE_TESTBED_FW="$tmp/fw-ok.elf" -- --ipu=fw --timeout 300 \
		--keep-ipu-console "$tmp/fw.log" -- 'ipuctl restart && ipuctl status'
	check "--ipu=fw (stand-in image): READY before boot, ipuctl restart/status" \
		'[ $rc = 0 ]' 'has_err "firmware QEMU READY"' \
		'[ "$(grep -c "^ok running" "$tmp/out")" = 2 ]' \
		'[ "$(grep -c "^fake-fw: ready" "$tmp/fw.log")" = 2 ]'
	tb OAE_TESTBED_FW="$tmp/fw-fatal.elf" -- --ipu=fw --timeout 300 -- true
	check "an 'oae-fw: FATAL' line on the IPU console fails the run (exit 3)" \
		'[ $rc = 3 ]' 'has_err "oae-fw: FATAL injected"'
else
	skip "--ipu=fw (stand-in image): READY before boot, ipuctl restart/status" \
		"no aarch64-linux-gnu-gcc"
	skip "an 'oae-fw: FATAL' line on the IPU console fails the run (exit 3)" \
		"no aarch64-linux-gnu-gcc"
fi

if [ -x "$top/ipu-fw/build/ipu-sim" ]; then
	tb -- --ipu=sim -- 'ipuctl status && ipuctl stop && ipuctl status &&
		ipuctl start && ipuctl status'
	check "--ipu=sim (ipu-sim): READY, ipuctl stop/start/status" \
		'[ $rc = 0 ]' 'has_err "ipu-sim READY"' \
		'[ "$(grep -c "^ok running" "$tmp/out")" = 3 ]' 'has_out "ok stopped"'
else
	skip "--ipu=sim (ipu-sim): READY, ipuctl stop/start/status" "ipu-sim not built"
fi

if [ -f "$top/ipu-fw/build/oae-fw.elf" ]; then
	tb -- --ipu=fw --timeout 300 -- 'ipuctl status && ipuctl restart && ipuctl status'
	check "--ipu=fw: firmware READY, ipuctl restart/status" \
		'[ $rc = 0 ]' 'has_err "firmware QEMU READY"' \
		'[ "$(grep -c "^ok running" "$tmp/out")" = 3 ]'
else
	skip "--ipu=fw: firmware READY, ipuctl restart/status" "oae-fw.elf not built"
fi

[ $n = $plan ] || echo "# planned $plan tests, ran $n"
echo "# $((n - failed)) of $n passed"
[ $failed = 0 ] && [ $n = $plan ]
