// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/fdt.c: lookups on well-formed trees, and malformed
 * blobs (bad header, truncation, corrupt tokens, every single-byte
 * mutation) that must end in an error code, never a crash or an
 * out-of-bounds read (the tests run under AddressSanitizer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fdt.h"
#include "tests/fdt_builder.h"

/* A small tree with the shapes the firmware parses. */
static uint8_t *build_sample(size_t *size)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_str(&b, "compatible", "linux,dummy-virt");

	fdtb_begin_node(&b, "aliases");
	fdtb_prop_str(&b, "serial0", "/uart@9000000");
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_cells(&b, "reg", 8, 0, 0x40000000, 0, 0x10000000,
			0x1, 0x00000000, 0, 0x1000);
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "uart@9000000");
	fdtb_prop(&b, "compatible", "arm,pl011\0arm,primecell", 24);
	fdtb_prop_cells(&b, "reg", 4, 0, 0x09000000, 0, 0x1000);
	fdtb_prop_str(&b, "status", "okay");
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "uart@9040000");
	fdtb_prop(&b, "compatible", "arm,pl011\0arm,primecell", 24);
	fdtb_prop_cells(&b, "reg", 4, 0, 0x09040000, 0, 0x1000);
	fdtb_prop_str(&b, "status", "disabled");
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "soc");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 1);
	fdtb_begin_node(&b, "timer@1000");
	fdtb_prop_cells(&b, "reg", 2, 0x1000, 0x100);
	fdtb_prop_str(&b, "status", "ok");
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "bad-reg@0");
	fdtb_prop_cells(&b, "reg", 3, 0x1, 0x2, 0x3);	/* not 2-cell aligned */
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "wrap@ffffff00");
	fdtb_prop_cells(&b, "reg", 2, 0xffffff00, 0x200);
	fdtb_end_node(&b);
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_begin_node(&b, "cpu@0");
	fdtb_prop_u32(&b, "reg", 0);
	fdtb_end_node(&b);
	fdtb_begin_node(&b, "cpu@1");
	fdtb_prop_u32(&b, "reg", 1);
	fdtb_end_node(&b);
	fdtb_end_node(&b);

	fdtb_begin_node(&b, "weird");
	fdtb_prop_u32(&b, "#address-cells", 9);
	fdtb_prop_cells(&b, "#size-cells", 2, 1, 1);
	fdtb_prop(&b, "unterminated", "abc", 3);
	fdtb_end_node(&b);

	fdtb_end_node(&b);
	return fdtb_finish(&b, size);
}

static void open_sample(struct fdt *fdt, uint8_t **blob)
{
	size_t size;

	*blob = build_sample(&size);
	assert_int_equal(fdt_open(fdt, *blob, size), 0);
}

static void test_open_valid(void **state)
{
	struct fdt fdt;
	uint8_t *blob;

	(void)state;
	open_sample(&fdt, &blob);
	assert_int_equal(fdt_next_node(&fdt, -1, NULL), 0);
	assert_string_equal(fdt_get_name(&fdt, 0), "");
	free(blob);
}

