// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Per-core stacks and secondary hand-off (see smp.h).
 */
#include "arch/arm64/mmu.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/sysreg.h"

/* Not zeroed or loaded: the linker script puts .stacks in NOLOAD space. */
u8 fw_stacks[FW_MAX_CORES][FW_STACK_SLOT_SIZE]
	__aligned(4096) __section(".stacks");

static struct secondary_boot secondary_boot[FW_MAX_CORES] __aligned(64);

u64 arm64_secondary_entry_pa(void)
{
	/* Identity map: the link address is the physical address. */
	return (u64)secondary_entry;
}

u64 arm64_prepare_secondary(unsigned int slot, unsigned int core_id)
{
	const struct mmu_config *cfg = mmu_get_config();
	struct secondary_boot *sb = &secondary_boot[slot];

	sb->mair = cfg->mair;
	sb->tcr = cfg->tcr;
	sb->ttbr0 = cfg->ttbr0;
	sb->sctlr = cfg->sctlr;
	sb->slot = slot;
	sb->core_id = core_id;
	/* The new core reads this with its MMU and caches off. */
	dcache_clean_range((u64)sb, (u64)(sb + 1));
	return (u64)sb;
}

void arm64_stack_bounds(unsigned int slot, u64 *lo, u64 *hi)
{
	u64 base = (u64)fw_stacks[slot];

	*lo = base + FW_GUARD_SIZE;
	*hi = base + FW_STACK_TOP;
}

void arm64_set_core_id(unsigned int core_id)
{
	u64 slot = current_stack_slot();

	write_sysreg(tpidr_el1, core_id | slot << FW_TPIDR_SLOT_SHIFT);
}
