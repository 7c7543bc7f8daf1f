#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every task runs: stress-ng the way sched_ext's own CI runs schedulers
# (CPU, fork, yield and affinity churn, --aggressive) for 30 s under
# scx_oae. Every worker completes, the scheduler is still attached at the
# end, decisions came from the IPU, and none was stale. The testbed fails
# the run on any BUG:/WARNING:/stall on the console.
. "$(dirname "$0")/../lib.sh"

STRESS_SECS=${STRESS_SECS:-30}
tap_plan 6
oae_load
oae_wait_state up 10
scx_start || { tap_fail "scx_oae attaches"; tap_done; }
n=$(nproc)
stress-ng --timeout "$STRESS_SECS" --aggressive -M \
	--cpu "$n" --fork "$n" --yield "$n" \
	--affinity "$n" --affinity-delay 1 --affinity-pin \
	--metrics-brief > /tmp/stress.log 2>&1
rc=$?
sed 's/^/#   /' /tmp/stress.log | tail -n 12
tap_check "stress-ng completed every worker (exit 0)" test $rc = 0
tap_check "scx_oae still attached at the end" scx_enabled
sleep 1
scx_stop_and_check
if grep -qi 'EXIT:.*\(error\|stall\|watchdog\|runnable task\)' $SCX_LOG; then
	sed 's/^/#   /' $SCX_LOG
	tap_fail "no watchdog or error exit"
else
	tap_pass "no watchdog or error exit"
fi
oae_unload
tap_done
