// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the memory offload's answer check (oae_mem.c): the IPU
 * side of the window is untrusted, so every word of a fault answer is
 * checked against the ABI and against the offer it answers before the
 * host resolves a single victim. Each case is one hostile or borderline
 * answer; the well-formed ones must pass, everything else must be
 * OAE_ABORT_BAD_ANSWER. The guest selftests cover the rest of the fault
 * path against a real policy.
 */
#include <kunit/test.h>

#include "oae_mem.h"

/* The offer every case answers: page 10 of 64, budget 8, window 4. */
#define PAGE_INDEX	10
#define REGION_PAGES	64
#define BUDGET		8
#define WINDOW		4

static int check(u32 resident, u64 d, u64 v0, u64 v1, u64 v2)
{
	const u64 w[OAE_ANSWER_WORDS] = { d, v0, v1, v2 };

	return oae_mem_check_words(PAGE_INDEX, REGION_PAGES, BUDGET, resident,
				   WINDOW, w);
}

#define FAST	OAE_MEM_TIER_FAST
#define SLOW	OAE_MEM_TIER_SLOW
#define D	OAE_MEM_DECISION
#define OK	OAE_ABORT_NONE
#define BAD	OAE_ABORT_BAD_ANSWER

static void oae_mem_test_well_formed(struct kunit *test)
{
	/* Room for the page and three prefetched ones, no victim. */
	KUNIT_EXPECT_EQ(test, check(4, D(FAST, 0, 3, 1), 0, 0, 0), OK);
	/* Full: one victim per page brought in. */
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 3, 2, 1), 11, 12, 13), OK);
	/* Slow needs no room; a backward stride inside the region. */
	KUNIT_EXPECT_EQ(test, check(8, D(SLOW, 0, 0, 0), 0, 0, 0), OK);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 2, -5), 0, 0, 0), OK);
	/* The last page of the region, exactly. */
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, 53), 0, 0, 0), OK);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 3, 17), 0, 0, 0), OK);
}

static void oae_mem_test_words_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, check(0, D(2, 0, 0, 0), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(0xff, 0, 0, 0), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 4, 0, 0), 1, 2, 3), BAD);
	/* More than the window, and a window's worth beyond the maximum. */
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, WINDOW + 1, 1), 0, 0, 0),
			BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 0xffff, 1), 0, 0, 0), BAD);
}

static void oae_mem_test_victim_words(struct kunit *test)
{
	/* A victim named as 0, one beyond the count, one named twice. */
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 1, 0, 0), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 1, 0, 0), 5, 6, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 1, 0, 0), 5, 0, 6), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 2, 0, 0), 5, 5, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 3, 0, 0), 5, 6, 5), BAD);
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 3, 0, 0), 5, 6, 7), OK);
}

static void oae_mem_test_stride(struct kunit *test)
{
	/* A count with no stride, a stride with no count, too long. */
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, 0), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 0, 1), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, OAE_MEM_STRIDE_MAX + 1),
				    0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, -OAE_MEM_STRIDE_MAX - 1),
				    0, 0, 0), BAD);
	/* Out of the region at either end. */
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, -11), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 1, -10), 0, 0, 0), OK);
	KUNIT_EXPECT_EQ(test, check(0, D(FAST, 0, 2, 27), 0, 0, 0), BAD);
}

static void oae_mem_test_budget_rule(struct kunit *test)
{
	/* Full, and nothing leaves: the page cannot come into the tier. */
	KUNIT_EXPECT_EQ(test, check(8, D(FAST, 0, 0, 0), 0, 0, 0), BAD);
	/* One short: a victim too few for what comes in. */
	KUNIT_EXPECT_EQ(test, check(7, D(FAST, 0, 2, 1), 0, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(7, D(FAST, 1, 1, 1), 9, 0, 0), OK);
	/* Over the budget (it was lowered): only victims make room. */
	KUNIT_EXPECT_EQ(test, check(20, D(FAST, 1, 0, 0), 9, 0, 0), OK);
	KUNIT_EXPECT_EQ(test, check(20, D(FAST, 1, 1, 1), 9, 0, 0), BAD);
	KUNIT_EXPECT_EQ(test, check(20, D(SLOW, 0, 0, 0), 0, 0, 0), OK);
	/* Prefetch into a slow-tier answer still needs room for itself. */
	KUNIT_EXPECT_EQ(test, check(8, D(SLOW, 0, 1, 1), 0, 0, 0), BAD);
}

static struct kunit_case oae_mem_cases[] = {
	KUNIT_CASE(oae_mem_test_well_formed),
	KUNIT_CASE(oae_mem_test_words_out_of_range),
	KUNIT_CASE(oae_mem_test_victim_words),
	KUNIT_CASE(oae_mem_test_stride),
	KUNIT_CASE(oae_mem_test_budget_rule),
	{}
};

static struct kunit_suite oae_mem_suite = {
	.name = "oae_mem",
	.test_cases = oae_mem_cases,
};

kunit_test_suite(oae_mem_suite);
