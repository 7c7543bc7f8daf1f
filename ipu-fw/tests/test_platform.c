// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the QEMU virt device tree parsing (board/qemu-virt/
 * platform.c): a tree shaped like the one QEMU generates, the variations
 * the parser must cope with, and malformed input. If OAE_FW_QEMU_DTB names
 * a DTB dumped by QEMU itself (-M virt,dumpdtb=FILE; make check does
 * this), it is parsed too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board/qemu-virt/platform.h"
#include "lib/fdt.h"
#include "tests/fdt_builder.h"

/* Knobs for variations of the virt tree. */
struct virt_opts {
	const char *stdout_path;	/* NULL: no /chosen */
	const char *psci_compat;	/* "a\0b\0" list; NULL: no /psci */
	const char *psci_method;	/* NULL: no method property */
	bool psci_cpu_on;		/* PSCI 0.1 cpu_on property */
	unsigned int nr_cpus;
	const char *cpu2_method;	/* enable-method of cpu@2 */
	bool no_memory;
	bool no_pcie;
	bool uart0_disabled;
	uint32_t ecam_size;		/* high cell pair: size in bytes */
	bool bad_ranges;
	bool wrapping_window;
	bool duplicate_cpu;
	const char *bootargs;		/* NULL: none */
	int bootargs_len;		/* raw length, to build malformed ones */
};

static const struct virt_opts qemu_like = {
	.stdout_path = "/pl011@9000000",
	.psci_compat = "arm,psci-1.0\0arm,psci-0.2\0arm,psci\0",
	.psci_method = "hvc",
	.nr_cpus = 4,
	.ecam_size = 0x10000000,
};

static uint8_t *build_virt(const struct virt_opts *o, size_t *size)
{
	struct fdtb b;
	unsigned int i;
	char name[32];

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_str(&b, "compatible", "linux,dummy-virt");

	if (o->psci_compat) {
		fdtb_begin_node(&b, "psci");
		if (o->psci_cpu_on)
			fdtb_prop_u32(&b, "cpu_on", 0x95c1ba5e);
		if (o->psci_method)
			fdtb_prop_str(&b, "method", o->psci_method);
		/* A string list: it ends at the double NUL. */
		for (i = 0; o->psci_compat[i] || o->psci_compat[i + 1]; i++)
			;
		fdtb_prop(&b, "compatible", o->psci_compat, i + 1);
		fdtb_end_node(&b);
	}

	if (!o->no_memory) {
		fdtb_begin_node(&b, "memory@40000000");
		fdtb_prop_cells(&b, "reg", 4, 0, 0x40000000, 0, 0x10000000);
		fdtb_prop_str(&b, "device_type", "memory");
		fdtb_end_node(&b);
	}

	if (!o->no_pcie) {
		fdtb_begin_node(&b, "pcie@10000000");
		if (o->bad_ranges)
			fdtb_prop_cells(&b, "ranges", 5, 0x02000000, 0, 0x10000000,
					0, 0x10000000);
		else if (o->wrapping_window)
			fdtb_prop_cells(&b, "ranges", 14,
					0x02000000, 0, 0x10000000,
					0, 0x10000000, 0, 0x2eff0000,
					0x03000000, 0xffffffff, 0,
					0xffffffff, 0, 0x2, 0);
		else	/* I/O, 32-bit and 64-bit prefetchable memory */
			fdtb_prop_cells(&b, "ranges", 21,
					0x01000000, 0, 0,
					0, 0x3eff0000, 0, 0x10000,
					0x02000000, 0, 0x10000000,
					0, 0x10000000, 0, 0x2eff0000,
					0x43000000, 0x80, 0,
					0x80, 0, 0x80, 0);
		fdtb_prop_cells(&b, "reg", 4, 0x40, 0x10000000, 0,
				o->ecam_size);
		fdtb_prop_cells(&b, "bus-range", 2, 0, 0xff);
		fdtb_prop_u32(&b, "#size-cells", 2);
		fdtb_prop_u32(&b, "#address-cells", 3);
		fdtb_prop_str(&b, "device_type", "pci");
		fdtb_prop_str(&b, "compatible", "pci-host-ecam-generic");
		fdtb_end_node(&b);
	}

	fdtb_begin_node(&b, "pl011@9000000");
	fdtb_prop_cells(&b, "reg", 4, 0, 0x09000000, 0, 0x1000);
	fdtb_prop(&b, "compatible", "arm,pl011\0arm,primecell", 24);
	if (o->uart0_disabled)
		fdtb_prop_str(&b, "status", "disabled");
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "pl011@9040000");
	fdtb_prop_cells(&b, "reg", 4, 0, 0x09040000, 0, 0x1000);
	fdtb_prop(&b, "compatible", "arm,pl011\0arm,primecell", 24);
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "intc@8000000");
	fdtb_prop_cells(&b, "reg", 8, 0, 0x08000000, 0, 0x10000,
			0, 0x08010000, 0, 0x10000);
	fdtb_prop_str(&b, "compatible", "arm,cortex-a15-gic");
	fdtb_prop_empty(&b, "interrupt-controller");
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "cpus");
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_begin_node(&b, "cpu-map");
	fdtb_begin_node(&b, "socket0");
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	for (i = 0; i < o->nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdtb_begin_node(&b, name);
		fdtb_prop_u32(&b, "reg", o->duplicate_cpu && i == 3 ? 1 : i);
		fdtb_prop_str(&b, "enable-method",
			      i == 2 && o->cpu2_method ? o->cpu2_method :
							 "psci");
		fdtb_prop_str(&b, "compatible", "arm,neoverse-n1");
		fdtb_prop_str(&b, "device_type", "cpu");
		fdtb_end_node(&b);
	}
	fdtb_end_node(&b);

	if (o->stdout_path) {
		fdtb_begin_node(&b, "chosen");
		fdtb_prop_str(&b, "stdout-path", o->stdout_path);
		if (o->bootargs)
			fdtb_prop(&b, "bootargs", o->bootargs,
				  o->bootargs_len ? o->bootargs_len :
						    (int)strlen(o->bootargs) + 1);
		fdtb_end_node(&b);
	}
	fdtb_begin_node(&b, "aliases");
	fdtb_prop_str(&b, "serial1", "/pl011@9040000");
	fdtb_end_node(&b);

	fdtb_end_node(&b);
	return fdtb_finish(&b, size);
}

