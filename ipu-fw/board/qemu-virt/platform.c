// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * QEMU virt device tree parsing (see platform.h).
 *
 * Addresses are read from the device tree rather than assumed, and each is
 * checked before the firmware maps or touches it: sizes non-zero, ranges
 * not wrapping, alignment what the hardware block requires.
 */
#include "arch/arm64/sysreg.h"
#include "board/qemu-virt/platform.h"
#include "lib/fdt.h"

/* PCI "ranges" child address, first cell: the address space code. */
#define PCI_RANGE_SPACE(hi)	(((hi) >> 24) & 3)
#define PCI_RANGE_MEM32		2
#define PCI_RANGE_MEM64		3
#define PCI_RANGE_PREFETCH	(1U << 30)

static const char *const gic_compatibles[] = {
	"arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a9-gic",
};

static void note(struct virt_platform *plat, const char *what, u64 value)
{
	if (plat->nr_notes < VIRT_MAX_NOTES)
		plat->notes[plat->nr_notes++] = (struct virt_note){ what, value };
}

static int fail(struct virt_platform *plat, int ret, const char *why,
		int fdt_err)
{
	plat->error = why;
	plat->fdt_err = fdt_err;
	return ret;
}

/* The node /chosen's stdout-path names, if it is an enabled PL011. */
static int stdout_uart(const struct fdt *fdt, struct virt_platform *plat)
{
	char path[64];
	const char *val;
	int chosen, len, i, node;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return chosen;
	val = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!val)
		return len;
	/* Copy up to the options separator; refuse unterminated values. */
	for (i = 0; i < len && i < (int)sizeof(path) - 1; i++) {
		if (!val[i] || val[i] == ':')
			break;
		path[i] = val[i];
	}
	if (i >= len || i == (int)sizeof(path) - 1) {
		note(plat, "ignoring malformed /chosen stdout-path", 0);
		return -FDT_ERR_BADVALUE;
	}
	path[i] = 0;
	node = fdt_path_offset(fdt, path);
	if (node < 0 || !fdt_node_is_compatible(fdt, node, "arm,pl011") ||
	    !fdt_node_is_enabled(fdt, node)) {
		note(plat, "stdout-path is not an enabled arm,pl011; using the first one",
		     0);
		return -FDT_ERR_NOTFOUND;
	}
	return node;
}

static void parse_uart(const struct fdt *fdt, struct virt_platform *plat)
{
	u64 base, size;
	int node;

	node = stdout_uart(fdt, plat);
	if (node < 0) {
		node = fdt_find_compatible(fdt, -1, "arm,pl011");
		while (node >= 0 && !fdt_node_is_enabled(fdt, node))
			node = fdt_find_compatible(fdt, node, "arm,pl011");
	}
	if (node < 0)
		return;
	if (fdt_read_reg(fdt, node, 0, &base, &size)) {
		note(plat, "arm,pl011 has a malformed reg", 0);
		return;
	}
	if (size < VIRT_PL011_MIN_SIZE || !IS_ALIGNED(base, SZ_4K)) {
		note(plat, "arm,pl011 registers misplaced or too small at", base);
		return;
	}
	plat->uart = (struct virt_range){ base, size };
	plat->has_uart = true;
}

static void parse_memory(const struct fdt *fdt, struct virt_platform *plat)
{
	unsigned int i;
	u64 base, size;
	int node = -1, err;

	for (;;) {
		node = fdt_next_node(fdt, node, NULL);
		if (node < 0)
			break;
		if (!fdt_prop_has_string(fdt, node, "device_type", "memory") ||
		    !fdt_node_is_enabled(fdt, node))
			continue;
		for (i = 0;; i++) {
			err = fdt_read_reg(fdt, node, i, &base, &size);
			if (err == -FDT_ERR_NOTFOUND)
				break;
			if (err) {
				note(plat, "ignoring a memory node with a malformed reg", 0);
				break;
			}
			if (!size)
				continue;
			if (plat->nr_mem == VIRT_MAX_MEM) {
				note(plat, "too many memory ranges; ignoring the one at",
				     base);
				continue;
			}
			plat->mem[plat->nr_mem++] =
				(struct virt_range){ base, size };
		}
	}
}

