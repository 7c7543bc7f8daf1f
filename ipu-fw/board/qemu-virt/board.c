// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The QEMU virt board: the board interface (board.h) implemented from the
 * device tree, a PL011 console, PSCI and the ivshmem-plain PCI device whose
 * BAR2 is the memory shared with the host.
 */
#include "arch/arm64/mmio.h"
#include "arch/arm64/psci.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "board/qemu-virt/pl011.h"
#include "board/qemu-virt/platform.h"
#include "fw/console.h"
#include "lib/fdt.h"
#include "pci/pci.h"

/*
 * Fixed by QEMU's virt machine: RAM starts here, and for an ELF image QEMU
 * leaves the DTB at this address (x0 = 0). Under the Linux Image protocol
 * (the raw .bin) x0 holds the DTB address instead.
 */
#define VIRT_RAM_BASE		0x40000000UL
#define VIRT_RAM_LIMIT		0x4000000000UL	/* end of virt's low RAM space */
/* Largest DTB accepted; also what Linux accepts. */
#define VIRT_DTB_MAX_SIZE	SZ_2M
/*
 * QEMU virt's PL011. Used only when the device tree names no usable UART,
 * to say so before parking.
 */
#define VIRT_FALLBACK_UART	0x09000000UL

#define IVSHMEM_VENDOR_ID	0x1af4
#define IVSHMEM_DEVICE_ID	0x1110
#define IVSHMEM_REGS_BAR	0
#define IVSHMEM_SHM_BAR		2

#define VIRT_MAX_REGIONS	(VIRT_MAX_MEM + VIRT_MAX_GIC_REGS + 4)

static struct virt_platform plat;
static const void *dtb_location;
static bool dtb_from_x0;
static struct board_mem_region regions[VIRT_MAX_REGIONS];
static unsigned int nr_regions;

const char *board_name(void)
{
	return "qemu-virt";
}

const char *board_bootargs(void)
{
	return plat.bootargs;
}

void board_console_putc(char c)
{
	pl011_putc(c);
}

static void add_region(u64 base, u64 size, enum board_mem_type type,
		       const char *name)
{
	if (nr_regions < VIRT_MAX_REGIONS)
		regions[nr_regions++] =
			(struct board_mem_region){ base, size, type, name };
}

static bool fdt_magic_at(u64 addr)
{
	return fdt_be32((const void *)addr) == FDT_MAGIC;
}

static const void *locate_dtb(u64 boot_arg, size_t *avail)
{
	*avail = VIRT_DTB_MAX_SIZE;
	/* Only look where RAM can be: a wild x0 must not fault us. */
	if (boot_arg && IS_ALIGNED(boot_arg, 8) && boot_arg >= VIRT_RAM_BASE &&
	    boot_arg < VIRT_RAM_LIMIT - VIRT_DTB_MAX_SIZE &&
	    fdt_magic_at(boot_arg))
		return (const void *)boot_arg;
	return (const void *)VIRT_RAM_BASE;
}

void board_describe(void)
{
	unsigned int i;
	u32 v;

	fw_info("device tree at %p (%s)", dtb_location,
		dtb_from_x0 ? "from x0" : "at the RAM base");
	for (i = 0; i < plat.nr_mem; i++)
		fw_info("RAM 0x%lx-0x%lx (%lu MiB)", plat.mem[i].base,
			plat.mem[i].base + plat.mem[i].size - 1,
			plat.mem[i].size >> 20);
	fw_info("UART pl011 at 0x%lx", plat.uart.base);
	if (plat.has_pcie)
		fw_info("PCIe ECAM 0x%lx (buses %u-%u), %u memory windows",
			plat.ecam.base, plat.bus_first, plat.bus_last,
			plat.nr_pci_windows);
	if (plat.has_psci)
		fw_info("PSCI %s via %s, %u cores described",
			plat.psci_has_version ? "0.2+" : "0.1",
			psci_conduit_name(plat.psci_conduit), plat.nr_cpus);
	if (plat.has_psci && plat.psci_has_version) {
		v = psci_version();
		fw_info("PSCI version %u.%u", v >> 16, v & 0xffff);
	}
	for (i = 0; i < plat.nr_notes; i++)
		fw_info("device tree: %s 0x%lx", plat.notes[i].what,
			plat.notes[i].value);
}

int board_init(u64 boot_arg)
{
	const void *dtb;
	size_t avail;
	unsigned int i;
	int err;

	dtb = locate_dtb(boot_arg, &avail);
	err = virt_platform_parse(&plat, dtb, avail, current_mpidr());

	pl011_init(plat.has_uart ? plat.uart.base : VIRT_FALLBACK_UART);
	if (err) {
		fw_info("device tree at %p: %s (%s)", dtb, plat.error,
			fdt_strerror(plat.fdt_err));
		return err;
	}
	if (!plat.has_uart) {
		fw_info("device tree at %p names no usable arm,pl011 UART", dtb);
		return -ENODEV;
	}
	dtb_location = dtb;
	dtb_from_x0 = dtb == (const void *)boot_arg;
	psci_init(plat.psci_conduit, plat.psci_cpu_on, plat.psci_has_version);

	for (i = 0; i < plat.nr_mem; i++)
		add_region(plat.mem[i].base, plat.mem[i].size, BOARD_MEM_RAM,
			   "RAM");
	add_region(plat.uart.base, plat.uart.size, BOARD_MEM_DEVICE, "UART");
	for (i = 0; i < plat.nr_gic; i++)
		add_region(plat.gic[i].base, plat.gic[i].size,
			   BOARD_MEM_DEVICE, "GIC");
	if (plat.has_pcie)
		add_region(plat.ecam.base, plat.ecam.size,
			   BOARD_MEM_DEVICE_STRICT, "PCIe ECAM");
	return 0;
}

