/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The board interface: everything the firmware needs from the platform it
 * runs on. The QEMU virt board (board/qemu-virt/) implements it from the
 * device tree and PCIe; a port to the real IPU is another implementation
 * of these functions and nothing else (see Documentation/firmware.rst).
 *
 * Call order, all on the boot core: board_init() first (the console works
 * once it returns, even if it failed), board_describe(), then
 * board_find_window(), then
 * board_mem_regions() for the MMU, then board_start_core() for the other
 * cores. The MMU may still be off during board_init() and
 * board_find_window(); code there must not rely on caches or atomics.
 */
#ifndef _FW_BOARD_H
#define _FW_BOARD_H

#include "lib/types.h"

enum board_mem_type {
	BOARD_MEM_RAM,		/* firmware RAM: normal, cacheable */
	BOARD_MEM_SHARED,	/* the host window: normal, cacheable */
	BOARD_MEM_DEVICE,	/* MMIO: device, uncached */
};

struct board_mem_region {
	u64 base;
	u64 size;
	enum board_mem_type type;
	const char *name;
};

/*
 * Discover the platform and bring up the console. @boot_arg is x0 at
 * entry (a DTB address under the Linux boot protocol, 0 from QEMU for an
 * ELF). Returns 0, or a negative errno after printing why.
 */
int board_init(u64 boot_arg);
const char *board_name(void);
/* Print what board_init() found, for the boot log. */
void board_describe(void);

/* The boot arguments the platform passed (never NULL; "" if none). */
const char *board_bootargs(void);

/* Emit one raw byte on the console (no newline translation). */
void board_console_putc(char c);

/*
 * Locate the host-shared window, make it reachable (on QEMU: assign and
 * enable the ivshmem BARs) and return its CPU physical address and size.
 * Returns 0, or a negative errno after printing what is missing.
 */
int board_find_window(u64 *base, u64 *size);

/*
 * Every region the MMU must map, RAM first. Complete only after
 * board_find_window(). Returns the number of entries written (<= max).
 */
unsigned int board_mem_regions(struct board_mem_region *regions,
			       unsigned int max);

/* Cores on the board; index 0 is the boot core. */
unsigned int board_nr_cores(void);
u64 board_core_mpidr(unsigned int index);

/*
 * Power on core @index (>= 1) at physical address @entry with @context in
 * x0. Returns 0 once the request is accepted, or a negative errno after
 * printing why.
 */
int board_start_core(unsigned int index, u64 entry, u64 context);

#endif /* _FW_BOARD_H */
