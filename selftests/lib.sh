# SPDX-License-Identifier: GPL-2.0
# Minimal TAP 13 helpers for the guest-side selftests (busybox sh).
# Source it, call tap_plan N, then one tap_* per test; tap_done exits
# 1 if any test failed, else 0.

TAP_N=0
TAP_FAILED=0

tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

tap_pass() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

tap_diag() {
	echo "# $*"
}

# tap_check DESC CMD...: one test, passing when CMD succeeds.
tap_check() {
	desc=$1
	shift
	if "$@"; then tap_pass "$desc"; else tap_fail "$desc"; fi
}

tap_done() {
	[ "$TAP_FAILED" = 0 ]
	exit $?
}

# The guest keeps the staged build in /oae (see tools/testbed/run).
OAE_MODDIR=${OAE_MODDIR:-/oae/modules}
OAE_CLASS=/sys/class/oae

# The testbed's ipu-sim naps between polls (tens of microseconds per round
# trip under TCG, milliseconds when a vCPU is descheduled): synchronous
# swaps get the largest spin budget unless a test sets its own.
OAE_TEST_SPIN_BUDGET_NS=1000000

oae_load() {
	insmod "$OAE_MODDIR/oae_ipu.ko" "$@" || return
	[ -w $OAE_CLASS/oae0/spin_budget_ns ] &&
		echo $OAE_TEST_SPIN_BUDGET_NS > $OAE_CLASS/oae0/spin_budget_ns
	return 0
}

oae_unload() {
	rmmod oae_ipu
}

oae_loaded() {
	grep -q '^oae_ipu ' /proc/modules
}

# oae_wait_state STATE [SECONDS]: wait until oae0's link state is STATE.
oae_wait_state() {
	want=$1
	tries=$(( ${2:-5} * 20 ))
	while [ $tries -gt 0 ]; do
		[ "$(cat $OAE_CLASS/oae0/state 2>/dev/null)" = "$want" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	tap_diag "oae0 state is '$(cat $OAE_CLASS/oae0/state 2>/dev/null)', wanted '$want'"
	return 1
}

# oae_swap_run VAR_PREFIX ARGS...: run oae-swap, export its key=value
# results as shell variables VAR_PREFIX_key; returns oae-swap's status.
oae_swap_run() {
	prefix=$1
	shift
	out=$(oae-swap "$@")
	rc=$?
	kv_eval "$prefix" "$out"
	tap_diag "oae-swap $*: $(echo $out)"
	return $rc
}

# kv_eval PREFIX TEXT: every key=value word of TEXT as the shell variable
# PREFIX_key (other words, and values a shell would read as code, skipped).
kv_eval() {
	set -f
	for kv in $2; do
		case ${kv%%=*} in
		"$kv" | '' | *[!a-z0-9_]*) continue ;;
		esac
		case ${kv#*=} in
		*[!A-Za-z0-9_.:-]*) continue ;;
		esac
		eval "${1}_${kv%%=*}=${kv#*=}"
	done
	set +f
}

# oae_stat NAME: one counter from debugfs stats.
oae_stat() {
	sed -n "s/^$1 //p" /sys/kernel/debug/oae/oae0/stats
}

oae_ipu_stat() {
	sed -n "s/^$1 //p" /sys/kernel/debug/oae/oae0/ipu
}

# oae_ipu_kill_watch STAT LOCAL IPU SETTLE WATCH: kill the IPU side
# (ipuctl kill) while a workload runs; two TAP results: it is declared
# dead, and while dead (WATCH seconds, SETTLE seconds after that) every
# decision is local: counter LOCAL rises, IPU stands still. STAT KEY
# prints a counter (scx_stat, oae_mem_stat); IPU's last value is left in
# DEAD_IPU.
oae_ipu_kill_watch() {
	ipuctl kill > /dev/null
	tap_check "the killed IPU is declared dead" oae_wait_state dead 5
	sleep "$4"
	dead_l0=$($1 "$2")
	dead_i0=$($1 "$3")
	sleep "$5"
	dead_l1=$($1 "$2")
	DEAD_IPU=$($1 "$3")
	tap_diag "while dead: $3 $dead_i0 -> $DEAD_IPU, $2 $dead_l0 -> $dead_l1"
	tap_check "while dead every decision is local" \
		test "$dead_l1" -gt "$dead_l0" -a "$DEAD_IPU" = "$dead_i0"
}

# scx_oae (tools/sched_ext) in the background. scx_start ARGS...: start it
# with its output in $SCX_LOG and wait until sched_ext runs it; scx_stop:
# SIGINT, wait, return its exit status; scx_stat KEY: KEY's value on the
# last stats line it printed (the final one after scx_stop).
SCX_LOG=/tmp/scx_oae.log

scx_enabled() {
	[ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ] &&
		case "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" in
		oae*) return 0 ;;
		*) return 1 ;;
		esac
}

