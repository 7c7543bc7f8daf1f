#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Nothing leaks: after integrity, two-process, killed-child, partial
# munmap and access-path runs, once every process is gone, every region is
# released (regions 0), no page is left in either tier, every page
# allocated was freed; kmemleak (in kernels that have it) reports nothing
# of the module; rmmod succeeds.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
tap_plan 8
oae_mem_setup $BUDGET
failed=
oae_mem_run x integrity --pages $((BUDGET * 4)) --order random || failed="$failed integrity"
oae_mem_run x twoproc --pages $((BUDGET * 2)) || failed="$failed twoproc"
oae_mem_run x killchild --pages $((BUDGET * 4)) --after-ms 300 || failed="$failed killchild"
oae_mem_run x munmap-middle --pages $((BUDGET * 3)) || failed="$failed munmap-middle"
oae_mem_run x paths --pages $((BUDGET * 2)) || failed="$failed paths"
tap_check "the workloads ran cleanly${failed:+ (failed:$failed)}" test -z "$failed"
# The last file reference may be dropped a moment after the process ends.
tries=100
while [ $tries -gt 0 ] && [ "$(oae_mem_stat regions)" != 0 ]; do
	sleep 0.1
	tries=$((tries - 1))
done
oae_mem_counters
tap_check "every region released (regions $(oae_mem_stat regions))" \
	test "$(oae_mem_stat regions)" = 0
tap_check "no page left in either tier (fast $(oae_mem_stat pages_fast), slow $(oae_mem_stat pages_slow))" \
	test "$(oae_mem_stat pages_fast)" = 0 -a "$(oae_mem_stat pages_slow)" = 0
alloc=$(oae_mem_stat pages_allocated)
freed=$(oae_mem_stat pages_freed)
tap_check "every page allocated was freed ($alloc allocated, $freed freed)" \
	test "$alloc" -gt 0 -a "$alloc" = "$freed"
kml=/sys/kernel/debug/kmemleak
if [ -w $kml ]; then
	# kmemleak reports objects unreferenced for 5 s or more.
	sleep 6
	echo scan > $kml
	if grep -qi oae $kml; then
		grep -i -B 3 -A 12 oae $kml | head -n 60 | sed 's/^/#   /'
		tap_fail "kmemleak: no leak of the module"
	else
		tap_pass "kmemleak: no leak of the module"
	fi
else
	tap_skip "kmemleak: no leak of the module" "no $kml in this kernel (KASAN=1 flavour)"
fi
tap_check "stale enforcements: 0" test "$(oae_mem_stat stale)" = 0
oae_unload
tap_check "rmmod succeeds once every region is released" sh -c "! grep -q '^oae_ipu ' /proc/modules"
tap_done