static int parse(const struct virt_opts *o, struct virt_platform *plat,
		 uint64_t boot_mpidr)
{
	uint8_t *blob;
	size_t size;
	int err;

	blob = build_virt(o, &size);
	err = virt_platform_parse(plat, blob, size, boot_mpidr);
	free(blob);
	return err;
}

static bool has_note(const struct virt_platform *plat, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < plat->nr_notes; i++)
		if (!strncmp(plat->notes[i].what, prefix, strlen(prefix)))
			return true;
	return false;
}

static void test_qemu_like_tree(void **state)
{
	struct virt_platform plat;
	unsigned int i;

	(void)state;
	assert_int_equal(parse(&qemu_like, &plat, 0), 0);
	assert_int_equal(plat.nr_notes, 0);
	assert_int_equal(plat.nr_mem, 1);
	assert_int_equal(plat.mem[0].base, 0x40000000);
	assert_int_equal(plat.mem[0].size, 0x10000000);
	assert_true(plat.has_uart);
	assert_int_equal(plat.uart.base, 0x09000000);
	assert_int_equal(plat.nr_gic, 2);
	assert_int_equal(plat.gic[1].base, 0x08010000);

	assert_true(plat.has_pcie);
	assert_int_equal(plat.ecam.base, 0x4010000000ULL);
	assert_int_equal(plat.ecam.size, 0x10000000);
	assert_int_equal(plat.bus_first, 0);
	assert_int_equal(plat.bus_last, 255);
	assert_int_equal(plat.nr_pci_windows, 2);	/* I/O is skipped */
	assert_false(plat.pci_windows[0].mem64);
	assert_int_equal(plat.pci_windows[0].cpu_base, 0x10000000);
	assert_int_equal(plat.pci_windows[0].size, 0x2eff0000);
	assert_true(plat.pci_windows[1].mem64);
	assert_true(plat.pci_windows[1].prefetchable);
	assert_int_equal(plat.pci_windows[1].cpu_base, 0x8000000000ULL);
	assert_int_equal(plat.pci_windows[1].bus_base, 0x8000000000ULL);
	assert_int_equal(plat.pci_windows[1].size, 0x8000000000ULL);

	assert_true(plat.has_psci);
	assert_true(plat.psci_has_version);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_HVC);
	assert_int_equal(plat.psci_cpu_on, PSCI_0_2_FN64_CPU_ON);
	assert_int_equal(plat.nr_cpus, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(plat.cpu_mpidr[i], i);
}

