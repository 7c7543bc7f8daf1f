#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A malformed IPU: every answer is broken in one way. Each is counted as a
# protocol error of the right kind, nothing is enforced, and the host stays
# healthy. Needs ipuctl (testbed) with ipu-sim or the firmware.
#
# mode:kind:minimum of 200 swaps. An answer published under a later swap number is
# first a bad_seq; when the host reaches that number it is the answer to
# another offer and fails as bad_reflect or bad_digest instead.
. "$(dirname "$0")/../lib.sh"

MODES="wrong-echo:bad_reflect:100 wrong-epoch:bad_digest:100
	out-of-range:bad_field:100 torn:bad_digest:100 bad-seq:bad_seq:100"
tap_plan 6
for m in $MODES; do
	mode=${m%%:*} rest=${m#*:}
	kind=${rest%%:*} min=${rest#*:}
	ipuctl restart --garbage $mode > /dev/null || tap_diag "ipuctl restart failed"
	oae_load
	oae_wait_state up 10
	# Generous: an emulated IPU core on a busy host can miss 5 ms often.
	echo 50000000 > $OAE_CLASS/oae0/swap_timeout_ns
	oae_swap_run g --count 200 --sleep
	n=$(oae_stat protocol_errors_$kind)
	ok=1
	# Every swap failed or was withdrawn (an emulated IPU core can be
	# descheduled past the wait bound); none was enforced.
	[ "$g_committed" = 0 ] || ok=0
	[ $((g_protocol_errors + g_withdrawn)) = 200 ] || ok=0
	[ "$n" -ge "$min" ] || ok=0
	[ "$(cat $OAE_CLASS/oae0/state)" = up ] || ok=0
	tap_diag "$mode: committed $g_committed, protocol errors $g_protocol_errors, $kind $n"
	oae_unload || ok=0
	[ $ok = 1 ] && tap_pass "--garbage $mode: counted as $kind, nothing enforced, host up" ||
		tap_fail "--garbage $mode: counted as $kind, nothing enforced, host up"
done
ipuctl restart > /dev/null
oae_load
oae_wait_state up 10
echo 50000000 > $OAE_CLASS/oae0/swap_timeout_ns
oae_swap_run h --count 500 --sleep
tap_check "after the garbage: a good IPU swaps cleanly again" \
	sh -c "[ $h_committed -ge 450 ] && [ $((h_committed + h_withdrawn)) = 500 ] && [ $h_stale = 0 ] && [ $h_protocol_errors = 0 ]"
oae_unload
tap_done
