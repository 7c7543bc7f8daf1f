#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fairness and affinity under scx_oae with the IPU's weighted vruntime
# policy: a nice 0 and a nice 5 spinner pinned to one CPU share it within
# 15% of the weight ratio 1024:335; N equal spinners on all CPUs get
# shares within 10% of each other; a task restricted to a cpumask never
# runs elsewhere (the task checks itself).
. "$(dirname "$0")/../lib.sh"

FAIR_SECS=${FAIR_SECS:-10}
tap_plan 6
oae_load
oae_wait_state up 10
scx_start --policy vtime || { tap_fail "scx_oae attaches"; tap_done; }
last=$(( $(nproc) - 1 ))

out=$(oae-sched-probe fair --seconds "$FAIR_SECS" --tasks 2 --cpus "$last" \
	--nice 0,5 --expect-within 15)
rc=$?
echo "$out" | sed 's/^/#   /'
tap_check "nice 0 : nice 5 on one CPU within 15% of 1024:335" test $rc = 0

n=$(( $(nproc) * 2 ))
out=$(oae-sched-probe fair --seconds "$FAIR_SECS" --tasks $n --expect-within 10)
rc=$?
echo "$out" | sed 's/^/#   /'
tap_check "$n equal tasks on $(nproc) CPUs: shares within 10%" test $rc = 0

out=$(oae-sched-probe spin --seconds 3 --cpus "$last" & \
	oae-sched-probe spin --seconds 3 --cpus 0 & \
	oae-sched-probe spin --seconds 3 --cpus "0-$last"; wait)
echo "$out" | sed 's/^/#   /'
tap_check "tasks restricted to a cpumask never ran elsewhere" \
	sh -c "echo '$out' | grep -q 'wrong_cpu=0' && ! echo '$out' | grep -q 'wrong_cpu=[1-9]'"

scx_stop_and_check
oae_unload
tap_done
