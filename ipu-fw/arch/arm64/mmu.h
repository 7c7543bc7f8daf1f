/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Stage-1 EL1 identity map (VA == PA), 4 KiB granule, 48-bit VA.
 *
 * Everything is mapped before the MMU is turned on and the tables never
 * change afterwards, so no break-before-make or TLB shoot-down is ever
 * needed and every core can share one set of tables.
 */
#ifndef _FW_ARM64_MMU_H
#define _FW_ARM64_MMU_H

#include "lib/types.h"

enum mmu_attr {
	MMU_NORMAL_RW,	/* write-back, inner shareable, never executable */
	MMU_NORMAL_RO,	/* read-only data */
	MMU_NORMAL_RX,	/* code: read-only, executable */
	MMU_DEVICE,	/* Device-nGnRE, never executable */
	MMU_DEVICE_STRICT, /* Device-nGnRnE: no early write acknowledgement */
	MMU_NORMAL_NC_OSH, /* normal non-cacheable, outer shareable, RW */
	MMU_NORMAL_OSH,	/* write-back, outer shareable, RW */
};

/* The register values every core loads to join the shared map. */
struct mmu_config {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};

/* Reset the table pool and compute the configuration for this CPU. */
int mmu_init(void);
/* Identity-map [base, base + size), widened to whole pages. */
int mmu_map(u64 base, u64 size, enum mmu_attr attr);
/* Map a RAM region read-write, leaving out the firmware image itself. */
int mmu_map_ram(u64 base, u64 size);
/* Map the image: code RX, rodata RO, data RW, stacks RW around guards. */
int mmu_map_image(void);
/* Turn on the MMU and caches on this core (tables must be complete). */
void mmu_enable(void);
const struct mmu_config *mmu_get_config(void);
unsigned int mmu_tables_used(void);
unsigned int mmu_pa_bits(void);
const char *mmu_attr_name(enum mmu_attr attr);

/* Image layout from the linker script. */
extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[];
extern char __stacks_start[], __stacks_end[];

/* Data cache maintenance by address range, to the point of coherency. */
void dcache_clean_range(u64 start, u64 end);
void dcache_inval_range(u64 start, u64 end);

#endif /* _FW_ARM64_MMU_H */
