// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Identity map and MMU enable (see mmu.h).
 *
 * Memory types, and why:
 *  - RAM and the host window are Normal write-back, inner shareable. The
 *    cores share the window and their own data through the inner-shareable
 *    coherent caches, and Neoverse N1 exclusives and atomics are only
 *    architecturally defined on Normal cacheable memory.
 *  - MMIO (UART, GIC, device register BARs) is Device-nGnRE: no
 *    speculation, no merging or reordering of accesses to a device, while
 *    still allowing early write acknowledgment as PCIe posted writes do.
 *  - PCIe ECAM is Device-nGnRnE: a configuration write (BAR placement,
 *    COMMAND.MEM) must have completed at the root complex before the
 *    code that relies on it runs, so no early acknowledgement.
 *  - The host window takes the type its board asks for
 *    (board_window_memtype()): write-back inner shareable where the
 *    window is coherent with the cores (QEMU), outer shareable or
 *    non-cacheable where it is host memory across PCIe.
 *  - Nothing is writable and executable at once (SCTLR.WXN enforces it).
 */
#include "arch/arm64/mmu.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/sysreg.h"

#define MMU_TABLE_ENTRIES	512
#define MMU_MAX_TABLES		32
#define MMU_VA_BITS		48

/* MAIR_EL1 attribute slots */
#define MT_DEVICE_nGnRE		0
#define MT_NORMAL_WB		1
#define MT_NORMAL_NC		2
#define MT_DEVICE_nGnRnE	3
#define MAIR_VALUE		((0x04UL << (8 * MT_DEVICE_nGnRE)) |	\
				 (0xffUL << (8 * MT_NORMAL_WB)) |	\
				 (0x44UL << (8 * MT_NORMAL_NC)) |	\
				 (0x00UL << (8 * MT_DEVICE_nGnRnE)))

/* Translation table descriptor bits */
#define PTE_VALID		(1UL << 0)
#define PTE_TABLE		(1UL << 1)	/* levels 0-2: next-level table */
#define PTE_PAGE		(1UL << 1)	/* level 3: page */
#define PTE_ATTRINDX(n)		((u64)(n) << 2)
#define PTE_AP_RO		(1UL << 7)
#define PTE_SH_OUTER		(2UL << 8)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_AF			(1UL << 10)
#define PTE_PXN			(1UL << 53)
#define PTE_UXN			(1UL << 54)
#define PTE_ADDR_MASK		0x0000fffffffff000UL
#define PTE_TYPE_MASK		3UL

/* TCR_EL1 */
#define TCR_T0SZ		(64 - MMU_VA_BITS)
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_TG0_4K		(0UL << 14)
#define TCR_EPD1		(1UL << 23)	/* no TTBR1 walks */
#define TCR_IPS_SHIFT		32

static u64 mmu_tables[MMU_MAX_TABLES][MMU_TABLE_ENTRIES] __aligned(4096);
static unsigned int mmu_nr_tables;
static unsigned int mmu_pa_size_bits;
static struct mmu_config mmu_cfg;

static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

const char *mmu_attr_name(enum mmu_attr attr)
{
	switch (attr) {
	case MMU_NORMAL_RW:
		return "normal WB inner-shareable RW";
	case MMU_NORMAL_RO:
		return "normal WB inner-shareable RO";
	case MMU_NORMAL_RX:
		return "normal WB inner-shareable RX";
	case MMU_DEVICE:
		return "device nGnRE";
	case MMU_DEVICE_STRICT:
		return "device nGnRnE";
	case MMU_NORMAL_NC_OSH:
		return "normal NC outer-shareable RW";
	case MMU_NORMAL_OSH:
		return "normal WB outer-shareable RW";
	}
	return "?";
}

static u64 *mmu_alloc_table(void)
{
	u64 *table;
	unsigned int i;

	if (mmu_nr_tables >= MMU_MAX_TABLES)
		return NULL;
	table = mmu_tables[mmu_nr_tables++];
	for (i = 0; i < MMU_TABLE_ENTRIES; i++)
		table[i] = 0;
	return table;
}

int mmu_init(void)
{
	unsigned int parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange >= ARRAY_SIZE(parange_bits))
		return -EINVAL;
	/* 52-bit output needs the LPA2/64K formats: stay with 48. */
	if (parange > 5)
		parange = 5;
	mmu_pa_size_bits = parange_bits[parange];

	mmu_nr_tables = 0;
	mmu_cfg.ttbr0 = (u64)mmu_alloc_table();
	mmu_cfg.mair = MAIR_VALUE;
	mmu_cfg.tcr = TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
		      TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 |
		      (u64)parange << TCR_IPS_SHIFT;
	mmu_cfg.sctlr = SCTLR_EL1_MMU_OFF | SCTLR_M | SCTLR_C | SCTLR_I |
			SCTLR_WXN;
	return 0;
}

static u64 mmu_leaf_attrs(enum mmu_attr attr)
{
	u64 bits = PTE_AF | PTE_UXN;

	switch (attr) {
	case MMU_NORMAL_RW:
		return bits | PTE_ATTRINDX(MT_NORMAL_WB) | PTE_SH_INNER |
		       PTE_PXN;
	case MMU_NORMAL_RO:
		return bits | PTE_ATTRINDX(MT_NORMAL_WB) | PTE_SH_INNER |
		       PTE_AP_RO | PTE_PXN;
	case MMU_NORMAL_RX:
		return bits | PTE_ATTRINDX(MT_NORMAL_WB) | PTE_SH_INNER |
		       PTE_AP_RO;
	case MMU_NORMAL_OSH:
		return bits | PTE_ATTRINDX(MT_NORMAL_WB) | PTE_SH_OUTER |
		       PTE_PXN;
	case MMU_NORMAL_NC_OSH:
		return bits | PTE_ATTRINDX(MT_NORMAL_NC) | PTE_SH_OUTER |
		       PTE_PXN;
	case MMU_DEVICE_STRICT:
		return bits | PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_PXN;
	case MMU_DEVICE:
	default:
		return bits | PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_PXN;
	}
}

