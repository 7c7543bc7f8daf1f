#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The testbed's main job, run inside the guest by "make run": the
# scheduling offload. oae_ipu.ko brings the link up against the emulated
# IPU (ipu-sim or the firmware), scx_oae attaches, and one mixed workload
# (CPU, fork, context switches) runs three times: under the kernel's
# default scheduler, under scx_oae deciding locally (the same BPF program's
# vtime policy, never asking the IPU), and under scx_oae with every pick
# decided on the IPU by a bilateral swap. The summary shows where the
# decisions were made, what they cost and the completion times side by side.
set -e
dev=/sys/class/oae/oae0
n=$(nproc)
# Fixed work, so completion time is the measure (bogo-op limits; the
# yield stressor ignores its limit, so it is not used).
WORKLOAD="--cpu $n --cpu-ops 150 --fork $n --fork-ops 15 --switch 1 --switch-ops 10000"

kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# run_workload LABEL: the workload's completion time in seconds.
run_workload() {
	out=$(stress-ng $WORKLOAD --metrics-brief 2>&1) || {
		echo "$out" | sed 's/^/   /' >&2
		echo "stress-ng failed under $1" >&2
		exit 1
	}
	echo "$out" | sed -n 's/.*successful run completed in \([0-9.]*\).*/\1/p' | tail -n 1
}

# with_scx LABEL ARGS...: run the workload under scx_oae ARGS; sets
# t_LABEL and stats_LABEL (scx_oae's final stats line).
with_scx() {
	label=$1
	shift
	scx_oae "$@" > /tmp/scx_$label.log 2>&1 &
	pid=$!
	for i in $(seq 200); do
		[ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	[ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ] || {
		sed 's/^/   /' /tmp/scx_$label.log
		echo "scx_oae $* did not attach"
		exit 1
	}
	t=$(run_workload "scx_oae $*")
	kill -INT $pid
	wait $pid || { sed 's/^/   /' /tmp/scx_$label.log; echo "scx_oae $* failed"; exit 1; }
	eval "t_$label=$t"
	eval "stats_$label=\"\$(grep 'ipu=' /tmp/scx_$label.log | tail -n 1)\""
}

echo "== oae-ipu testbed: host $(uname -r), $n CPUs, IPU: ${OAE_IPU:-?}"
insmod /oae/modules/oae_ipu.ko
[ -d $dev ] || { echo "oae_ipu did not bind the IPU window"; dmesg | tail; exit 1; }
for i in $(seq 200); do
	[ "$(cat $dev/state)" = up ] && break
	sleep 0.05
done
[ "$(cat $dev/state)" = up ] || { echo "link did not come up"; exit 1; }
echo "   link up: epoch $(cat $dev/epoch), $(cat $dev/nr_links) links, ABI $(cat $dev/abi_version)"
echo "== workload: stress-ng $WORKLOAD"

echo "   1/3 kernel default scheduler (EEVDF)"
t_default=$(run_workload "the default scheduler")
echo "   2/3 scx_oae --mode local (local vtime, no IPU)"
with_scx local --mode local
echo "   3/3 scx_oae --mode bilateral (every pick a swap with the IPU)"
with_scx ipu --mode bilateral --policy vtime
s=$stats_ipu
# The first run in a fresh guest also warms caches: run the default once
# more, last, so an order effect shows instead of hiding in the ratios.
echo "   again: kernel default scheduler, last"
t_default2=$(run_workload "the default scheduler")

echo "== where the decisions were made (scx_oae --mode bilateral)"
printf '   %-28s %s\n' \
	"decided on the IPU" "$(kv "$s" ipu)" \
	"decided locally" "$(kv "$s" local)" \
	"withdrawn (budget expired)" "$(kv "$s" withdrawn)" \
	"local fallbacks" "$(kv "$s" fallback)" \
	"stale enforcements" "$(kv "$s" stale)"
echo "== what they cost"
printf '   %-28s %s\n' "decision latency median" "$(kv "$s" lat_med)" \
	"decision latency p99" "$(kv "$s" lat_p99)"
echo "   aborts by reason: $(echo "$s" | sed -n 's/.*aborts{\([^}]*\)}.*/\1/p')"
echo "   scx_oae: $s"
echo "== completion time of the same workload (ratio to the first default run)"
printf '   %-34s %8s %8s\n' scheduler seconds ratio
for row in "default:kernel default (EEVDF)" "local:scx_oae local vtime" "ipu:scx_oae bilateral (IPU)" "default2:kernel default, run again last"; do
	key=${row%%:*}
	eval "t=\$t_$key"
	printf '   %-34s %8s %8s\n' "${row#*:}" "$t" \
		"$(echo "$t $t_default" | awk '{ printf "%.2fx", $1 / $2 }')"
done
rmmod oae_ipu
[ "$(kv "$s" stale)" = 0 ] || { echo "STALE ENFORCEMENTS: $(kv "$s" stale)"; exit 1; }
echo "== offloaded scheduler ran the workload, 0 stale, the module unloaded cleanly"
