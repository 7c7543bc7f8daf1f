#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Integrity under eviction: with a fast-tier budget of 64 pages, a region
# four times as large gets a distinct pattern in every word of every page
# and is read back (two passes each) in sequential, reverse and random
# order with no mismatch. Pages were evicted, decisions came from the IPU,
# the fast tier never held more than the budget, nothing was enforced
# stale. Prints the counters the issue's closing note asks for.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
PAGES=$((BUDGET * 4))
tap_plan 9
oae_mem_setup $BUDGET
written=0
max_fast=0
seed=1
for order in seq rev random; do
	i_mismatches=
	oae_mem_start integrity --pages $PAGES --order $order --passes 2 --seed $seed
	# The fast tier, sampled while the region is in use.
	while kill -0 $MEM_PID 2>/dev/null; do
		f=$(oae_mem_stat pages_fast)
		[ "${f:-0}" -gt $max_fast ] && max_fast=$f
		sleep 0.1
	done
	oae_mem_wait i
	r=$?
	tap_check "$order: every word of $PAGES pages read back right ($i_mismatches mismatches)" \
		test "$r" = 0 -a "$i_mismatches" = 0
	written=$((written + ${i_pages_written:-0}))
	seed=$((seed + 1))
done
tap_diag "pages written $written, faults $(oae_mem_stat faults) (major $(oae_mem_stat major)), evictions $(oae_mem_stat evictions), prefetch hits $(oae_mem_stat prefetch_hits) of $(oae_mem_stat prefetched) prefetched"
tap_check "pages were evicted ($(oae_mem_stat evictions))" \
	test "$(oae_mem_stat evictions)" -gt 0
tap_check "decisions were made on the IPU ($(oae_mem_stat ipu_decisions), local $(oae_mem_stat local_decisions))" \
	test "$(oae_mem_stat ipu_decisions)" -gt 0
tap_check "the fast tier never held more than the budget (at most $max_fast of $BUDGET pages seen)" \
	test "$max_fast" -le $BUDGET -a "$max_fast" -gt 0
tap_check "every page written was counted as allocated ($(oae_mem_stat pages_allocated) >= $PAGES)" \
	test "$(oae_mem_stat pages_allocated)" -ge $PAGES
oae_mem_done
