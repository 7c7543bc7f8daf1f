#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Tracepoints: a committed swap, a commit-time abort, a withdrawal, a
# fallback and the state changes each show up in events/oae_ipu with the
# right fields. Needs ipuctl (testbed) and tracefs.
. "$(dirname "$0")/../lib.sh"

tap_plan 5
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
oae_load
oae_wait_state up 5
echo 0 > $T/tracing_on
echo > $T/trace
echo 1 > $T/events/oae_ipu/enable
echo 1 > $T/tracing_on

# A generous bound: an emulated IPU may be slow to answer the first swaps.
echo 50000000 > $OAE_CLASS/oae0/swap_timeout_ns
oae-swap --count 20 --abort-every 2 --sleep > /dev/null
echo 1000 > $OAE_CLASS/oae0/spin_budget_ns
# The IPU answers 1 ms after it sees an offer: every swap is withdrawn.
ipuctl restart --latency-ns 500000 > /dev/null
oae_wait_state up 10
oae-swap --count 4 > /dev/null
ipuctl stop > /dev/null
oae_wait_state dead 5
oae-swap --count 2 > /dev/null
echo 0 > $T/tracing_on
# Read before unloading: removing the module clears its events.
trace=$(cat $T/trace)
echo 0 > $T/events/oae_ipu/enable
oae_unload
ipuctl start > /dev/null

has() { echo "$trace" | grep -qE "$1"; }
tap_check "oae_swap: committed swaps with link, seq, op and rtt" \
	has 'oae_swap: link=0 seq=[0-9]+ op=1 result=0 rtt_ns=[1-9]'
tap_check "oae_abort: commit-time check (reason=stale_object, result -ECANCELED)" \
	sh -c "echo \"\$0\" | grep -q 'reason=stale_object' && echo \"\$0\" | grep -q 'result=-125'" "$trace"
tap_check "oae_abort: withdrawal at the spin budget (reason=withdrawn, result -ETIMEDOUT)" \
	sh -c "echo \"\$0\" | grep -q 'reason=withdrawn' && echo \"\$0\" | grep -q 'result=-110'" "$trace"
tap_check "oae_fallback: swaps while the IPU is dead" has 'oae_fallback: link=0 state='
tap_check "oae_state: up -> dead and re-attach" has 'oae_state: state [0-9] -> [0-9] epoch=[0-9]+'
tap_done