static void parse_gic(const struct fdt *fdt, struct virt_platform *plat)
{
	unsigned int i;
	u64 base, size;
	int node = -FDT_ERR_NOTFOUND;

	for (i = 0; i < ARRAY_SIZE(gic_compatibles) && node < 0; i++)
		node = fdt_find_compatible(fdt, -1, gic_compatibles[i]);
	if (node < 0)
		return;
	for (i = 0; i < VIRT_MAX_GIC_REGS; i++) {
		if (fdt_read_reg(fdt, node, i, &base, &size))
			break;
		if (size)
			plat->gic[plat->nr_gic++] =
				(struct virt_range){ base, size };
	}
}

static void parse_pci_ranges(const struct fdt *fdt, int node,
			     struct virt_platform *plat)
{
	const u8 *r;
	int len, ac, sc, pac, entry;
	struct pci_window win;
	u32 hi, space;

	ac = fdt_address_cells(fdt, node);
	sc = fdt_size_cells(fdt, node);
	pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	if (ac != 3 || sc < 1 || pac < 1 || pac > 2) {
		note(plat, "PCIe node has unusable #address-cells/#size-cells", 0);
		return;
	}
	r = fdt_getprop(fdt, node, "ranges", &len);
	entry = (ac + pac + sc) * 4;
	if (!r || len % entry) {
		note(plat, "PCIe node has no usable ranges", 0);
		return;
	}
	for (; len >= entry; len -= entry, r += entry) {
		hi = fdt_be32(r);
		space = PCI_RANGE_SPACE(hi);
		if (space != PCI_RANGE_MEM32 && space != PCI_RANGE_MEM64)
			continue;	/* I/O and config space: not used */
		win = (struct pci_window){
			.bus_base = fdt_read_cells(r + 4, 2),
			.cpu_base = fdt_read_cells(r + 12, pac),
			.size = fdt_read_cells(r + 12 + 4 * pac, sc),
			.mem64 = space == PCI_RANGE_MEM64,
			.prefetchable = hi & PCI_RANGE_PREFETCH,
		};
		if (pci_window_validate(&win)) {
			note(plat, "ignoring a PCIe window that wraps or is empty, at",
			     win.cpu_base);
			continue;
		}
		if (plat->nr_pci_windows == VIRT_MAX_PCI_WINDOWS) {
			note(plat, "too many PCIe windows; ignoring the one at",
			     win.cpu_base);
			continue;
		}
		plat->pci_windows[plat->nr_pci_windows++] = win;
	}
	if (!plat->nr_pci_windows)
		note(plat, "PCIe host bridge has no memory window", 0);
}

static void parse_pcie(const struct fdt *fdt, struct virt_platform *plat)
{
	const u8 *range;
	u64 base, size, buses;
	int node, len;

	node = fdt_find_compatible(fdt, -1, "pci-host-ecam-generic");
	while (node >= 0 && !fdt_node_is_enabled(fdt, node))
		node = fdt_find_compatible(fdt, node, "pci-host-ecam-generic");
	if (node < 0)
		return;
	if (fdt_read_reg(fdt, node, 0, &base, &size) ||
	    !IS_ALIGNED(base, SZ_1M) || size < SZ_1M) {
		note(plat, "PCIe host bridge ECAM reg unusable", 0);
		return;
	}

	plat->bus_first = 0;
	plat->bus_last = 255;
	range = fdt_getprop(fdt, node, "bus-range", &len);
	if (range && len == 8 && fdt_be32(range) <= fdt_be32(range + 4) &&
	    fdt_be32(range + 4) <= 255) {
		plat->bus_first = fdt_be32(range);
		plat->bus_last = fdt_be32(range + 4);
	} else if (range || len != -FDT_ERR_NOTFOUND) {
		note(plat, "ignoring malformed PCIe bus-range", 0);
	}
	/* Only buses the ECAM region actually covers can be reached. */
	buses = size >> VIRT_ECAM_BUS_SHIFT;
	if (plat->bus_last - plat->bus_first + 1 > buses) {
		plat->bus_last = plat->bus_first + buses - 1;
		note(plat, "ECAM smaller than bus-range; last bus now",
		     plat->bus_last);
	}
	plat->ecam = (struct virt_range){ base, size };
	plat->has_pcie = true;
	parse_pci_ranges(fdt, node, plat);
}

