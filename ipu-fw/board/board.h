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
	BOARD_MEM_SHARED,	/* the host window: board_window_memtype() */
	BOARD_MEM_DEVICE,	/* MMIO: Device-nGnRE, uncached */
	BOARD_MEM_DEVICE_STRICT, /* MMIO whose writes must complete before
				  * the next access (PCIe ECAM): nGnRnE */
};

/*
 * How the host window is reached, which decides its mapping and whether
 * the runtime must maintain caches around it:
 *   CACHED_COHERENT     normal write-back, inner shareable; the host's
 *                       accesses snoop the cores' caches (QEMU: the window
 *                       is the emulator's RAM; a CXL-style coherent link)
 *   CACHED_NONCOHERENT  normal write-back, outer shareable, no snooping:
 *                       the runtime cleans what it publishes and
 *                       invalidates what it is about to read
 *                       (board_window_clean/invalidate)
 *   NONCACHED           normal non-cacheable, outer shareable: host memory
 *                       across PCIe, every access goes to the link
 */
enum board_window_memtype {
	BOARD_WINDOW_CACHED_COHERENT,
	BOARD_WINDOW_CACHED_NONCOHERENT,
	BOARD_WINDOW_NONCACHED,
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

/* The host window's memory type (see enum board_window_memtype). */
enum board_window_memtype board_window_memtype(void);

/*
 * Cache maintenance around the host window, by address range. clean:
 * what the IPU wrote reaches the point where the host reads it.
 * invalidate: the next read of the range fetches what the host wrote.
 * Called by the runtime only when board_window_memtype() is
 * CACHED_NONCOHERENT; a board without such a window may do nothing.
 */
void board_window_clean(const void *start, u64 len);
void board_window_invalidate(const void *start, u64 len);

/*
 * The publish barrier (board/<board>/window.h, inline because it is on
 * every publish): orders every earlier store to the window before the
 * publish word that follows, for the host as observer. The host sits
 * outside the cores' inner-shareable domain on real hardware, so a board
 * there uses "dmb oshst"; QEMU's window is coherent RAM, where the
 * release store alone is enough.
 */
#include "board/board_window.h"

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
