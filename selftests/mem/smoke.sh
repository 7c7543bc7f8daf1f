#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke test for any IPU (the firmware in particular): a small integrity
# run over a region twice the fast-tier budget reads back right with its
# decisions made on the IPU, none stale.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-32}
tap_plan 4
oae_mem_setup $BUDGET 30
s_mismatches=
oae_mem_run s integrity --pages $((BUDGET * 2)) --order seq
r=$?
tap_check "every word read back right ($s_mismatches mismatches)" \
	test "$r" = 0 -a "$s_mismatches" = 0
tap_check "decisions were made on the IPU ($(oae_mem_stat ipu_decisions), local $(oae_mem_stat local_decisions))" \
	test "$(oae_mem_stat ipu_decisions)" -gt 0
oae_mem_done