static void test_walk_order_and_depth(void **state)
{
	static const char *const expect[] = {
		"", "aliases", "memory@40000000", "uart@9000000",
		"uart@9040000", "soc", "timer@1000", "bad-reg@0",
		"wrap@ffffff00", "cpus", "cpu@0", "cpu@1", "weird",
	};
	static const int depths[] = { 0, 1, 1, 1, 1, 1, 2, 2, 2, 1, 2, 2, 1 };
	struct fdt fdt;
	uint8_t *blob;
	int node, depth = 0;
	unsigned int i = 0;

	(void)state;
	open_sample(&fdt, &blob);
	for (node = fdt_next_node(&fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(&fdt, node, &depth), i++) {
		assert_true(i < ARRAY_SIZE(expect));
		assert_string_equal(fdt_get_name(&fdt, node), expect[i]);
		assert_int_equal(depth, depths[i]);
	}
	assert_int_equal(node, -FDT_ERR_NOTFOUND);
	assert_int_equal(i, ARRAY_SIZE(expect));
	free(blob);
}

static void test_subnodes_and_parent(void **state)
{
	struct fdt fdt;
	uint8_t *blob;
	int cpus, c0, c1, soc;

	(void)state;
	open_sample(&fdt, &blob);
	cpus = fdt_path_offset(&fdt, "/cpus");
	assert_true(cpus > 0);
	c0 = fdt_first_subnode(&fdt, cpus);
	assert_string_equal(fdt_get_name(&fdt, c0), "cpu@0");
	c1 = fdt_next_subnode(&fdt, c0);
	assert_string_equal(fdt_get_name(&fdt, c1), "cpu@1");
	assert_int_equal(fdt_next_subnode(&fdt, c1), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_parent_offset(&fdt, c1), cpus);
	assert_int_equal(fdt_parent_offset(&fdt, cpus), 0);
	assert_int_equal(fdt_parent_offset(&fdt, 0), -FDT_ERR_NOTFOUND);
	/* A leaf has no subnodes; siblings of soc's children stay inside. */
	assert_int_equal(fdt_first_subnode(&fdt, c0), -FDT_ERR_NOTFOUND);
	soc = fdt_path_offset(&fdt, "/soc");
	c0 = fdt_first_subnode(&fdt, soc);
	assert_string_equal(fdt_get_name(&fdt, fdt_next_subnode(&fdt, c0)),
			    "bad-reg@0");
	free(blob);
}

static void test_path_lookup(void **state)
{
	struct fdt fdt;
	uint8_t *blob;
	int n;

	(void)state;
	open_sample(&fdt, &blob);
	assert_int_equal(fdt_path_offset(&fdt, "/"), 0);
	n = fdt_path_offset(&fdt, "/soc/timer@1000");
	assert_string_equal(fdt_get_name(&fdt, n), "timer@1000");
	/* Without a unit address, the name before '@' matches. */
	assert_int_equal(fdt_path_offset(&fdt, "/soc/timer"), n);
	assert_int_equal(fdt_path_offset(&fdt, "//soc//timer@1000/"), n);
	assert_int_equal(fdt_path_offset(&fdt, "/soc/timer@100"),
			 -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "/nope"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "/soc/timer@1000/x"),
			 -FDT_ERR_NOTFOUND);
	/* Aliases resolve as whole paths only. */
	assert_int_equal(fdt_path_offset(&fdt, "serial0"),
			 fdt_path_offset(&fdt, "/uart@9000000"));
	assert_int_equal(fdt_path_offset(&fdt, "serial1"), -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(&fdt, "serial0/x"),
			 -FDT_ERR_NOTFOUND);
	free(blob);
}

static void test_properties(void **state)
{
	struct fdt fdt;
	uint8_t *blob;
	const char *v;
	int uart, weird, node, len;
	uint32_t u;

	(void)state;
	open_sample(&fdt, &blob);
	uart = fdt_path_offset(&fdt, "/uart@9000000");
	v = fdt_getprop(&fdt, uart, "compatible", &len);
	assert_non_null(v);
	assert_int_equal(len, 24);
	assert_true(fdt_node_is_compatible(&fdt, uart, "arm,pl011"));
	assert_true(fdt_node_is_compatible(&fdt, uart, "arm,primecell"));
	assert_false(fdt_node_is_compatible(&fdt, uart, "arm,pl01"));
	assert_null(fdt_getprop(&fdt, uart, "missing", &len));
	assert_int_equal(len, -FDT_ERR_NOTFOUND);
	assert_true(fdt_node_is_enabled(&fdt, uart));
	node = fdt_path_offset(&fdt, "/uart@9040000");
	assert_false(fdt_node_is_enabled(&fdt, node));
	node = fdt_path_offset(&fdt, "/soc/timer");
	assert_true(fdt_node_is_enabled(&fdt, node));
	assert_true(fdt_node_is_enabled(&fdt, fdt_path_offset(&fdt, "/cpus")));
	assert_int_equal(fdt_find_compatible(&fdt, -1, "arm,pl011"), uart);
	assert_int_equal(fdt_find_compatible(&fdt, uart, "arm,pl011"),
			 fdt_path_offset(&fdt, "/uart@9040000"));

	weird = fdt_path_offset(&fdt, "/weird");
	assert_false(fdt_prop_has_string(&fdt, weird, "unterminated", "abc"));
	assert_int_equal(fdt_getprop_u32(&fdt, weird, "#size-cells", &u),
			 -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_getprop_u32(&fdt, 0, "#size-cells", &u), 0);
	assert_int_equal(u, 2);
	free(blob);
}

