/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the QEMU virt board's device tree tells the firmware: RAM, the
 * console UART, the GIC (mapped, not used), the generic ECAM PCIe host
 * bridge and its memory windows, PSCI and the CPUs.
 *
 * Parsing is pure (no MMIO, no output) so the host unit tests run it on
 * DTBs they build. Problems that do not stop the boot are collected as
 * notes for the board to print once its console is up.
 */
#ifndef _FW_QEMU_VIRT_PLATFORM_H
#define _FW_QEMU_VIRT_PLATFORM_H

#include "arch/arm64/psci.h"
#include "lib/types.h"
#include "pci/pci.h"

#define VIRT_MAX_MEM		8
#define VIRT_MAX_GIC_REGS	8
#define VIRT_MAX_PCI_WINDOWS	4
#define VIRT_MAX_CPUS		64
#define VIRT_MAX_NOTES		8
/* Longest /chosen bootargs kept, with its terminator. */
#define VIRT_BOOTARGS_MAX	256

/* Smallest register span accepted for a PL011 (it decodes 4 KiB). */
#define VIRT_PL011_MIN_SIZE	0x48
/* ECAM: 4 KiB of configuration space per function, 1 MiB per bus. */
#define VIRT_ECAM_BUS_SHIFT	20

struct virt_range {
	u64 base;
	u64 size;
};

struct virt_note {
	const char *what;
	u64 value;
};

struct virt_platform {
	struct virt_range mem[VIRT_MAX_MEM];
	unsigned int nr_mem;

	bool has_uart;
	struct virt_range uart;

	struct virt_range gic[VIRT_MAX_GIC_REGS];
	unsigned int nr_gic;

	bool has_pcie;
	struct virt_range ecam;
	u32 bus_first;
	u32 bus_last;
	struct pci_window pci_windows[VIRT_MAX_PCI_WINDOWS];
	unsigned int nr_pci_windows;

	bool has_psci;
	bool psci_has_version;	/* PSCI 0.2 or later */
	enum psci_conduit psci_conduit;
	u32 psci_cpu_on;

	/* cpu_mpidr[0] is the boot core; the rest in device tree order. */
	u64 cpu_mpidr[VIRT_MAX_CPUS];
	unsigned int nr_cpus;

	/* /chosen bootargs (QEMU -append); "" when absent or malformed. */
	char bootargs[VIRT_BOOTARGS_MAX];

	struct virt_note notes[VIRT_MAX_NOTES];
	unsigned int nr_notes;

	/* Why parsing failed (with the FDT error code), when it did. */
	const char *error;
	int fdt_err;
};

/*
 * Parse the DTB at @dtb, of which @avail bytes are readable, for a boot
 * core with MPIDR affinity @boot_mpidr. Returns 0, or -EINVAL (blob
 * unusable) / -ENODEV (no RAM described) with plat->error set. Whatever was
 * found before a failure (e.g. the UART) is still filled in.
 */
int virt_platform_parse(struct virt_platform *plat, const void *dtb,
			size_t avail, u64 boot_mpidr);

#endif /* _FW_QEMU_VIRT_PLATFORM_H */
