/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Device register access. Each access is exactly one plain load or store
 * of the given width with no address writeback, so a hypervisor that traps
 * the access (a fully decoded ESR syndrome) can emulate it, and the
 * compiler can neither merge, split nor drop it. Ordering between accesses
 * to one device comes from the Device-nGnRE mapping.
 */
#ifndef _FW_ARM64_MMIO_H
#define _FW_ARM64_MMIO_H

#include "lib/types.h"

static inline u32 mmio_read32(u64 addr)
{
	u32 val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

static inline void mmio_write32(u64 addr, u32 val)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

#endif /* _FW_ARM64_MMIO_H */
