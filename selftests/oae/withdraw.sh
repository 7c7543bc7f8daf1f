#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Withdrawal under a slow IPU: synchronous (atomic-context) swaps spin for
# their budget, never for the sleepable wait bound, so with a 0.5 ms budget
# below the modelled PCIe round trip they are withdrawn; late reflections
# are discarded and the IPU reverts, so both sides agree on what was
# committed and every token comes back. Sleepable swaps wait up to
# swap_timeout_ns and end on a fatal signal. Needs ipuctl (testbed) with
# ipu-sim or firmware.
. "$(dirname "$0")/../lib.sh"

tap_plan 6
ipuctl restart --latency-ns 2000000 > /dev/null
oae_load
oae_wait_state up 10
# The sleepable bound is huge: only the spin budget can end these waits.
echo 10000000000 > $OAE_CLASS/oae0/swap_timeout_ns
echo 500000 > $OAE_CLASS/oae0/spin_budget_ns
h0=$(oae_stat committed)
c0=$(oae_ipu_stat swaps_committed)
oae_swap_run w --count 300 --tokens 3 --want 2
# The budget is liveness only: a caller descheduled past it may still
# find the answer there and commit it, on both sides. Under emulation
# that happens; nearly every swap is withdrawn.
tap_check "synchronous swaps are withdrawn at the 0.5 ms spin budget, not the 10 s wait bound (IPU answers after 4 ms)" \
	sh -c "[ $w_withdrawn -ge 270 ] && [ $((w_committed + w_withdrawn)) = 300 ]"
sleep 0.2
h1=$(oae_stat committed)
c1=$(oae_ipu_stat swaps_committed)
tap_diag "committed: host $((h1 - h0)), IPU $((c1 - c0))"
tap_check "the IPU committed exactly what the host committed" \
	test $((c1 - c0)) = $((h1 - h0))
echo 200000000 > $OAE_CLASS/oae0/swap_timeout_ns
oae_swap_run f --count 20 --tokens 0 --want 0 --sleep
tap_diag "IPU answered $(oae_ipu_stat swaps_answered), aborted $(oae_ipu_stat swaps_aborted)"
tap_check "sleepable swaps wait for the same slow IPU and commit (median rtt $f_rtt_median_ns ns)" \
	sh -c "[ $f_committed -ge 18 ] && [ $((f_committed + f_withdrawn)) = 20 ]"
tap_check "tokens conserved across withdrawals and late answers" \
	test "$((w_tokens_granted + f_tokens_found + f_tokens_granted))" = "$((w_tokens_posted + f_tokens_posted))"
# A fatal signal ends a long run at once (TERM, unhandled: background
# jobs of a non-interactive shell ignore INT): the sleepable swap waiting
# on the slow IPU is withdrawn (-EINTR), the synchronous loop stops
# between swaps. Each run would take over 8 s without the signal.
echo 10000000000 > $OAE_CLASS/oae0/swap_timeout_ns
for mode in sleepable synchronous; do
	args="--count 20000"
	[ $mode = sleepable ] && args="--sleep --count 2000"
	h0=$(oae_stat committed)
	c0=$(oae_ipu_stat swaps_committed)
	start=$(date +%s)
	oae-swap $args --tokens 0 --want 0 > /dev/null 2>&1 &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid
	rc=$?
	took=$(( $(date +%s) - start ))
	sleep 0.2
	h1=$(oae_stat committed)
	c1=$(oae_ipu_stat swaps_committed)
	tap_diag "oae-swap $args: exit $rc after ${took}s; committed host $((h1 - h0)), IPU $((c1 - c0))"
	tap_check "SIGTERM ends a $mode run at once, both sides agree" \
		sh -c "[ $rc != 0 ] && [ $took -le 3 ] && [ $((c1 - c0)) = $((h1 - h0)) ]"
done
oae_unload
ipuctl restart > /dev/null
tap_done
