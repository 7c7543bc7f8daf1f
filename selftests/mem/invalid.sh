#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Refused input changes nothing. Every refused mmap of the device returns
# its errno (MAP_PRIVATE, an offset not 0 or unaligned, length 0: EINVAL;
# over mem_region_max_pages: EFBIG; PROT_EXEC: EPERM; a second mmap longer
# than the region: EINVAL; mprotect(PROT_EXEC): EACCES), moves no counter
# and leaves the file usable. Every mem_* sysfs knob has its documented
# default, takes a valid value, and refuses out-of-range or garbage values
# with EINVAL, unchanged, with a log line.
. "$(dirname "$0")/../lib.sh"

tap_plan 20
oae_load
oae_wait_state up 10
dev=$OAE_CLASS/oae0
defaults="mem_budget_pages=256 mem_prefetch_window=4 mem_evict=clock mem_prefetch=stride mem_mode=bilateral mem_region_max_pages=65536 mem_sample=0"
ok=1
for kv in $defaults; do
	got=$(cat $dev/${kv%%=*})
	[ "$got" = "${kv#*=}" ] || { tap_diag "${kv%%=*} reads '$got', documented default ${kv#*=}"; ok=0; }
done
tap_check "every mem_* knob reads its documented default" test $ok = 1

oae_mem_run v invalid
oae_mem_result map_private "MAP_PRIVATE: EINVAL, nothing changed"
oae_mem_result offset_nonzero "a non-zero offset: EINVAL, nothing changed"
oae_mem_result offset_unaligned "an unaligned offset: EINVAL, nothing changed"
oae_mem_result length_zero "length 0: EINVAL, nothing changed"
oae_mem_result length_over_max "length over mem_region_max_pages: EFBIG, nothing changed"
oae_mem_result prot_exec "PROT_EXEC: EPERM, nothing changed"
oae_mem_result second_mmap_larger "a second mmap longer than the region: EINVAL, nothing changed"
oae_mem_result second_mmap_same_region "a shorter second mmap maps the same region"
oae_mem_result mprotect_exec "mprotect(PROT_EXEC): EACCES, data and counters unchanged"

# knob NAME GOOD BAD...: GOOD sticks, every BAD is EINVAL and unchanged.
knob() {
	oae_mem_run kb knob "$@"
	r=$?
	tap_check "$1: '$2' taken, out-of-range and garbage refused with EINVAL, unchanged" \
		test $r = 0
}
knob mem_budget_pages 64 0 4097 -1 abc 1.5 "" 99999999999999999999
knob mem_prefetch_window 0 17 -1 x 4x ""
knob mem_evict fifo lru 1 "clock fifo" ""
knob mem_prefetch sequential random 2 seq ""
knob mem_mode local fito 0 "local bilateral" ""
knob mem_region_max_pages 1024 0 1048577 -1 abc ""
knob mem_sample 1 2 -1 yes ""
# Logging is rate-limited (user space can write at will): check the first.
tap_check "refused knob writes are logged" \
	sh -c "dmesg | grep -q \"mem_budget_pages: rejected '0'\""
tap_check "the valid values stuck to the end" \
	test "$(cat $dev/mem_budget_pages)/$(cat $dev/mem_mode)/$(cat $dev/mem_sample)" = 64/local/1
oae_mem_done
