#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Withdrawal under a slow IPU: with the wait bound below the modelled PCIe
# round trip every swap is withdrawn; late reflections are discarded and
# the IPU reverts, so both sides agree (nothing committed anywhere) and
# every token comes back. Needs ipuctl (testbed) with ipu-sim or firmware.
. "$(dirname "$0")/../lib.sh"

tap_plan 4
ipuctl restart --latency-ns 2000000 > /dev/null
oae_load
oae_wait_state up 10
echo 500000 > $OAE_CLASS/oae0/swap_timeout_ns
c0=$(oae_ipu_stat swaps_committed)
oae_swap_run w --count 300 --tokens 3 --want 2
tap_check "every swap is withdrawn at the 0.5 ms bound (IPU answers after 4 ms)" \
	test "$w_withdrawn" = 300
sleep 0.2
tap_check "the IPU committed nothing either" test "$(oae_ipu_stat swaps_committed)" = "$c0"
echo 50000000 > $OAE_CLASS/oae0/swap_timeout_ns
oae_swap_run f --count 20 --tokens 0 --want 0
tap_diag "IPU answered $(oae_ipu_stat swaps_answered), aborted $(oae_ipu_stat swaps_aborted)"
tap_check "with a longer bound the same slow IPU commits (median rtt $f_rtt_median_ns ns)" \
	sh -c "[ $f_committed -ge 15 ] && [ $((f_committed + f_withdrawn)) = 20 ]"
tap_check "tokens conserved across withdrawals and late answers" \
	test "$((w_tokens_granted + f_tokens_found + f_tokens_granted))" = "$((w_tokens_posted + f_tokens_posted))"
oae_unload
ipuctl restart > /dev/null
tap_done