static void test_cells_and_reg(void **state)
{
	struct fdt fdt;
	uint8_t *blob;
	uint64_t addr, size;
	int mem, soc, weird, cpu1, node;

	(void)state;
	open_sample(&fdt, &blob);
	assert_int_equal(fdt_address_cells(&fdt, 0), 2);
	assert_int_equal(fdt_size_cells(&fdt, 0), 2);
	cpu1 = fdt_path_offset(&fdt, "/cpus/cpu@1");
	/* Defaults when absent. */
	assert_int_equal(fdt_address_cells(&fdt, cpu1), 2);
	assert_int_equal(fdt_size_cells(&fdt, cpu1), 1);
	weird = fdt_path_offset(&fdt, "/weird");
	assert_int_equal(fdt_address_cells(&fdt, weird), -FDT_ERR_BADVALUE);
	assert_int_equal(fdt_size_cells(&fdt, weird), -FDT_ERR_BADVALUE);

	mem = fdt_path_offset(&fdt, "/memory");
	assert_int_equal(fdt_read_reg(&fdt, mem, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40000000);
	assert_int_equal(size, 0x10000000);
	assert_int_equal(fdt_read_reg(&fdt, mem, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x100000000ULL);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_read_reg(&fdt, mem, 2, &addr, &size),
			 -FDT_ERR_NOTFOUND);

	soc = fdt_path_offset(&fdt, "/soc");
	assert_int_equal(fdt_read_reg(&fdt, fdt_first_subnode(&fdt, soc), 0,
				      &addr, &size), 0);
	assert_int_equal(addr, 0x1000);
	assert_int_equal(size, 0x100);
	node = fdt_path_offset(&fdt, "/soc/bad-reg");
	assert_int_equal(fdt_read_reg(&fdt, node, 0, &addr, &size),
			 -FDT_ERR_BADVALUE);
	/* Past 4 GiB is fine for 32-bit cells: the sum is 64-bit. */
	node = fdt_path_offset(&fdt, "/soc/wrap");
	assert_int_equal(fdt_read_reg(&fdt, node, 0, &addr, &size), 0);
	assert_int_equal(addr + size, 0x100000100ULL);

	assert_int_equal(fdt_read_reg(&fdt, cpu1, 0, &addr, &size), 0);
	assert_int_equal(addr, 1);
	assert_int_equal(size, 0);
	assert_int_equal(fdt_read_reg(&fdt, 0, 0, &addr, &size),
			 -FDT_ERR_BADOFFSET);
	free(blob);
}

static void test_reg_wraps(void **state)
{
	struct fdtb b;
	struct fdt fdt;
	uint8_t *blob;
	uint64_t addr, size;
	size_t len;

	(void)state;
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_begin_node(&b, "x");
	fdtb_prop_cells(&b, "reg", 3, 0xffffffff, 0xfffff000, 0x2000);
	fdtb_end_node(&b);
	fdtb_end_node(&b);
	blob = fdtb_finish(&b, &len);
	assert_int_equal(fdt_open(&fdt, blob, len), 0);
	assert_int_equal(fdt_read_reg(&fdt, fdt_path_offset(&fdt, "/x"), 0,
				      &addr, &size), -FDT_ERR_BADVALUE);
	free(blob);
}

static void test_bad_offsets(void **state)
{
	struct fdt fdt;
	uint8_t *blob;
	int len;

	(void)state;
	open_sample(&fdt, &blob);
	assert_null(fdt_get_name(&fdt, -1));
	assert_null(fdt_get_name(&fdt, 3));		/* misaligned */
	assert_null(fdt_get_name(&fdt, 4));		/* a property token */
	assert_null(fdt_get_name(&fdt, 1 << 30));	/* far outside */
	assert_null(fdt_getprop(&fdt, 1 << 30, "reg", &len));
	assert_int_equal(len, -FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_next_node(&fdt, 8, NULL), -FDT_ERR_BADOFFSET);
	assert_int_equal(fdt_parent_offset(&fdt, 8), -FDT_ERR_BADOFFSET);
	free(blob);
}

static void test_header_errors(void **state)
{
	struct fdt fdt;
	uint8_t *blob, *copy;
	size_t size;

	(void)state;
	blob = build_sample(&size);
	copy = malloc(size);

	assert_int_equal(fdt_open(&fdt, NULL, size), -FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_open(&fdt, blob, 39), -FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_open(&fdt, blob, size - 1), -FDT_ERR_TRUNCATED);

#define CORRUPT(field, value, err) do {					\
	memcpy(copy, blob, size);					\
	fdtb_set_hdr(copy, field, value);				\
	assert_int_equal(fdt_open(&fdt, copy, size), err);		\
	assert_null(fdt.blob);						\
} while (0)
	CORRUPT(FDTB_HDR_MAGIC, 0xedfe0dd0, -FDT_ERR_BADMAGIC);
	CORRUPT(FDTB_HDR_VERSION, 16, -FDT_ERR_BADVERSION);
	CORRUPT(FDTB_HDR_LAST_COMP, 18, -FDT_ERR_BADVERSION);
	CORRUPT(FDTB_HDR_TOTALSIZE, 0x80000000, -FDT_ERR_TRUNCATED);
	CORRUPT(FDTB_HDR_TOTALSIZE, 20, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_STRUCT, 58, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_STRUCT, 8, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_STRUCT, 0xfffffff0, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_SIZE_STRUCT, size, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_SIZE_STRUCT, 0xfffffffc, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_SIZE_STRUCT, 0, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_SIZE_STRUCT, 6, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_STRINGS, size + 1, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_SIZE_STRINGS, 0x7fffffff, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_RSVMAP, 44, -FDT_ERR_BADLAYOUT);
	CORRUPT(FDTB_HDR_OFF_RSVMAP, size, -FDT_ERR_BADLAYOUT);
#undef CORRUPT
	free(copy);
	free(blob);
}

