#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# IPU death and recovery (S6): a stopped or silent IPU is declared dead,
# callers fall back at once, the module unloads cleanly; a restarted IPU is
# re-attached with a new epoch and swaps resume. Needs ipuctl (testbed)
# with ipu-sim or the firmware (both take --fail-after).
. "$(dirname "$0")/../lib.sh"

tap_plan 9
oae_load
oae_wait_state up 5
echo 10 > $OAE_CLASS/oae0/heartbeat_ms
echo 20 > $OAE_CLASS/oae0/dead_threshold
epoch0=$(cat $OAE_CLASS/oae0/epoch)

ipuctl stop > /dev/null
tap_check "stopped IPU (HALTED) is declared dead" oae_wait_state dead 2
oae_swap_run d --count 1000
tap_check "swaps fall back at once while dead" \
	sh -c "[ $d_fallbacks = 1000 ] && [ $d_committed = 0 ]"

ipuctl start > /dev/null
tap_check "restarted IPU: link comes back up" oae_wait_state up 10
epoch1=$(cat $OAE_CLASS/oae0/epoch)
tap_check "re-attached with a new epoch ($epoch0 -> $epoch1)" test "$epoch1" -gt "$epoch0"
# A busy host can starve an emulated IPU for 200 ms: this check is about
# swaps resuming, so liveness gets more slack while it runs.
echo 200 > $OAE_CLASS/oae0/dead_threshold
oae_swap_run r --count 2000 --sleep
echo 20 > $OAE_CLASS/oae0/dead_threshold
# Under emulation an IPU core can be descheduled past the wait bound, so
# some swaps are withdrawn; every swap must still be accounted for.
tap_check "swaps resume after recovery, none stale" \
	sh -c "[ $r_committed -ge 1800 ] && [ $r_stale = 0 ] && [ $((r_committed + r_withdrawn)) = 2000 ] && [ $r_tokens_posted = $r_tokens_granted ]"

# A silent IPU (no HALTED, no heartbeat): missed alternations.
ipuctl restart --fail-after 500 > /dev/null
oae_wait_state up 10
start=$(date +%s)
oae_swap_run s --count 3000 --sleep
tap_diag "silent IPU: $s_committed committed before it went silent, $s_fallbacks fallbacks"
tap_check "silent IPU is declared dead by missed heartbeats" oae_wait_state dead 3
tap_check "a silent IPU costs callers at most the wait bound: no stale, no hang" \
	sh -c "[ $s_stale = 0 ] && [ $((s_committed + s_withdrawn + s_fallbacks)) = 3000 ] && [ \$(( \$(date +%s) - $start )) -lt 60 ]"
oae_unload
tap_check "module unloads cleanly while the IPU is dead" sh -c "! grep -q '^oae_ipu ' /proc/modules"
ipuctl restart > /dev/null
oae_load
tap_check "reload against the restarted IPU comes up" oae_wait_state up 10
oae_unload
tap_done
