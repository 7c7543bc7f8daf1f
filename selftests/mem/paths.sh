#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every way Linux touches a mapping, under eviction pressure (a region
# four times the fast-tier budget, verified whole after each step): write()
# and read() with the region as buffer on a pipe and a file,
# process_vm_readv/writev from another process, fork (shared data both
# ways), mprotect (read-only: reads work, a write is SIGSEGV; RW again),
# madvise(MADV_DONTNEED) keeps the data, mremap (growing is EFAULT, moving
# and shrinking keep the data), and a page held by get_user_pages()
# (vmsplice) is named as a victim but never moved while held.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
tap_plan 12
oae_mem_setup $BUDGET
ev0=$(oae_mem_stat evictions)
pinned0=$(oae_mem_stat aborted_pinned)
local_aborted0=$(oae_mem_stat local_aborted)
oae_mem_run p paths --pages $((BUDGET * 4))
ev1=$(oae_mem_stat evictions)
oae_mem_result pipe "write()/read() on a pipe with the region as buffer"
oae_mem_result file "write()/read() on a file with the region as buffer"
oae_mem_result process_vm "process_vm_readv/process_vm_writev from another process"
oae_mem_result fork "fork: the child sees and changes the shared data, the parent sees it"
oae_mem_result mprotect "mprotect: PROT_READ reads, a write is SIGSEGV, RW again works"
oae_mem_result madvise "madvise(MADV_DONTNEED) keeps the data"
oae_mem_result pinned "a page held by get_user_pages() (vmsplice) does not move while held"
oae_mem_result mremap "mremap: growing is EFAULT, moving and shrinking keep the data"
refused=$(( $(oae_mem_stat aborted_pinned) - pinned0 + $(oae_mem_stat local_aborted) - local_aborted0 ))
tap_check "held pages named as victims were refused ($refused aborts)" \
	test "$refused" -gt 0
tap_check "under eviction pressure ($ev0 -> $ev1 evictions)" test "$ev1" -gt "$ev0"
oae_mem_done
