// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for pci/pci.c against an emulated configuration space whose
 * BARs behave like hardware: address bits below the size read as zero,
 * type bits are read-only, and sizing is only legal with decode off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pci/pci.h"

struct fake_bar {
	uint64_t size;		/* 0: not implemented */
	uint32_t flags;		/* read-only low bits (type, prefetch, I/O) */
	uint64_t value;		/* programmed address */
	uint32_t broken_mask;	/* non-zero: reads back this mask instead */
	bool stuck;		/* ignores address writes (for -EIO) */
};

struct fake_fn {
	bool present;
	uint16_t vendor, device;
	uint8_t header_type;
	uint16_t command;
	uint16_t status;
	struct fake_bar bar[PCI_NR_BARS];
	bool sized_with_decode_on;	/* spec violation seen */
	uint32_t status_written;	/* W1C bits ever written to status */
};

static struct fake_fn bus[32][8];

static struct fake_fn *fn_at(uint32_t bdf)
{
	if (PCI_BUS(bdf) != 0)
		return NULL;
	return &bus[PCI_DEV(bdf)][PCI_FN(bdf)];
}

/* The BAR dword @reg of @f, or -1 if it is an upper half / not a BAR. */
static uint32_t bar_read(struct fake_fn *f, unsigned int i)
{
	struct fake_bar *b;
	uint64_t mask;

	/* The upper half of a 64-bit BAR at i - 1. */
	if (i > 0 && (f->bar[i - 1].flags & 0x7) == PCI_BAR_MEM_TYPE_64 &&
	    f->bar[i - 1].size) {
		b = &f->bar[i - 1];
		mask = ~(b->size - 1);
		return (b->value & mask) >> 32;
	}
	b = &f->bar[i];
	if (!b->size)
		return b->broken_mask ? b->broken_mask : 0;
	if (b->broken_mask)
		return b->broken_mask;
	mask = ~(b->size - 1);
	return ((uint32_t)(b->value & mask) & ~0xfU) | b->flags;
}

static void bar_write(struct fake_fn *f, unsigned int i, uint32_t v)
{
	struct fake_bar *b;

	if (i > 0 && (f->bar[i - 1].flags & 0x7) == PCI_BAR_MEM_TYPE_64 &&
	    f->bar[i - 1].size) {
		b = &f->bar[i - 1];
		if (v == 0xffffffffU && (f->command & PCI_COMMAND_MEMORY))
			f->sized_with_decode_on = true;
		if (!b->stuck)
			b->value = (b->value & 0xffffffffULL) |
				   (uint64_t)v << 32;
		return;
	}
	b = &f->bar[i];
	if (v == 0xffffffffU &&
	    (f->command & (PCI_COMMAND_MEMORY | PCI_COMMAND_IO)))
		f->sized_with_decode_on = true;
	if (!b->stuck)
		b->value = (b->value & ~0xffffffffULL) | (v & ~0xfU);
}

static uint32_t fake_read32(void *ctx, uint32_t bdf, unsigned int reg)
{
	struct fake_fn *f = fn_at(bdf);

	(void)ctx;
	assert_int_equal(reg & 3, 0);
	if (!f || !f->present)
		return 0xffffffffU;
	switch (reg) {
	case PCI_VENDOR_ID:
		return f->vendor | (uint32_t)f->device << 16;
	case PCI_COMMAND:
		return f->command | (uint32_t)f->status << 16;
	case 0x0c:
		return (uint32_t)f->header_type << 16;
	}
	if (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS)
		return bar_read(f, (reg - PCI_BAR0) / 4);
	return 0;
}

static void fake_write32(void *ctx, uint32_t bdf, unsigned int reg,
			 uint32_t v)
{
	struct fake_fn *f = fn_at(bdf);

	(void)ctx;
	assert_int_equal(reg & 3, 0);
	if (!f || !f->present)
		return;
	if (reg == PCI_COMMAND) {
		f->command = v & 0xffff;
		f->status_written |= v >> 16;
	} else if (reg >= PCI_BAR0 && reg < PCI_BAR0 + 4 * PCI_NR_BARS) {
		bar_write(f, (reg - PCI_BAR0) / 4, v);
	}
}

static const struct pci_cfg cfg = {
	.read32 = fake_read32,
	.write32 = fake_write32,
};