scx_start() {
	scx_oae --stats 1 "$@" > $SCX_LOG 2>&1 &
	SCX_PID=$!
	tries=200
	while [ $tries -gt 0 ]; do
		scx_enabled && return 0
		kill -0 $SCX_PID 2>/dev/null || break
		sleep 0.05
		tries=$((tries - 1))
	done
	tap_diag "scx_oae $* did not attach:"
	sed 's/^/#   /' $SCX_LOG
	return 1
}

scx_stop() {
	kill -INT $SCX_PID 2>/dev/null
	wait $SCX_PID
	rc=$?
	SCX_PID=
	return $rc
}

scx_stat() {
	grep 'ipu=' $SCX_LOG | tail -n 1 | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# scx_stop_and_check: stop scx_oae and assert what every scheduling test
# ends with (three TAP results): a clean detach, decisions made on the
# IPU, no stale enforcement.
scx_stop_and_check() {
	scx_stop
	rc=$?
	tap_diag "$(scx_last_stats)"
	tap_check "scx_oae detached cleanly" test $rc = 0
	tap_check "decisions were made on the IPU" test "$(scx_stat ipu)" -gt 0
	tap_check "stale enforcements: 0" test "$(scx_stat stale)" = 0
}

scx_last_stats() {
	grep 'ipu=' $SCX_LOG | tail -n 1
}

# The offloaded memory device (selftests/mem): oae-mem-test in the
# background. oae_mem_start ARGS...: start it with its output in $MEM_LOG;
# oae_mem_wait PREFIX: wait for it, show its output as diagnostics, set
# PREFIX_key for every key=value it printed, return its exit status;
# oae_mem_run PREFIX ARGS...: both.
MEM_LOG=/tmp/oae-mem-test.log
OAE_MEM_DEBUGFS=/sys/kernel/debug/oae/oae0/mem

oae_mem_start() {
	MEM_ARGS="$*"
	oae-mem-test "$@" > $MEM_LOG 2>&1 &
	MEM_PID=$!
}

oae_mem_wait() {
	wait $MEM_PID
	rc=$?
	out=$(cat $MEM_LOG)
	tap_diag "oae-mem-test $MEM_ARGS (exit $rc):"
	sed 's/^/#   /' $MEM_LOG
	kv_eval "$1" "$out"
	return $rc
}

oae_mem_run() {
	mem_prefix=$1
	shift
	oae_mem_start "$@"
	oae_mem_wait "$mem_prefix"
}

# oae_mem_result NAME DESC: one TAP result from the "PASS NAME: ..." line
# of the last oae-mem-test output ($out); "FAIL NAME" or none fails.
oae_mem_result() {
	if echo "$out" | grep -q "^PASS $1:"; then
		tap_pass "$2"
	else
		echo "$out" | grep -q "^FAIL $1:" ||
			tap_diag "oae-mem-test printed no result for $1"
		tap_fail "$2"
	fi
}

# oae_mem_stat NAME: one counter of the memory device (debugfs).
oae_mem_stat() {
	sed -n "s/^$1 //p" $OAE_MEM_DEBUGFS
}

# oae_mem_set KNOB VALUE: write a mem_* sysfs knob of oae0 and read it
# back; non-zero (said) if refused or not taken.
oae_mem_set() {
	echo "$2" > $OAE_CLASS/oae0/$1 &&
		[ "$(cat $OAE_CLASS/oae0/$1)" = "$2" ] && return 0
	tap_diag "$1: could not set '$2' (reads '$(cat $OAE_CLASS/oae0/$1 2>/dev/null)')"
	return 1
}

# oae_mem_setup BUDGET: load the module, wait for the link, set the
# fast-tier budget (TAP result), as every memory test starts.
oae_mem_setup() {
	oae_load
	oae_wait_state up "${2:-10}"
	tap_check "fast-tier budget set to $1 pages" oae_mem_set mem_budget_pages "$1"
}

# oae_mem_counters: the device's counters as one diagnostic, grouped.
oae_mem_counters() {
	set -- regions pages_fast pages_slow pages_allocated pages_freed \
		faults minor major ipu_decisions local_decisions evictions \
		promotions zero_fills prefetched prefetch_hits
	line=
	for k; do line="$line $k=$(oae_mem_stat $k)"; done
	tap_diag "mem:$line"
	line=
	for k in stale_object pinned bad_answer withdrawn declined; do
		line="$line $k=$(oae_mem_stat aborted_$k)"
	done
	tap_diag "mem aborts by reason:$line"
	line=
	for k in down busy timeout error; do
		line="$line $k=$(oae_mem_stat fallback_$k)"
	done
	tap_diag "mem fallbacks:$line; killed=$(oae_mem_stat killed) post_failed=$(oae_mem_stat post_failed) resyncs=$(oae_mem_stat resyncs) samples=$(oae_mem_stat samples) stale=$(oae_mem_stat stale)"
}

# oae_mem_done: what every memory test ends with: the counters shown, no
# stale enforcement (one TAP result), the module unloaded, tap_done.
oae_mem_done() {
	oae_mem_counters
	tap_check "stale enforcements: 0" test "$(oae_mem_stat stale)" = 0
	oae_unload
	tap_done
}
