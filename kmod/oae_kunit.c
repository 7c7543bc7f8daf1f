// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for oae_ipu.ko: the window-header validator. Every header is
 * built in a scratch buffer the way a (possibly malicious) IPU could write
 * it; the validator must name the problem, never touch memory outside the
 * window, and accept only what the ABI allows.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "oae_ipu.h"

#define TEST_WINDOW	(256 * 1024)
#define TEST_LINKS	4
#define TEST_CORES	2
#define TEST_RING	64

struct oae_hdr_test {
	struct oae_ipu_hdr *hdr;
	struct oae_geometry geo;
};

static int oae_hdr_test_init(struct kunit *test)
{
	struct oae_hdr_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->hdr = kunit_kzalloc(test, TEST_WINDOW, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->hdr);
	KUNIT_ASSERT_EQ(test, oae_geometry_format(t->hdr, TEST_WINDOW,
						  TEST_LINKS, TEST_CORES,
						  TEST_RING), OAE_HDR_OK);
	test->priv = t;
	return 0;
}

static enum oae_hdr_error check(struct kunit *test, u64 bar_size)
{
	struct oae_hdr_test *t = test->priv;

	return oae_geometry_read(t->hdr, bar_size, &t->geo);
}

static void oae_hdr_valid(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_OK);
	KUNIT_EXPECT_EQ(test, t->geo.nr_links, TEST_LINKS * OAE_NR_CLASSES);
	KUNIT_EXPECT_EQ(test, t->geo.links_per_class, TEST_LINKS);
	KUNIT_EXPECT_EQ(test, t->geo.nr_classes, OAE_NR_CLASSES);
	KUNIT_EXPECT_EQ(test, t->geo.nr_cores, TEST_CORES);
	KUNIT_EXPECT_EQ(test, t->geo.ring_entries, TEST_RING);
	KUNIT_EXPECT_EQ(test, t->geo.window_size, TEST_WINDOW);
	/* A larger BAR than the formatted window is fine. */
	KUNIT_EXPECT_EQ(test, check(test, 2 * TEST_WINDOW), OAE_HDR_OK);
}

static void oae_hdr_not_formatted(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	memset(t->hdr, 0, TEST_WINDOW);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_NOT_FORMATTED);
}

static void oae_hdr_bad_magic(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->magic = cpu_to_le64(OAE_MAGIC ^ 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_MAGIC);
	t->hdr->magic = cpu_to_le64(OAE_MAGIC >> 8);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_MAGIC);
}

static void oae_hdr_versions(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	/* A newer minor only adds fields: accepted. */
	t->hdr->abi_version = cpu_to_le32(OAE_ABI_VERSION + 5);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_OK);
	t->hdr->abi_version = cpu_to_le32((OAE_ABI_MAJOR + 1) << 16);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_VERSION);
	t->hdr->abi_version = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_VERSION);
}

static void oae_hdr_sizes(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->window_size = cpu_to_le64(2 * TEST_WINDOW);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_SIZE);
	t->hdr->window_size = cpu_to_le64(OAE_WINDOW_MIN - 4096);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_SIZE);
	t->hdr->window_size = cpu_to_le64(TEST_WINDOW - 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_SIZE);
	t->hdr->window_size = cpu_to_le64(TEST_WINDOW);
	t->hdr->hdr_size = cpu_to_le32(sizeof(struct oae_ipu_hdr) - 64);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_SIZE);
	t->hdr->hdr_size = cpu_to_le32(8192);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_SIZE);
}

static void oae_hdr_counts(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->nr_links = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
	t->hdr->nr_links = cpu_to_le32(OAE_MAX_LINKS + 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
	t->hdr->nr_links = cpu_to_le32(0xffffffff);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
	/* Links must split evenly into the classes this driver knows. */
	t->hdr->nr_links = cpu_to_le32(TEST_LINKS * OAE_NR_CLASSES + 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
	t->hdr->nr_links = cpu_to_le32(TEST_LINKS * OAE_NR_CLASSES);
	t->hdr->nr_classes = cpu_to_le32(OAE_NR_CLASSES + 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
	t->hdr->nr_classes = cpu_to_le32(OAE_NR_CLASSES);
	t->hdr->nr_cores = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_COUNTS);
}

static void oae_hdr_ring(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->ring_entries = cpu_to_le32(TEST_RING + 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_RING);
	t->hdr->ring_entries = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_RING);
	/* Power of two but far larger than the window. */
	t->hdr->ring_entries = cpu_to_le32(OAE_RING_MAX_ENTRIES);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
}

static void oae_hdr_regions(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;
	__le64 ring = t->hdr->ring_offset;

	/* Past the end, near 2^64 (sum would wrap), inside the header. */
	t->hdr->ring_offset = cpu_to_le64(TEST_WINDOW);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	t->hdr->ring_offset = cpu_to_le64(~0ULL - 63);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	t->hdr->ring_offset = cpu_to_le64(0);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	/* Misaligned. */
	t->hdr->ring_offset = cpu_to_le64(le64_to_cpu(ring) + 8);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	/* Overlapping another region: both link halves at one offset. */
	t->hdr->ring_offset = ring;
	t->hdr->ipu_links_offset = t->hdr->host_links_offset;
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
}

static void oae_hdr_stride(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->link_stride = cpu_to_le32(64);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	t->hdr->link_stride = cpu_to_le32(130);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
	t->hdr->link_stride = cpu_to_le32(1U << 31);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_REGION);
}

static void oae_hdr_state(struct kunit *test)
{
	struct oae_hdr_test *t = test->priv;

	t->hdr->ipu_state = cpu_to_le64(OAE_IPU_STATE_MAX + 1);
	KUNIT_EXPECT_EQ(test, check(test, TEST_WINDOW), OAE_HDR_BAD_STATE);
	KUNIT_EXPECT_STREQ(test, oae_ipu_state_name(OAE_IPU_STATE_MAX + 1),
			   "invalid");
	KUNIT_EXPECT_STREQ(test, oae_ipu_state_name(OAE_IPU_READY), "ready");
}

static void oae_hdr_strerror_total(struct kunit *test)
{
	int e;

	for (e = OAE_HDR_OK; e <= OAE_HDR_BAD_STATE; e++)
		KUNIT_EXPECT_STRNEQ(test, oae_hdr_strerror(e), "unknown error");
	KUNIT_EXPECT_STREQ(test, oae_hdr_strerror(OAE_HDR_BAD_STATE + 1),
			   "unknown error");
}

static struct kunit_case oae_hdr_cases[] = {
	KUNIT_CASE(oae_hdr_valid),
	KUNIT_CASE(oae_hdr_not_formatted),
	KUNIT_CASE(oae_hdr_bad_magic),
	KUNIT_CASE(oae_hdr_versions),
	KUNIT_CASE(oae_hdr_sizes),
	KUNIT_CASE(oae_hdr_counts),
	KUNIT_CASE(oae_hdr_ring),
	KUNIT_CASE(oae_hdr_regions),
	KUNIT_CASE(oae_hdr_stride),
	KUNIT_CASE(oae_hdr_state),
	KUNIT_CASE(oae_hdr_strerror_total),
	{}
};

static struct kunit_suite oae_hdr_suite = {
	.name = "oae_hdr",
	.init = oae_hdr_test_init,
	.test_cases = oae_hdr_cases,
};

kunit_test_suite(oae_hdr_suite);

MODULE_DESCRIPTION("KUnit tests for oae_ipu.ko");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