static void test_boot_core_first(void **state)
{
	struct virt_platform plat;

	(void)state;
	assert_int_equal(parse(&qemu_like, &plat, 2), 0);
	assert_int_equal(plat.nr_cpus, 4);
	assert_int_equal(plat.cpu_mpidr[0], 2);
	assert_int_equal(plat.cpu_mpidr[1], 0);
	assert_int_equal(plat.cpu_mpidr[2], 1);
	assert_int_equal(plat.cpu_mpidr[3], 3);

	/* A boot core the tree does not list is still core 0. */
	assert_int_equal(parse(&qemu_like, &plat, 0x100), 0);
	assert_int_equal(plat.nr_cpus, 5);
	assert_int_equal(plat.cpu_mpidr[0], 0x100);
	assert_true(has_note(&plat, "boot core missing"));
}

static void test_cpu_filtering(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;

	(void)state;
	o.cpu2_method = "spin-table";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.nr_cpus, 3);
	assert_int_equal(plat.cpu_mpidr[2], 3);
	assert_true(has_note(&plat, "cpu not started by PSCI"));

	o = qemu_like;
	o.duplicate_cpu = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.nr_cpus, 3);
	assert_true(has_note(&plat, "duplicate cpu node"));
}

static void test_psci_variants(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;

	(void)state;
	o.psci_method = "smc";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_SMC);

	/* The documented default when the method is missing: hvc. */
	o.psci_method = NULL;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_true(plat.has_psci);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_HVC);
	assert_true(has_note(&plat, "PSCI method missing"));

	o.psci_method = "firmware-call";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_HVC);

	/* PSCI 0.1: function ids come from the node. */
	o = qemu_like;
	o.psci_compat = "arm,psci\0";
	o.psci_cpu_on = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_false(plat.psci_has_version);
	assert_int_equal(plat.psci_cpu_on, 0x95c1ba5e);
	o.psci_cpu_on = false;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_false(plat.has_psci);
	assert_int_equal(plat.nr_cpus, 1);

	/* No PSCI at all: the boot core alone. */
	o = qemu_like;
	o.psci_compat = NULL;
	assert_int_equal(parse(&o, &plat, 3), 0);
	assert_false(plat.has_psci);
	assert_int_equal(plat.nr_cpus, 1);
	assert_int_equal(plat.cpu_mpidr[0], 3);
	assert_true(has_note(&plat, "no PSCI node"));
}

static void test_uart_selection(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;

	(void)state;
	o.stdout_path = "/pl011@9040000:115200n8";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.uart.base, 0x09040000);

	o.stdout_path = "serial1:115200n8";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.uart.base, 0x09040000);

	o.stdout_path = "/no-such-uart";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.uart.base, 0x09000000);
	assert_true(has_note(&plat, "stdout-path is not"));

	/* stdout-path names a disabled UART: the first enabled one wins. */
	o = qemu_like;
	o.uart0_disabled = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.uart.base, 0x09040000);

	o.stdout_path = NULL;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.uart.base, 0x09040000);
}

static void test_bootargs(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;
	char big[VIRT_BOOTARGS_MAX + 1];

	(void)state;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_string_equal(plat.bootargs, "");

	o.bootargs = "--fail-after 500";
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_string_equal(plat.bootargs, "--fail-after 500");

	/* Unterminated: ignored with a note, never read past the property. */
	o.bootargs = "--garbage torn";
	o.bootargs_len = 5;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_string_equal(plat.bootargs, "");
	assert_true(has_note(&plat, "ignoring /chosen bootargs"));

	/* One byte too long for the copy: ignored too. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	o.bootargs = big;
	o.bootargs_len = 0;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_string_equal(plat.bootargs, "");
	assert_true(has_note(&plat, "ignoring /chosen bootargs"));
	big[sizeof(big) - 2] = 0;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(strlen(plat.bootargs), VIRT_BOOTARGS_MAX - 1);
}

static void test_pcie_variants(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;

	(void)state;
	/* ECAM for 16 buses only: bus-range is cut to what is reachable. */
	o.ecam_size = 0x01000000;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_true(plat.has_pcie);
	assert_int_equal(plat.bus_last, 15);
	assert_true(has_note(&plat, "ECAM smaller"));

	o.ecam_size = 0x80000;		/* less than one bus */
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_false(plat.has_pcie);

	o = qemu_like;
	o.bad_ranges = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_true(plat.has_pcie);
	assert_int_equal(plat.nr_pci_windows, 0);
	assert_true(has_note(&plat, "PCIe node has no usable ranges"));

	o = qemu_like;
	o.wrapping_window = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_int_equal(plat.nr_pci_windows, 1);
	assert_true(has_note(&plat, "ignoring a PCIe window"));

	o = qemu_like;
	o.no_pcie = true;
	assert_int_equal(parse(&o, &plat, 0), 0);
	assert_false(plat.has_pcie);
}

