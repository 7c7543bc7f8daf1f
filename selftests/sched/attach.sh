#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Attach and detach scx_oae 20 times while a workload runs; the workload
# completes, nothing is left attached, and rmmod succeeds afterwards.
. "$(dirname "$0")/../lib.sh"

LOOPS=${LOOPS:-20}
tap_plan 4
oae_load
oae_wait_state up 10
n=$(nproc)
stress-ng --timeout 600 --cpu "$n" --fork "$n" > /tmp/stress.log 2>&1 &
stress=$!
ok=0
i=0
while [ $i -lt "$LOOPS" ]; do
	i=$((i + 1))
	scx_start || break
	sleep 0.3
	scx_stop || { tap_diag "loop $i: scx_oae exited $?"; break; }
	ok=$((ok + 1))
done
tap_check "$LOOPS attach/detach cycles under load ($ok clean)" test $ok = "$LOOPS"
kill -INT $stress
wait $stress
rc=$?
tap_check "the workload survived every cycle (stress-ng exit $rc)" test $rc = 0
tap_check "nothing left attached" \
	sh -c "[ \"\$(cat /sys/kernel/sched_ext/state)\" = disabled ]"
oae_unload
tap_check "rmmod succeeds after the last detach" sh -c "! grep -q '^oae_ipu ' /proc/modules"
tap_done