/*
 * ECAM: bus/device/function/register straight into the MMIO region.
 * Returns 0 for anything outside the buses the region covers.
 */
static u64 ecam_addr(u32 bdf, unsigned int reg)
{
	u32 bus = PCI_BUS(bdf);

	if (bus < plat.bus_first || bus > plat.bus_last || reg >= 4096 ||
	    reg & 3)
		return 0;
	return plat.ecam.base + ((u64)(bus - plat.bus_first) << 20 |
				 (u64)PCI_DEV(bdf) << 15 |
				 (u64)PCI_FN(bdf) << 12 | reg);
}

static u32 ecam_read32(void *ctx, u32 bdf, unsigned int reg)
{
	u64 addr = ecam_addr(bdf, reg);

	(void)ctx;
	return addr ? mmio_read32(addr) : 0xffffffffU;
}

static void ecam_write32(void *ctx, u32 bdf, unsigned int reg, u32 val)
{
	u64 addr = ecam_addr(bdf, reg);

	(void)ctx;
	if (addr)
		mmio_write32(addr, val);
}

static const struct pci_cfg ecam_cfg = {
	.read32 = ecam_read32,
	.write32 = ecam_write32,
};

static int probe_and_assign(u32 bdf, unsigned int index, bool need_64bit,
			    const char *what, struct pci_bar *bar)
{
	int err;

	err = pci_bar_probe(&ecam_cfg, bdf, index, bar);
	if (err || !bar->size || bar->io || (need_64bit && !bar->mem64)) {
		fw_info("ivshmem BAR%u (%s) is missing or malformed", index,
			what);
		return -ENODEV;
	}
	err = pci_bar_assign(&ecam_cfg, bdf, bar, plat.pci_windows,
			     plat.nr_pci_windows);
	if (err) {
		fw_info("ivshmem BAR%u (%s, %lu bytes): %s", index, what,
			bar->size,
			err == -ENOSPC ? "no room in the host bridge windows" :
					 "BAR did not accept its address");
		return err;
	}
	return 0;
}

int board_find_window(u64 *base, u64 *size)
{
	struct pci_bar regs, shm;
	u32 bdf;
	int err;

	if (!plat.has_pcie) {
		fw_info("no PCIe host bridge (pci-host-ecam-generic) in the device tree");
		return -ENODEV;
	}
	err = pci_find_device(&ecam_cfg, plat.bus_first, IVSHMEM_VENDOR_ID,
			      IVSHMEM_DEVICE_ID, &bdf);
	if (err) {
		fw_info("no ivshmem device found on PCIe bus %u",
			plat.bus_first);
		return -ENODEV;
	}
	err = probe_and_assign(bdf, IVSHMEM_REGS_BAR, false, "registers",
			       &regs);
	if (!err)
		err = probe_and_assign(bdf, IVSHMEM_SHM_BAR, true,
				       "shared memory", &shm);
	if (err)
		return err;
	pci_enable_device(&ecam_cfg, bdf);

	fw_info("ivshmem %04x:%04x at %02x:%02x.%u: BAR0 0x%lx (%lu bytes), BAR2 0x%lx (%lu MiB%s)",
		IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID, PCI_BUS(bdf),
		PCI_DEV(bdf), PCI_FN(bdf), regs.cpu_addr, regs.size,
		shm.cpu_addr, shm.size >> 20,
		shm.prefetchable ? ", 64-bit prefetchable" : ", 64-bit");

	add_region(regs.cpu_addr, regs.size, BOARD_MEM_DEVICE, "ivshmem BAR0");
	add_region(shm.cpu_addr, shm.size, BOARD_MEM_SHARED,
		   "ivshmem BAR2 (host window)");
	*base = shm.cpu_addr;
	*size = shm.size;
	return 0;
}

unsigned int board_mem_regions(struct board_mem_region *out, unsigned int max)
{
	unsigned int i;

	for (i = 0; i < nr_regions && i < max; i++)
		out[i] = regions[i];
	return i;
}

/* The ivshmem window is the emulator's RAM: coherent with the cores. */
enum board_window_memtype board_window_memtype(void)
{
	return BOARD_WINDOW_CACHED_COHERENT;
}

/* Coherent: nothing to clean or invalidate. */
void board_window_clean(const void *start, u64 len)
{
	(void)start;
	(void)len;
}

void board_window_invalidate(const void *start, u64 len)
{
	(void)start;
	(void)len;
}

unsigned int board_nr_cores(void)
{
	return plat.nr_cpus;
}

u64 board_core_mpidr(unsigned int index)
{
	return index < plat.nr_cpus ? plat.cpu_mpidr[index] : ~0UL;
}

int board_start_core(unsigned int index, u64 entry, u64 context)
{
	int ret;

	if (!index || index >= plat.nr_cpus || !plat.has_psci)
		return -EINVAL;
	ret = psci_cpu_on(plat.cpu_mpidr[index], entry, context);
	if (ret != PSCI_SUCCESS) {
		fw_info("PSCI CPU_ON for mpidr 0x%lx failed: %s (%d)",
			plat.cpu_mpidr[index], psci_strerror(ret), ret);
		return -EIO;
	}
	return 0;
}