static void test_corrupt_structure(void **state)
{
	struct fdtb b;
	struct fdt fdt;
	uint8_t *blob;
	size_t size;
	int len;

	(void)state;
	/* Unknown token after the root's name. */
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_raw_u32(&b, 7);
	fdtb_end_node(&b);
	blob = fdtb_finish(&b, &size);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_int_equal(fdt_next_node(&fdt, 0, NULL), -FDT_ERR_BADSTRUCTURE);
	assert_null(fdt_getprop(&fdt, 0, "x", &len));
	assert_int_equal(len, -FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* A property whose length runs past the structure block. */
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_u32(&b, "a", 1);	/* strings block: "a" at 0 */
	fdtb_raw_u32(&b, 3);
	fdtb_raw_u32(&b, 0x1000);
	fdtb_raw_u32(&b, 0);
	fdtb_end_node(&b);
	blob = fdtb_finish(&b, &size);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_non_null(fdt_getprop(&fdt, 0, "a", &len));
	assert_null(fdt_getprop(&fdt, 0, "b", &len));
	assert_int_equal(len, -FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* A property name offset outside the strings block. */
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_prop_u32(&b, "reg", 1);
	fdtb_end_node(&b);
	blob = fdtb_finish(&b, &size);
	fdtb_set_hdr(blob, FDTB_HDR_SIZE_STRINGS, 3);	/* "reg" loses NUL */
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_null(fdt_getprop(&fdt, 0, "reg", &len));
	assert_int_equal(len, -FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* No FDT_END and no closing END_NODE: walks stop at the edge. */
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	fdtb_begin_node(&b, "a");
	blob = fdtb_finish(&b, &size);
	fdtb_set_hdr(blob, FDTB_HDR_SIZE_STRUCT,
		     fdtb_get_hdr(blob, FDTB_HDR_SIZE_STRUCT) - 4);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_int_equal(fdt_next_node(&fdt, 0, NULL), 8);
	assert_int_equal(fdt_next_node(&fdt, 8, NULL), -FDT_ERR_BADSTRUCTURE);
	assert_int_equal(fdt_path_offset(&fdt, "/b"), -FDT_ERR_BADSTRUCTURE);
	free(blob);

	/* A root name without a terminating NUL inside the block. */
	fdtb_init(&b);
	fdtb_begin_node(&b, "abc");
	blob = fdtb_finish(&b, &size);
	/* Structure: BEGIN, "abc\0", END(9). Cut before the NUL. */
	fdtb_set_hdr(blob, FDTB_HDR_SIZE_STRUCT, 4);
	memcpy(blob + fdtb_get_hdr(blob, FDTB_HDR_OFF_STRUCT) + 4, "abcd", 4);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_int_equal(fdt_next_node(&fdt, -1, NULL), -FDT_ERR_BADSTRUCTURE);
	free(blob);
}

static void test_deep_nesting(void **state)
{
	struct fdtb b;
	struct fdt fdt;
	uint8_t *blob;
	size_t size;
	int i, node = 0;

	(void)state;
	fdtb_init(&b);
	fdtb_begin_node(&b, "");
	for (i = 0; i < FDT_MAX_DEPTH + 4; i++)
		fdtb_begin_node(&b, "n");
	for (i = 0; i < FDT_MAX_DEPTH + 4; i++)
		fdtb_end_node(&b);
	fdtb_end_node(&b);
	blob = fdtb_finish(&b, &size);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	for (i = 0; i < FDT_MAX_DEPTH + 4; i++)
		node = fdt_next_node(&fdt, node, NULL);
	assert_true(node > 0);
	assert_int_equal(fdt_parent_offset(&fdt, node), -FDT_ERR_TOODEEP);
	free(blob);
}

/* Touch everything the firmware would; results are irrelevant. */
static void exercise(const uint8_t *blob, size_t size)
{
	uint64_t a, s;
	struct fdt fdt;
	int node, depth = 0, len, steps = 0;
	uint32_t u;

	if (fdt_open(&fdt, blob, size))
		return;
	for (node = fdt_next_node(&fdt, -1, &depth); node >= 0 && steps < 10000;
	     node = fdt_next_node(&fdt, node, &depth), steps++) {
		(void)fdt_get_name(&fdt, node);
		(void)fdt_getprop(&fdt, node, "reg", &len);
		(void)fdt_read_reg(&fdt, node, 0, &a, &s);
		(void)fdt_read_reg(&fdt, node, 1, &a, &s);
		(void)fdt_node_is_compatible(&fdt, node, "arm,pl011");
		(void)fdt_node_is_enabled(&fdt, node);
		(void)fdt_getprop_u32(&fdt, node, "#address-cells", &u);
		(void)fdt_first_subnode(&fdt, node);
		(void)fdt_next_subnode(&fdt, node);
		(void)fdt_parent_offset(&fdt, node);
	}
	assert_true(steps < 10000);
	(void)fdt_path_offset(&fdt, "/soc/timer@1000");
	(void)fdt_path_offset(&fdt, "serial0");
	(void)fdt_find_compatible(&fdt, -1, "nothing");
}

static void test_every_truncation(void **state)
{
	uint8_t *blob, *copy;
	size_t size, len;

	(void)state;
	blob = build_sample(&size);
	for (len = 0; len <= size; len++) {
		/* An exact-size copy, so reading past len trips ASan. */
		copy = malloc(len ? len : 1);
		memcpy(copy, blob, len);
		exercise(copy, len);
		if (len >= 40)	/* also with the header claiming len */
			fdtb_set_hdr(copy, FDTB_HDR_TOTALSIZE, len),
			exercise(copy, len);
		free(copy);
	}
	free(blob);
}

static void test_every_byte_mutation(void **state)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01,
					  0x03, 0x09, 0x40 };
	uint8_t *blob, *copy;
	size_t size, i, v;

	(void)state;
	blob = build_sample(&size);
	copy = malloc(size);
	for (i = 0; i < size; i++) {
		for (v = 0; v < sizeof(values); v++) {
			memcpy(copy, blob, size);
			copy[i] = values[v];
			exercise(copy, size);
			copy[i] = blob[i] ^ 0x04;
			exercise(copy, size);
		}
	}
	free(copy);
	free(blob);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(fdt_strerror(0), "ok");
	assert_string_equal(fdt_strerror(-FDT_ERR_BADMAGIC),
			    "bad magic (not a device tree blob)");
	assert_string_equal(fdt_strerror(-1000), "unknown error");
}

static void test_be_cells(void **state)
{
	static const uint8_t cells[] = { 0x12, 0x34, 0x56, 0x78,
					 0x9a, 0xbc, 0xde, 0xf0, 0xff };

	(void)state;
	/* Unaligned on purpose: byte loads only. */
	assert_int_equal(fdt_be32(cells + 1), 0x3456789a);
	assert_int_equal(fdt_read_cells(cells, 2), 0x123456789abcdef0ULL);
	assert_int_equal(fdt_read_cells(cells, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_valid),
		cmocka_unit_test(test_walk_order_and_depth),
		cmocka_unit_test(test_subnodes_and_parent),
		cmocka_unit_test(test_path_lookup),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_cells_and_reg),
		cmocka_unit_test(test_reg_wraps),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_corrupt_structure),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_every_byte_mutation),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_be_cells),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