/* An ivshmem-plain look-alike at 00:02.0 (BAR0 256 B, BAR2 64-bit). */
static int setup_bus(void **state)
{
	struct fake_fn *f = &bus[2][0];

	(void)state;
	memset(bus, 0, sizeof(bus));
	bus[0][0] = (struct fake_fn){ .present = true, .vendor = 0x1b36,
				      .device = 0x0008 };
	*f = (struct fake_fn){ .present = true, .vendor = 0x1af4,
			       .device = 0x1110, .status = 0xf900,
			       .command = PCI_COMMAND_IO };
	f->bar[0] = (struct fake_bar){ .size = 0x100 };
	f->bar[2] = (struct fake_bar){ .size = 16 << 20,
				       .flags = PCI_BAR_MEM_TYPE_64 |
						PCI_BAR_MEM_PREFETCH };
	f->bar[0].value = 0x12345600;	/* "left over" addresses */
	f->bar[2].value = 0xabc000000ULL;
	return 0;
}

static struct pci_window win32(void)
{
	return (struct pci_window){ .cpu_base = 0x10000000,
				    .bus_base = 0x10000000,
				    .size = 0x2eff0000 };
}

static struct pci_window win64(void)
{
	return (struct pci_window){ .cpu_base = 0x8000000000ULL,
				    .bus_base = 0x8000000000ULL,
				    .size = 0x8000000000ULL, .mem64 = true };
}

static void test_find_device(void **state)
{
	uint32_t bdf;

	(void)state;
	assert_int_equal(pci_find_device(&cfg, 0, 0x1af4, 0x1110, &bdf), 0);
	assert_int_equal(bdf, PCI_BDF(0, 2, 0));
	assert_int_equal(pci_find_device(&cfg, 0, 0x1af4, 0x1111, &bdf),
			 -ENODEV);
	/* Another bus answers nothing. */
	assert_int_equal(pci_find_device(&cfg, 1, 0x1af4, 0x1110, &bdf),
			 -ENODEV);
}

static void test_find_multifunction(void **state)
{
	uint32_t bdf;

	(void)state;
	bus[5][3] = (struct fake_fn){ .present = true, .vendor = 0x8086,
				      .device = 0x1452 };
	/* Function 0 absent: functions > 0 are not scanned. */
	assert_int_equal(pci_find_device(&cfg, 0, 0x8086, 0x1452, &bdf),
			 -ENODEV);
	bus[5][0] = (struct fake_fn){ .present = true, .vendor = 0x8086,
				      .device = 0x0001 };
	assert_int_equal(pci_find_device(&cfg, 0, 0x8086, 0x1452, &bdf),
			 -ENODEV);
	bus[5][0].header_type = PCI_HEADER_MULTIFUNC;
	assert_int_equal(pci_find_device(&cfg, 0, 0x8086, 0x1452, &bdf), 0);
	assert_int_equal(bdf, PCI_BDF(0, 5, 3));
}

static void test_probe_bars(void **state)
{
	struct fake_fn *f = &bus[2][0];
	struct pci_bar bar;

	(void)state;
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 0, &bar), 0);
	assert_int_equal(bar.size, 0x100);
	assert_false(bar.mem64);
	assert_false(bar.io);

	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 2, &bar), 0);
	assert_int_equal(bar.size, 16 << 20);
	assert_true(bar.mem64);
	assert_true(bar.prefetchable);

	/* BAR 1 is not implemented. */
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 1, &bar), 0);
	assert_int_equal(bar.size, 0);

	/* Sizing restored the BARs and the command register... */
	assert_int_equal(f->bar[0].value, 0x12345600);
	assert_int_equal(f->bar[2].value, 0xabc000000ULL);
	assert_int_equal(f->command, PCI_COMMAND_IO);
	/* ...and never let a BAR decode all ones. */
	assert_false(f->sized_with_decode_on);
	/* Status error bits are write-one-to-clear: never written back. */
	assert_int_equal(f->status_written, 0);
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 6, &bar),
			 -EINVAL);
}

static void test_probe_large_and_io(void **state)
{
	struct fake_fn *f = &bus[2][0];
	struct pci_bar bar;

	(void)state;
	/* An 8 GiB BAR: the whole low dword reads as zero address bits. */
	f->bar[2].size = 8ULL << 30;
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 2, &bar), 0);
	assert_int_equal(bar.size, 8ULL << 30);

	f->bar[4] = (struct fake_bar){ .size = 0x20, .flags = PCI_BAR_IO };
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 4, &bar), 0);
	assert_true(bar.io);
	assert_int_equal(bar.size, 0x20);
}

