#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# IPU restarts faster than one liveness tick (S3, S6): the IPU side is
# killed without warning and started again, repeatedly, while custody
# events and swaps run. Each restart must be noticed (new boot id, so a new
# epoch), custody replayed, no answer enforced stale, and at the end the
# IPU's pool must hold exactly what the host says it handed over.
# Needs ipuctl (testbed) with ipu-sim or the firmware.
. "$(dirname "$0")/../lib.sh"

RESTARTS=5
tap_plan 7
# Post past the last ring_base the driver published, then reload: the new
# load must continue after every ring position in use, or the IPU takes an
# old slot for a new one and its tail runs past the host's head.
oae_load
oae_wait_state up 10
oae-swap --count 3000 > /dev/null
oae_unload
oae_load
oae_wait_state up 10
errs=$(oae_stat ring_errors)
oae_swap_run rl --count 3000
tap_check "after a reload, posting continues after every old ring position" \
	sh -c "[ $errs = 0 ] && [ $(oae_stat ring_errors) = 0 ] && [ $rl_tokens_posted = 3000 ]"
# A restart takes far less than this tick, so the host never sees the
# IPU stopped: only the boot id (and epoch) tell it what happened.
echo 300 > $OAE_CLASS/oae0/heartbeat_ms
echo 10 > $OAE_CLASS/oae0/dead_threshold
epoch0=$(cat $OAE_CLASS/oae0/epoch)
restarts0=$(oae_stat ipu_restarts)

oae-custody --ms $(( (RESTARTS + 3) * 1500 )) --tokens 3 > /tmp/custody.out &
pid=$!
sleep 1
i=0
while [ $i -lt $RESTARTS ]; do
	ipuctl crash > /dev/null || tap_diag "ipuctl crash failed"
	sleep 1.5
	i=$((i + 1))
done
wait $pid
rc=$?
for kv in $(cat /tmp/custody.out); do
	eval "c_${kv%%=*}=${kv#*=}"
done
tap_diag "oae-custody: $(echo $(cat /tmp/custody.out))"
restarts=$(( $(oae_stat ipu_restarts) - restarts0 ))
epoch1=$(cat $OAE_CLASS/oae0/epoch)
tap_diag "restarts noticed $restarts, epoch $epoch0 -> $epoch1, deaths $(oae_stat deaths)"

tap_check "the custody run completed" test "$rc" = 0
tap_check "every restart was noticed: a new epoch each time ($epoch0 -> $epoch1)" \
	test $((epoch1 - epoch0)) -ge $RESTARTS
# A restart that a slow machine pushes past the run's end is not the run's.
run_epochs=$((c_epoch_last - c_epoch_first))
tap_check "custody replayed after every new epoch of the run ($c_replays replays, $run_epochs epochs)" \
	test "$c_replays" -ge "$run_epochs" -a "$run_epochs" -ge $((RESTARTS - 1))
tap_check "no answer enforced stale ($c_stale), none granted beyond the view" \
	sh -c "[ $c_stale = 0 ] && [ $c_drain_mismatch = 0 ] && [ $(oae_stat stale_enforcements) = 0 ]"
tap_check "swaps were served between restarts ($c_committed committed)" \
	test "$c_committed" -gt 1000
tap_check "tokens conserved: posted $c_tokens_posted = granted $c_tokens_granted, view left $c_pool_left" \
	sh -c "[ $c_tokens_posted = $c_tokens_granted ] && [ $c_pool_left = 0 ]"
oae_unload
tap_done
