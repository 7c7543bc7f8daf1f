#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Processes and regions: two processes, each with its own region mapped at
# once, both read back right; a child SIGKILLed while it faults through a
# region four times the budget dies of SIGKILL within a bounded time (no
# unkillable wait) and the device then serves a fresh region right; the
# middle third of a region unmapped, the outer thirds keep their data, the
# hole is SIGSEGV, and a new mapping of the file still holds the middle.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
tap_plan 8
oae_mem_setup $BUDGET

oae_mem_run t twoproc --pages $((BUDGET * 4)) --order random --passes 2
r=$?
tap_check "two processes with a region each at once ($t_regions_at_once regions), both read back right ($t_mismatches mismatches)" \
	test "$r" = 0 -a "$t_regions_at_once" = 2 -a "$t_mismatches" = 0

oae_mem_run k killchild --pages $((BUDGET * 8)) --after-ms 1000 --bound-ms 5000
tap_check "a child SIGKILLed while faulting ($k_touches_before_kill touches) died of SIGKILL within 5 s (${k_reap_ms}ms)" \
	test "$k_reaped" = yes -a "$k_signal" = 9
tap_check "after the kill a fresh region reads back right ($k_fresh_mismatches mismatches)" \
	test "$k_fresh_mismatches" = 0

# A third above the budget, so the kept thirds are evicted and come back.
third=$((BUDGET + BUDGET / 2))
oae_mem_run m munmap-middle --pages $((third * 3))
tap_check "munmap of the middle third: the outer thirds keep their data through a rewrite" \
	test "$m_kept_mismatches" = 0 -a "$m_kept_after_rewrite" = 0
tap_check "touching the hole is SIGSEGV (signal $m_hole_signal)" test "$m_hole_signal" = 11
tap_check "a new mapping of the same file still holds every page" \
	test "$m_remap_middle_mismatches" = 0 -a "$m_remap_outer_mismatches" = 0
oae_mem_done