static void parse_psci(const struct fdt *fdt, struct virt_platform *plat)
{
	int node;
	u32 fn;

	plat->psci_conduit = PSCI_CONDUIT_HVC;
	plat->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
	node = fdt_find_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,psci-0.2");
	if (node >= 0) {
		plat->psci_has_version = true;
	} else {
		node = fdt_find_compatible(fdt, -1, "arm,psci");
		if (node < 0)
			return;
		/* PSCI 0.1 names its function ids in the node. */
		if (fdt_getprop_u32(fdt, node, "cpu_on", &fn)) {
			note(plat, "PSCI 0.1 node without cpu_on", 0);
			return;
		}
		plat->psci_cpu_on = fn;
	}
	if (fdt_prop_has_string(fdt, node, "method", "smc"))
		plat->psci_conduit = PSCI_CONDUIT_SMC;
	else if (!fdt_prop_has_string(fdt, node, "method", "hvc"))
		note(plat, "PSCI method missing or unknown; using hvc", 0);
	plat->has_psci = true;
}

static bool have_cpu(const struct virt_platform *plat, u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < plat->nr_cpus; i++)
		if (plat->cpu_mpidr[i] == mpidr)
			return true;
	return false;
}

static void parse_cpus(const struct fdt *fdt, struct virt_platform *plat,
		       u64 boot_mpidr)
{
	bool found_boot = false;
	u64 mpidr, size;
	int cpus, node, ac;

	plat->cpu_mpidr[0] = boot_mpidr;
	plat->nr_cpus = 1;
	cpus = fdt_path_offset(fdt, "/cpus");
	ac = cpus < 0 ? -1 : fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2) {
		note(plat, "no usable /cpus node; running on the boot core only",
		     0);
		return;
	}
	for (node = fdt_first_subnode(fdt, cpus); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		if (!fdt_prop_has_string(fdt, node, "device_type", "cpu") ||
		    !fdt_node_is_enabled(fdt, node))
			continue;
		if (fdt_read_reg(fdt, node, 0, &mpidr, &size) ||
		    mpidr & ~MPIDR_HWID_MASK) {
			note(plat, "ignoring a cpu node with a malformed reg", 0);
			continue;
		}
		if (mpidr == boot_mpidr) {
			found_boot = true;
			continue;
		}
		if (!fdt_prop_has_string(fdt, node, "enable-method", "psci")) {
			note(plat, "cpu not started by PSCI, skipped: mpidr", mpidr);
			continue;
		}
		if (have_cpu(plat, mpidr)) {
			note(plat, "duplicate cpu node, skipped: mpidr", mpidr);
			continue;
		}
		if (plat->nr_cpus == VIRT_MAX_CPUS) {
			note(plat, "too many cpus; ignoring mpidr", mpidr);
			continue;
		}
		plat->cpu_mpidr[plat->nr_cpus++] = mpidr;
	}
	if (!found_boot)
		note(plat, "boot core missing from /cpus: mpidr", boot_mpidr);
}

/* /chosen bootargs, copied whole if it is a terminated string that fits. */
static void parse_bootargs(const struct fdt *fdt, struct virt_platform *plat)
{
	const char *val;
	int chosen, len, i;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return;
	val = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!val || len <= 0)
		return;
	for (i = 0; i < len && val[i]; i++)
		;
	if (i != len - 1 || len > VIRT_BOOTARGS_MAX) {
		note(plat, "ignoring /chosen bootargs: unterminated or longer than",
		     VIRT_BOOTARGS_MAX - 1);
		return;
	}
	for (i = 0; i < len; i++)
		plat->bootargs[i] = val[i];
}

int virt_platform_parse(struct virt_platform *plat, const void *dtb,
			size_t avail, u64 boot_mpidr)
{
	struct fdt fdt;
	int err;

	*plat = (struct virt_platform){ 0 };
	plat->cpu_mpidr[0] = boot_mpidr;
	plat->nr_cpus = 1;

	err = fdt_open(&fdt, dtb, avail);
	if (err)
		return fail(plat, -EINVAL, "not a usable device tree blob", err);
	err = fdt_next_node(&fdt, -1, NULL);
	if (err < 0)
		return fail(plat, -EINVAL, "device tree has no root node", err);

	/* The UART first: it is how every later problem gets reported. */
	parse_uart(&fdt, plat);
	parse_memory(&fdt, plat);
	if (!plat->nr_mem)
		return fail(plat, -ENODEV, "device tree describes no memory",
			    -FDT_ERR_NOTFOUND);
	parse_gic(&fdt, plat);
	parse_pcie(&fdt, plat);
	parse_psci(&fdt, plat);
	parse_bootargs(&fdt, plat);
	if (plat->has_psci)
		parse_cpus(&fdt, plat, boot_mpidr);
	else
		note(plat, "no PSCI node; running on the boot core only", 0);
	return 0;
}