static void test_missing_memory(void **state)
{
	struct virt_opts o = qemu_like;
	struct virt_platform plat;

	(void)state;
	o.no_memory = true;
	assert_int_equal(parse(&o, &plat, 0), -ENODEV);
	assert_non_null(plat.error);
	/* The UART is still known, so the failure can be reported. */
	assert_true(plat.has_uart);
}

static void test_malformed_blob(void **state)
{
	struct virt_platform plat;
	uint8_t *blob;
	size_t size;

	(void)state;
	blob = build_virt(&qemu_like, &size);
	assert_int_equal(virt_platform_parse(&plat, blob, size - 8, 0),
			 -EINVAL);
	assert_int_equal(plat.fdt_err, -FDT_ERR_TRUNCATED);
	assert_false(plat.has_uart);
	blob[0] ^= 0xff;
	assert_int_equal(virt_platform_parse(&plat, blob, size, 0), -EINVAL);
	assert_int_equal(plat.fdt_err, -FDT_ERR_BADMAGIC);
	assert_int_equal(virt_platform_parse(&plat, NULL, 0, 0), -EINVAL);
	free(blob);
}

/* Whatever a corrupt tree says, the result stays inside its bounds. */
static void check_invariants(const struct virt_platform *plat)
{
	unsigned int i;

	assert_true(plat->nr_mem <= VIRT_MAX_MEM);
	assert_true(plat->nr_gic <= VIRT_MAX_GIC_REGS);
	assert_true(plat->nr_pci_windows <= VIRT_MAX_PCI_WINDOWS);
	assert_true(plat->nr_cpus >= 1 && plat->nr_cpus <= VIRT_MAX_CPUS);
	assert_true(plat->nr_notes <= VIRT_MAX_NOTES);
	for (i = 0; i < plat->nr_mem; i++)
		assert_true(plat->mem[i].size &&
			    plat->mem[i].base + plat->mem[i].size - 1 >=
			    plat->mem[i].base);
	if (plat->has_uart)
		assert_true(plat->uart.size >= VIRT_PL011_MIN_SIZE);
	if (plat->has_pcie) {
		assert_true(plat->bus_first <= plat->bus_last);
		assert_true(plat->bus_last <= 255);
		assert_true((uint64_t)(plat->bus_last - plat->bus_first + 1)
			    << 20 <= plat->ecam.size);
	}
	for (i = 0; i < plat->nr_pci_windows; i++)
		assert_int_equal(pci_window_validate(&plat->pci_windows[i]), 0);
}

static void test_mutations(void **state)
{
	struct virt_platform plat;
	uint8_t *blob, *copy;
	size_t size, i;

	(void)state;
	blob = build_virt(&qemu_like, &size);
	copy = malloc(size);
	for (i = 0; i < size; i++) {
		memcpy(copy, blob, size);
		copy[i] ^= 0xff;
		(void)virt_platform_parse(&plat, copy, size, 0);
		check_invariants(&plat);
		copy[i] = blob[i] + 1;
		(void)virt_platform_parse(&plat, copy, size, 0);
		check_invariants(&plat);
	}
	free(copy);
	free(blob);
}

static void test_qemu_dumped_dtb(void **state)
{
	const char *path = getenv("OAE_FW_QEMU_DTB");
	struct virt_platform plat;
	uint8_t *blob;
	long size;
	FILE *f;

	(void)state;
	if (!path || !*path)
		skip();
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	blob = malloc(size);
	assert_int_equal(fread(blob, 1, size, f), size);
	fclose(f);

	assert_int_equal(virt_platform_parse(&plat, blob, size, 0), 0);
	check_invariants(&plat);
	assert_int_equal(plat.nr_notes, 0);
	assert_int_equal(plat.mem[0].base, 0x40000000);
	assert_int_equal(plat.uart.base, 0x09000000);
	assert_true(plat.has_pcie);
	assert_true(plat.nr_pci_windows >= 2);
	assert_true(plat.has_psci);
	assert_int_equal(plat.nr_cpus, 4);	/* dumped with -smp 4 */
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_like_tree),
		cmocka_unit_test(test_boot_core_first),
		cmocka_unit_test(test_cpu_filtering),
		cmocka_unit_test(test_psci_variants),
		cmocka_unit_test(test_uart_selection),
		cmocka_unit_test(test_bootargs),
		cmocka_unit_test(test_pcie_variants),
		cmocka_unit_test(test_missing_memory),
		cmocka_unit_test(test_malformed_blob),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_qemu_dumped_dtb),
	};

	return cmocka_run_group_tests_name("qemu-virt platform", tests, NULL,
					   NULL);
}