static void test_probe_malformed(void **state)
{
	struct fake_fn *f = &bus[2][0];
	struct pci_bar bar;

	(void)state;
	/* Address bits with a hole: not a power-of-two decoder. */
	f->bar[0].broken_mask = 0xfff0f000;
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 0, &bar),
			 -EINVAL);
	assert_int_equal(bar.size, 0);
	/* Reserved memory type 0b11. */
	f->bar[0].broken_mask = 0xfffff006;
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 0, &bar),
			 -EINVAL);
	/* A 64-bit BAR in the last slot has no upper half. */
	f->bar[5] = (struct fake_bar){ .broken_mask = 0xfffff004 };
	assert_int_equal(pci_bar_probe(&cfg, PCI_BDF(0, 2, 0), 5, &bar),
			 -EINVAL);
	assert_int_equal(f->command, PCI_COMMAND_IO);
}

static void test_window_alloc(void **state)
{
	struct pci_window w = { .cpu_base = 0x1000, .bus_base = 0x1000,
				.size = 0x10000 };
	uint64_t addr;

	(void)state;
	assert_int_equal(pci_window_alloc(&w, 0x100, true, &addr), 0);
	assert_int_equal(addr, 0x1000);
	/* Size alignment skips the gap. */
	assert_int_equal(pci_window_alloc(&w, 0x4000, true, &addr), 0);
	assert_int_equal(addr, 0x4000);
	assert_int_equal(w.used, 0x7000);
	/* Exhaustion leaves the window untouched. */
	assert_int_equal(pci_window_alloc(&w, 0x10000, true, &addr), -ENOSPC);
	assert_int_equal(w.used, 0x7000);
	/* Exact fit to the last byte. */
	assert_int_equal(pci_window_alloc(&w, 0x8000, true, &addr), 0);
	assert_int_equal(addr, 0x8000);
	assert_int_equal(pci_window_alloc(&w, 0x1000, true, &addr), 0);
	assert_int_equal(addr, 0x10000);
	assert_int_equal(w.used, w.size);
	assert_int_equal(pci_window_alloc(&w, 0x1000, true, &addr), -ENOSPC);
	/* Sizes must be powers of two. */
	w.used = 0;
	assert_int_equal(pci_window_alloc(&w, 0x3000, true, &addr), -EINVAL);
	assert_int_equal(pci_window_alloc(&w, 0, true, &addr), -EINVAL);
}

static void test_window_4g_and_wrap(void **state)
{
	struct pci_window w = { .bus_base = 0xf0000000, .size = 0x20000000,
				.mem64 = true };
	uint64_t addr;

	(void)state;
	/* A 32-bit BAR cannot take space that crosses 4 GiB... */
	assert_int_equal(pci_window_alloc(&w, 0x20000000, true, &addr),
			 -ENOSPC);
	assert_int_equal(pci_window_alloc(&w, 0x10000000, true, &addr), 0);
	assert_int_equal(addr, 0xf0000000);
	assert_int_equal(pci_window_alloc(&w, 0x10000000, true, &addr),
			 -ENOSPC);
	/* ...a 64-bit one can. */
	assert_int_equal(pci_window_alloc(&w, 0x10000000, false, &addr), 0);
	assert_int_equal(addr, 0x100000000ULL);

	/* A window ending exactly at 2^64 - 1 is fine; one past is not. */
	w = (struct pci_window){ .bus_base = 0xfffffffffffff000ULL,
				 .cpu_base = 0x1000, .size = 0x1000 };
	assert_int_equal(pci_window_validate(&w), 0);
	assert_int_equal(pci_window_alloc(&w, 0x1000, false, &addr), 0);
	assert_int_equal(addr, 0xfffffffffffff000ULL);
	w.size = 0x2000;
	assert_int_equal(pci_window_validate(&w), -EINVAL);
	assert_int_equal(pci_window_alloc(&w, 0x1000, false, &addr), -EINVAL);

	/* Aligning up must not wrap to a small address. */
	w = (struct pci_window){ .bus_base = 0xffffffffffff0000ULL,
				 .size = 0x10000, .used = 0x1000 };
	assert_int_equal(pci_window_alloc(&w, 0x100000, false, &addr),
			 -ENOSPC);
	w.used = w.size + 1;
	assert_int_equal(pci_window_validate(&w), -EINVAL);
	w = (struct pci_window){ .bus_base = 0x1000, .size = 0 };
	assert_int_equal(pci_window_validate(&w), -EINVAL);
}

