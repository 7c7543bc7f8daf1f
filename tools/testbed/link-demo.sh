#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The testbed's main job, run inside the guest by "make run": bring the link
# up against the emulated IPU (ipu-sim or the firmware), run swaps over
# every link (a scheduling and a memory link per host CPU), and show both
# sides' books agreeing.
set -e
dev=/sys/class/oae/oae0
dbg=/sys/kernel/debug/oae/oae0
stat() { sed -n "s/^$2 //p" $dbg/$1; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo "== oae-ipu testbed: host $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, IPU: ${OAE_IPU:-?}"
echo "== IPU window (as the IPU published it)"
oae-window dump | sed 's/^/   /'
insmod /oae/modules/oae_ipu.ko
[ -d $dev ] || { echo "oae_ipu did not bind the IPU window"; dmesg | tail; exit 1; }
for i in $(seq 100); do
	[ "$(cat $dev/state)" = up ] && break
	sleep 0.05
done
dmesg | grep -E 'oae_ipu|oae oae0' | sed 's/^/   /'
echo "== $dev"
for f in state ipu_state abi_version epoch nr_links links_per_class \
	swap_timeout_ns spin_budget_ns; do
	printf '   %-16s %s\n' "$f" "$(cat $dev/$f)"
done
[ "$(cat $dev/state)" = up ] || { echo "link did not come up"; exit 1; }

echo "== swaps: echo policy, one test token posted as a custody event per swap"
echo "   (sched links spin at most spin_budget_ns, then withdraw and decide"
echo "   locally; mem links sleep up to swap_timeout_ns)"
printf '   %-26s %8s %9s %9s %6s %10s %10s\n' workload swaps committed withdrawn stale median_ns p99_ns
# Every CPU has a scheduling link (cpu: atomic callers, sync and
# split-phase) and a memory link (links_per_class + cpu: sleepable).
n=$(cat $dev/nr_links)
per_class=$(cat $dev/links_per_class)
for cpu in $(seq 0 $((n - 1))); do
	for job in "$cpu sync" "$cpu --split" "$cpu --abort-every 4" \
		   "$((per_class + cpu)) --sleep"; do
		link=${job%% *}
		mode=${job#* }
		[ "$mode" = sync ] && mode=
		out=$(oae-swap --link $link --count 20000 --tokens 1 --want 1 $mode)
		class=sched
		[ "$link" -ge "$per_class" ] && class=mem
		printf '   %-26s %8s %9s %9s %6s %10s %10s\n' \
			"cpu $cpu $class ${mode:-sync}" "$(kv "$out" count)" \
			"$(kv "$out" committed)" "$(kv "$out" withdrawn)" \
			"$(kv "$out" stale)" "$(kv "$out" rtt_median_ns)" \
			"$(kv "$out" rtt_p99_ns)"
	done
done

echo "== both sides' books"
printf '   %-34s %s\n' "host committed" "$(stat stats committed)" \
	"IPU committed" "$(stat ipu swaps_committed)" \
	"host aborted (commit-time check)" "$(stat stats aborted_stale_object)" \
	"host withdrawn" "$(stat stats withdrawn)" \
	"stale enforcements" "$(stat stats stale_enforcements)" \
	"protocol errors" "$(grep -h '^protocol_errors' $dbg/stats | awk '{ s += $2 } END { print s }')"
rmmod oae_ipu
echo "== link came up, swaps ran, the module unloaded cleanly"
