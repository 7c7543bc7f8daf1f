/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * PCI bus scan, BAR sizing and BAR placement for firmware that owns the
 * bus (no earlier stage assigned anything).
 *
 * Board-independent: configuration space is reached through the accessors
 * in struct pci_cfg (ECAM on QEMU virt, a fake in the unit tests). Devices
 * and the host bridge description are untrusted: BAR masks must be
 * contiguous, sizes powers of two, windows must not wrap, and a BAR is read
 * back after it is programmed.
 */
#ifndef _FW_PCI_H
#define _FW_PCI_H

#include "lib/types.h"

#define PCI_BDF(bus, dev, fn)	((u32)(bus) << 8 | (u32)(dev) << 3 | (fn))
#define PCI_BUS(bdf)		(((bdf) >> 8) & 0xff)
#define PCI_DEV(bdf)		(((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf)		((bdf) & 7)

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x0001
#define  PCI_COMMAND_MEMORY	0x0002
#define  PCI_COMMAND_MASTER	0x0004
#define PCI_CLASS_REVISION	0x08
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_MULTIFUNC	0x80
#define PCI_BAR0		0x10
#define PCI_NR_BARS		6

#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM_TYPE_MASK	0x6
#define PCI_BAR_MEM_TYPE_32	0x0
#define PCI_BAR_MEM_TYPE_1M	0x2	/* legacy "below 1 MiB": treated as 32 */
#define PCI_BAR_MEM_TYPE_64	0x4
#define PCI_BAR_MEM_PREFETCH	0x8

/*
 * Smallest space a memory BAR is given. Rounding small BARs up to a page
 * keeps every BAR in pages of its own, so the MMU can map it with its own
 * attributes without covering a neighbour.
 */
#define PCI_BAR_MIN_ALIGN	0x1000UL

struct pci_cfg {
	u32 (*read32)(void *ctx, u32 bdf, unsigned int reg);
	void (*write32)(void *ctx, u32 bdf, unsigned int reg, u32 val);
	void *ctx;
};

/* One memory window of a host bridge, from its "ranges". */
struct pci_window {
	u64 cpu_base;		/* where the CPU sees the window */
	u64 bus_base;		/* the same window as a PCI bus address */
	u64 size;
	u64 used;		/* bytes handed out from the bottom */
	bool mem64;		/* described as 64-bit memory space */
	bool prefetchable;
};

struct pci_bar {
	unsigned int index;	/* BAR register number, 0..5 */
	bool io;
	bool mem64;		/* occupies index and index + 1 */
	bool prefetchable;
	u64 size;		/* 0: BAR not implemented */
	u64 bus_addr;		/* valid once assigned */
	u64 cpu_addr;
};

static inline u16 pci_read16(const struct pci_cfg *cfg, u32 bdf,
			     unsigned int reg)
{
	return cfg->read32(cfg->ctx, bdf, reg & ~3U) >> ((reg & 2) * 8);
}

/* Check a window from the device tree: non-empty, no wrap on either side. */
int pci_window_validate(const struct pci_window *win);

/*
 * Take @size bytes, aligned to @size, from @win. @size must be a power of
 * two; @below_4g restricts the result to 32-bit bus addresses. Returns 0 and
 * the bus address, or -ENOSPC / -EINVAL without changing @win.
 */
int pci_window_alloc(struct pci_window *win, u64 size, bool below_4g,
		     u64 *bus_addr);

/*
 * Find @vendor:@device on @bus (functions of multi-function devices
 * included). Returns 0 with *bdf set, or -ENODEV.
 */
int pci_find_device(const struct pci_cfg *cfg, unsigned int bus, u16 vendor,
		    u16 device, u32 *bdf);

/*
 * Size BAR @index of @bdf (decode is disabled while the BAR holds all
 * ones, then the original values and command are restored). Returns 0 with
 * bar->size == 0 for an unimplemented BAR, or -EINVAL for a BAR whose mask
 * is impossible.
 */
int pci_bar_probe(const struct pci_cfg *cfg, u32 bdf, unsigned int index,
		  struct pci_bar *bar);

/*
 * Give a sized memory BAR a size-aligned home in one of @windows (64-bit
 * BARs prefer 64-bit windows, keeping 32-bit space for BARs that need it),
 * program it and verify it by reading it back. Decode stays as it was; see
 * pci_enable_device().
 */
int pci_bar_assign(const struct pci_cfg *cfg, u32 bdf, struct pci_bar *bar,
		   struct pci_window *windows, unsigned int nr_windows);

/* Turn on memory decode and bus mastering. */
void pci_enable_device(const struct pci_cfg *cfg, u32 bdf);

#endif /* _FW_PCI_H */