static void test_assign_ivshmem(void **state)
{
	struct pci_window wins[2] = { win32(), win64() };
	struct fake_fn *f = &bus[2][0];
	uint32_t bdf = PCI_BDF(0, 2, 0);
	struct pci_bar b0, b2;

	(void)state;
	assert_int_equal(pci_bar_probe(&cfg, bdf, 0, &b0), 0);
	assert_int_equal(pci_bar_probe(&cfg, bdf, 2, &b2), 0);
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b0, wins, 2), 0);
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b2, wins, 2), 0);
	assert_int_equal(b0.bus_addr, 0x10000000);
	assert_int_equal(b0.cpu_addr, 0x10000000);
	/* Small BARs get a whole page. */
	assert_int_equal(wins[0].used, 0x1000);
	assert_int_equal(b2.bus_addr, 0x8000000000ULL);
	assert_int_equal(f->bar[0].value, 0x10000000);
	assert_int_equal(f->bar[2].value, 0x8000000000ULL);
	/* Type bits survive the address write. */
	assert_int_equal(fake_read32(NULL, bdf, PCI_BAR0 + 8) & 0xf,
			 PCI_BAR_MEM_TYPE_64 | PCI_BAR_MEM_PREFETCH);

	pci_enable_device(&cfg, bdf);
	assert_int_equal(f->command, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				     PCI_COMMAND_MASTER);
	assert_int_equal(f->status_written, 0);
}

static void test_assign_translation_and_fallback(void **state)
{
	/* CPU and bus addresses differ: the CPU address is translated. */
	struct pci_window w = { .cpu_base = 0x4000000000ULL,
				.bus_base = 0x20000000, .size = 0x10000000 };
	uint32_t bdf = PCI_BDF(0, 2, 0);
	struct pci_bar b2;

	(void)state;
	assert_int_equal(pci_bar_probe(&cfg, bdf, 2, &b2), 0);
	/* No 64-bit window: a 64-bit BAR falls back to 32-bit space. */
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b2, &w, 1), 0);
	assert_int_equal(b2.bus_addr, 0x20000000);
	assert_int_equal(b2.cpu_addr, 0x4000000000ULL);
	assert_int_equal(bus[2][0].bar[2].value, 0x20000000);
}

static void test_assign_failures(void **state)
{
	struct pci_window high = win64(), small = win32();
	uint32_t bdf = PCI_BDF(0, 2, 0);
	struct pci_bar b0, b2;

	(void)state;
	assert_int_equal(pci_bar_probe(&cfg, bdf, 0, &b0), 0);
	/* A 32-bit BAR never lands above 4 GiB. */
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b0, &high, 1), -ENOSPC);
	/* Window too small for 16 MiB. */
	small.size = 0x800000;
	assert_int_equal(pci_bar_probe(&cfg, bdf, 2, &b2), 0);
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b2, &small, 1), -ENOSPC);
	/* A BAR that does not take its address is caught on read-back. */
	bus[2][0].bar[0].stuck = true;
	small = win32();
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b0, &small, 1), -EIO);
	/* Unsized and I/O BARs are refused. */
	b0.size = 0;
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b0, &small, 1), -EINVAL);
	b0.size = 0x100;
	b0.io = true;
	assert_int_equal(pci_bar_assign(&cfg, bdf, &b0, &small, 1), -EINVAL);
}

static void test_many_bars_no_overlap(void **state)
{
	struct pci_window w = win32();
	uint64_t addr[40], size[40];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < 40; i++) {
		size[i] = 0x1000ULL << (i * 7 % 13);
		assert_int_equal(pci_window_alloc(&w, size[i], true, &addr[i]),
				 0);
		assert_int_equal(addr[i] % size[i], 0);
		assert_true(addr[i] >= w.bus_base &&
			    addr[i] + size[i] <= w.bus_base + w.size);
		for (j = 0; j < i; j++)
			assert_true(addr[i] >= addr[j] + size[j] ||
				    addr[j] >= addr[i] + size[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_find_device, setup_bus),
		cmocka_unit_test_setup(test_find_multifunction, setup_bus),
		cmocka_unit_test_setup(test_probe_bars, setup_bus),
		cmocka_unit_test_setup(test_probe_large_and_io, setup_bus),
		cmocka_unit_test_setup(test_probe_malformed, setup_bus),
		cmocka_unit_test(test_window_alloc),
		cmocka_unit_test(test_window_4g_and_wrap),
		cmocka_unit_test_setup(test_assign_ivshmem, setup_bus),
		cmocka_unit_test_setup(test_assign_translation_and_fallback,
				       setup_bus),
		cmocka_unit_test_setup(test_assign_failures, setup_bus),
		cmocka_unit_test(test_many_bars_no_overlap),
	};

	return cmocka_run_group_tests_name("pci", tests, NULL, NULL);
}