/*
 * Map [va, end) at @level of @table using the largest blocks that fit
 * (1 GiB at level 1, 2 MiB at level 2, else 4 KiB pages). Refuses to map
 * over anything already mapped: regions must not overlap.
 */
static int mmu_map_level(u64 *table, unsigned int level, u64 va, u64 end,
			 u64 attrs)
{
	unsigned int shift = 39 - 9 * level;
	u64 span = 1UL << shift;
	u64 next, *pte, *sub;
	int err;

	while (va < end) {
		next = ALIGN_DOWN(va, span) + span;
		if (next > end)
			next = end;
		pte = &table[(va >> shift) & (MMU_TABLE_ENTRIES - 1)];

		if (level == 3) {
			if (*pte)
				return -EEXIST;
			*pte = va | attrs | PTE_PAGE | PTE_VALID;
		} else if (level >= 1 && !*pte && IS_ALIGNED(va, span) &&
			   next - va == span) {
			*pte = va | attrs | PTE_VALID;	/* block */
		} else {
			if (!*pte) {
				sub = mmu_alloc_table();
				if (!sub)
					return -ENOMEM;
				*pte = (u64)sub | PTE_TABLE | PTE_VALID;
			} else if ((*pte & PTE_TYPE_MASK) !=
				   (PTE_TABLE | PTE_VALID)) {
				return -EEXIST;	/* a block covers this */
			}
			sub = (u64 *)(*pte & PTE_ADDR_MASK);
			err = mmu_map_level(sub, level + 1, va, next, attrs);
			if (err)
				return err;
		}
		va = next;
	}
	return 0;
}

int mmu_map(u64 base, u64 size, enum mmu_attr attr)
{
	u64 start = ALIGN_DOWN(base, SZ_4K), end;

	if (!mmu_cfg.ttbr0)
		return -ENOMEM;
	if (!size || base + (size - 1) < base)
		return -EINVAL;
	end = base + (size - 1);
	if (end >> mmu_pa_size_bits || end >> MMU_VA_BITS)
		return -ERANGE;		/* beyond what the CPU can address */
	end = ALIGN_DOWN(end, SZ_4K) + SZ_4K;
	return mmu_map_level((u64 *)mmu_cfg.ttbr0, 0, start, end,
			     mmu_leaf_attrs(attr));
}

int mmu_map_ram(u64 base, u64 size)
{
	u64 end = base + size;
	u64 img_start = (u64)__image_start, img_end = (u64)__image_end;
	int err = 0;

	if (!size || end < base)
		return -EINVAL;
	if (img_end <= base || img_start >= end)
		return mmu_map(base, size, MMU_NORMAL_RW);
	if (img_start > base)
		err = mmu_map(base, img_start - base, MMU_NORMAL_RW);
	if (!err && end > img_end)
		err = mmu_map(img_end, end - img_end, MMU_NORMAL_RW);
	return err;
}

int mmu_map_image(void)
{
	unsigned int slot;
	u64 s;
	int err;

	err = mmu_map((u64)__text_start, __text_end - __text_start,
		      MMU_NORMAL_RX);
	if (!err)
		err = mmu_map((u64)__rodata_start,
			      __rodata_end - __rodata_start, MMU_NORMAL_RO);
	if (!err)
		err = mmu_map((u64)__data_start, __bss_end - __data_start,
			      MMU_NORMAL_RW);
	for (slot = 0; !err && slot < FW_MAX_CORES; slot++) {
		s = (u64)fw_stacks[slot];
		err = mmu_map(s + FW_GUARD_SIZE, FW_STACK_SIZE, MMU_NORMAL_RW);
		if (!err)
			err = mmu_map(s + FW_STACK_TOP + FW_GUARD_SIZE,
				      FW_EXC_STACK_SIZE, MMU_NORMAL_RW);
	}
	return err;
}

void mmu_enable(void)
{
	/*
	 * Lines for the image may be left in the caches by whoever loaded
	 * us; everything we wrote so far went to memory (caches off).
	 * Drop those lines so nothing stale shadows our data or tables.
	 */
	dcache_inval_range((u64)__image_start, (u64)__image_end);

	write_sysreg(mair_el1, mmu_cfg.mair);
	write_sysreg(tcr_el1, mmu_cfg.tcr);
	write_sysreg(ttbr0_el1, mmu_cfg.ttbr0);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	__asm__ volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, mmu_cfg.sctlr);
	isb();
}

const struct mmu_config *mmu_get_config(void)
{
	return &mmu_cfg;
}

unsigned int mmu_tables_used(void)
{
	return mmu_nr_tables;
}

unsigned int mmu_pa_bits(void)
{
	return mmu_pa_size_bits;
}

static u64 dcache_line_size(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void dcache_clean_range(u64 start, u64 end)
{
	u64 line = dcache_line_size();

	for (start = ALIGN_DOWN(start, line); start < end; start += line)
		__asm__ volatile("dc cvac, %0" : : "r"(start) : "memory");
	dsb(sy);
}

void dcache_inval_range(u64 start, u64 end)
{
	u64 line = dcache_line_size();

	for (start = ALIGN_DOWN(start, line); start < end; start += line)
		__asm__ volatile("dc ivac, %0" : : "r"(start) : "memory");
	dsb(sy);
}
