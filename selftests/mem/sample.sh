#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fault-path sampling hook (sysfs mem_sample): off by default and then
# posts nothing however many faults there are; switched on, every fault
# in the region posts exactly one access sample (the kprobe sees each
# fault's attempt under the mmap lock, the one the handler serves);
# switched off again, the samples stop.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
tap_plan 6
oae_mem_setup $BUDGET
tap_check "mem_sample is off by default" test "$(cat $OAE_CLASS/oae0/mem_sample)" = 0

# scan VAR: one integrity run; VAR_faults and VAR_samples its deltas.
scan() {
	f0=$(oae_mem_stat faults)
	s0=$(oae_mem_stat samples)
	oae-mem-test integrity --pages $((BUDGET * 4)) --order random > /dev/null ||
		tap_diag "integrity run failed"
	eval "${1}_faults=$(( $(oae_mem_stat faults) - f0 ))"
	eval "${1}_samples=$(( $(oae_mem_stat samples) - s0 ))"
	tap_diag "mem_sample $(cat $OAE_CLASS/oae0/mem_sample): $(( $(oae_mem_stat faults) - f0 )) faults, $(( $(oae_mem_stat samples) - s0 )) samples"
}
scan off
tap_check "off: no sample posted during $off_faults faults" \
	test "$off_faults" -gt 0 -a "$off_samples" = 0
oae_mem_set mem_sample 1
scan on
tap_check "on: one sample per fault ($on_samples samples, $on_faults faults)" \
	test "$on_faults" -gt 0 -a "$on_samples" = "$on_faults"
oae_mem_set mem_sample 0
scan again
tap_check "off again: no sample posted during $again_faults faults" \
	test "$again_faults" -gt 0 -a "$again_samples" = 0
oae_mem_done
