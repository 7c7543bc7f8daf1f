// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PCI bus scan, BAR sizing and BAR placement (see pci.h).
 */
#include "pci/pci.h"

#define PCI_DEVS_PER_BUS	32
#define PCI_FNS_PER_DEV		8

int pci_window_validate(const struct pci_window *win)
{
	if (!win->size)
		return -EINVAL;
	if (win->cpu_base + (win->size - 1) < win->cpu_base ||
	    win->bus_base + (win->size - 1) < win->bus_base)
		return -EINVAL;
	if (win->used > win->size)
		return -EINVAL;
	return 0;
}

int pci_window_alloc(struct pci_window *win, u64 size, bool below_4g,
		     u64 *bus_addr)
{
	u64 free_start, start, last;

	if (!is_power_of_2(size) || pci_window_validate(win))
		return -EINVAL;
	free_start = win->bus_base + win->used;
	start = ALIGN_UP(free_start, size);
	if (start < free_start)
		return -ENOSPC;			/* aligning wrapped past 2^64 */
	/* Room check on offsets, which cannot overflow after validation. */
	if (start - win->bus_base > win->size ||
	    size > win->size - (start - win->bus_base))
		return -ENOSPC;
	last = start + (size - 1);
	if (below_4g && last >= SZ_4G)
		return -ENOSPC;
	win->used = start + size - win->bus_base;
	*bus_addr = start;
	return 0;
}

int pci_find_device(const struct pci_cfg *cfg, unsigned int bus, u16 vendor,
		    u16 device, u32 *bdf)
{
	unsigned int dev, fn, nr_fns;
	u32 id, addr;

	for (dev = 0; dev < PCI_DEVS_PER_BUS; dev++) {
		nr_fns = 1;
		for (fn = 0; fn < nr_fns; fn++) {
			addr = PCI_BDF(bus, dev, fn);
			id = cfg->read32(cfg->ctx, addr, PCI_VENDOR_ID);
			if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0)
				continue;	/* nothing answers here */
			if (fn == 0 &&
			    (cfg->read32(cfg->ctx, addr, PCI_HEADER_TYPE & ~3U) >>
			     16) & PCI_HEADER_MULTIFUNC)
				nr_fns = PCI_FNS_PER_DEV;
			if ((id & 0xffff) == vendor && id >> 16 == device) {
				*bdf = addr;
				return 0;
			}
		}
	}
	return -ENODEV;
}

/*
 * COMMAND shares its dword with STATUS, whose error bits are write-one-to-
 * clear: writing back what we read would clear them. Write zeros there.
 */
static void pci_write_command(const struct pci_cfg *cfg, u32 bdf, u16 cmd)
{
	cfg->write32(cfg->ctx, bdf, PCI_COMMAND, cmd);
}

static u32 pci_bar_size_dword(const struct pci_cfg *cfg, u32 bdf,
			      unsigned int reg)
{
	u32 orig, mask;

	orig = cfg->read32(cfg->ctx, bdf, reg);
	cfg->write32(cfg->ctx, bdf, reg, 0xffffffffU);
	mask = cfg->read32(cfg->ctx, bdf, reg);
	cfg->write32(cfg->ctx, bdf, reg, orig);
	return mask;
}

int pci_bar_probe(const struct pci_cfg *cfg, u32 bdf, unsigned int index,
		  struct pci_bar *bar)
{
	unsigned int reg = PCI_BAR0 + 4 * index;
	u32 low, high = 0xffffffffU, type;
	u16 cmd;
	u64 mask;
	int err = 0;

	if (index >= PCI_NR_BARS)
		return -EINVAL;
	bar->index = index;
	bar->size = 0;
	bar->io = false;
	bar->mem64 = false;
	bar->prefetchable = false;
	bar->bus_addr = 0;
	bar->cpu_addr = 0;

	/* No decode while a BAR briefly claims the whole address space. */
	cmd = pci_read16(cfg, bdf, PCI_COMMAND);
	pci_write_command(cfg, bdf,
			  cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));

	low = pci_bar_size_dword(cfg, bdf, reg);
	if (low & PCI_BAR_IO) {
		bar->io = true;
		/* I/O BARs are not used by this firmware; size only. */
		mask = 0xffffffff00000000ULL | (low & ~3U);
		if (!(low & ~3U))
			goto out;
	} else {
		type = low & PCI_BAR_MEM_TYPE_MASK;
		bar->prefetchable = low & PCI_BAR_MEM_PREFETCH;
		if (type == PCI_BAR_MEM_TYPE_64) {
			if (index == PCI_NR_BARS - 1) {
				err = -EINVAL;	/* upper half would be BAR 6 */
				goto out;
			}
			bar->mem64 = true;
			high = pci_bar_size_dword(cfg, bdf, reg + 4);
		} else if (type != PCI_BAR_MEM_TYPE_32 &&
			   type != PCI_BAR_MEM_TYPE_1M) {
			err = -EINVAL;		/* reserved encoding */
			goto out;
		}
		mask = (u64)high << 32 | (low & ~0xfU);
		if (!(low & ~0xfU) && (!bar->mem64 || !high))
			goto out;		/* not implemented */
	}

	/* Writable address bits must be a contiguous run from the top. */
	bar->size = ~mask + 1;
	if (!is_power_of_2(bar->size) || (mask & (bar->size - 1))) {
		bar->size = 0;
		err = -EINVAL;
	}
out:
	pci_write_command(cfg, bdf, cmd);
	return err;
}

int pci_bar_assign(const struct pci_cfg *cfg, u32 bdf, struct pci_bar *bar,
		   struct pci_window *windows, unsigned int nr_windows)
{
	unsigned int reg = PCI_BAR0 + 4 * bar->index, pass, i;
	u64 size, addr = 0, readback;
	struct pci_window *win = NULL;
	int err = -ENOSPC;

	if (bar->io || !bar->size || bar->index >= PCI_NR_BARS ||
	    (bar->mem64 && bar->index == PCI_NR_BARS - 1))
		return -EINVAL;
	size = bar->size < PCI_BAR_MIN_ALIGN ? PCI_BAR_MIN_ALIGN : bar->size;

	/* Pass 0: windows of the BAR's own kind; pass 1: any that fits. */
	for (pass = 0; pass < 2 && err; pass++) {
		for (i = 0; i < nr_windows && err; i++) {
			if (pass == 0 && windows[i].mem64 != bar->mem64)
				continue;
			if (pass == 1 && windows[i].mem64 == bar->mem64)
				continue;
			err = pci_window_alloc(&windows[i], size, !bar->mem64,
					       &addr);
			if (!err)
				win = &windows[i];
			else if (err != -ENOSPC)
				return err;
		}
	}
	if (err)
		return err;

	cfg->write32(cfg->ctx, bdf, reg,
		     (u32)addr | (cfg->read32(cfg->ctx, bdf, reg) & 0xfU));
	if (bar->mem64)
		cfg->write32(cfg->ctx, bdf, reg + 4, addr >> 32);

	readback = cfg->read32(cfg->ctx, bdf, reg) & ~0xfULL;
	if (bar->mem64)
		readback |= (u64)cfg->read32(cfg->ctx, bdf, reg + 4) << 32;
	if (readback != addr)
		return -EIO;

	bar->bus_addr = addr;
	bar->cpu_addr = win->cpu_base + (addr - win->bus_base);
	return 0;
}

void pci_enable_device(const struct pci_cfg *cfg, u32 bdf)
{
	u16 cmd = pci_read16(cfg, bdf, PCI_COMMAND);

	pci_write_command(cfg, bdf,
			  cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}
