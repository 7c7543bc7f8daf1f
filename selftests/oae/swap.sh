#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Swap round trips against a live IPU (echo policy): every committed answer
# reflects its offer and accounts for every event posted before it (stale
# must be 0), tokens are conserved across commits, aborts and withdrawals,
# and both sides agree on what was committed.
. "$(dirname "$0")/../lib.sh"

COUNT=${COUNT:-100000}
tap_plan 10
oae_load
oae_wait_state up 5
# The IPU may have committed swaps for an earlier load: count from here.
ipu_c0=$(oae_ipu_stat swaps_committed)

ok_run() {	# DESC PREFIX: no stale, no protocol error, tokens conserved
	eval "st=\$${2}_stale pe=\$${2}_protocol_errors tp=\$${2}_tokens_posted tg=\$${2}_tokens_granted"
	[ "$st" = 0 ] && [ "$pe" = 0 ] && [ "$tp" = "$tg" ]
}

oae_swap_run big --count "$COUNT" --link 0
tap_check "$COUNT swaps: no stale enforcement, no protocol error, tokens conserved" ok_run x big
# Synchronous swaps spin for at most 1 ms; an emulated IPU core or vCPU
# descheduled on a busy host misses that often (liveness only: those are
# withdrawn). Sleepable swaps wait up to swap_timeout_ns (5 ms).
tap_check "$COUNT synchronous swaps: most committed, the rest withdrawn, none lost" \
	test $((big_committed * 2)) -ge "$COUNT" -a \
	$((big_committed + big_withdrawn)) = "$COUNT"

oae_swap_run l1 --count 2000 --link 1
tap_check "link 1 (second host CPU) swaps cleanly" ok_run x l1

oae_swap_run split --count 2000 --split
tap_check "ticket swaps (start, poll, the caller commits) and spent tickets refused" \
	sh -c "[ $split_stale = 0 ] && [ $split_protocol_errors = 0 ] && [ $split_tokens_posted = $split_tokens_granted ] && [ $split_ticket_errors = 0 ] && [ $split_committed -gt 0 ]"

oae_swap_run slp --count 2000 --sleep
tap_check "sleepable swaps: most committed, none stale, tokens conserved" \
	sh -c "[ $slp_stale = 0 ] && [ $slp_protocol_errors = 0 ] && [ $slp_tokens_posted = $slp_tokens_granted ] && [ $((slp_committed * 2)) -ge 2000 ]"

# CPU 0's memory-class link sits after every scheduling link.
mem=$(cat $OAE_CLASS/oae0/links_per_class)
oae_swap_run mem --count 2000 --sleep --link "$mem"
tap_check "CPU 0's memory link (link $mem) swaps cleanly" ok_run x mem

oae_swap_run ab --count 3000 --abort-every 3 --tokens 2 --want 5 --sleep
# A third of the answered swaps (withdrawals fall on any of them).
tap_check "commit-time check aborts every 3rd swap; tokens come back" \
	sh -c "[ $ab_aborted -gt 0 ] && [ $((ab_aborted * 4)) -ge $((ab_committed + ab_aborted)) ] && [ $((ab_aborted * 2)) -le $((ab_committed + ab_aborted)) ] && [ $ab_stale = 0 ] && [ $ab_tokens_posted = $ab_tokens_granted ]"

# Both sides agree: the IPU committed exactly what the host committed.
host_c=$(oae_stat committed)
ipu_c=$(( $(oae_ipu_stat swaps_committed) - ipu_c0 ))
tap_diag "committed: host $host_c, ipu $ipu_c; stale_enforcements $(oae_stat stale_enforcements)"
tap_check "IPU and host agree on committed swaps" test "$host_c" = "$ipu_c"
tap_check "debugfs stale_enforcements is 0" test "$(oae_stat stale_enforcements)" = 0

bad=0
for args in "--link 99" "--link $((2 * mem))" "--count 0" "--flags 64" \
	"--split --sleep" "--flags 4" "--budget-ns 1000001"; do
	if oae-swap $args > /dev/null 2>&1; then
		tap_diag "oae-swap $args succeeded"
		bad=1
	fi
done
tap_check "invalid test requests are refused (EINVAL)" test $bad = 0
oae_unload
tap_done
