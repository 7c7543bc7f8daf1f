// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the IPU runtime's test knobs (core/ipu_options.c), which
 * the firmware reads from its boot arguments and ipu-sim from its command
 * line: every accepted spelling, and every bad input refused with a
 * message and the options left as they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ipu_options.h"

static void test_parse_line(void **state)
{
	struct oae_ipu_options o = { 0 };
	char err[128];

	(void)state;
	assert_int_equal(oae_ipu_options_parse(&o, "", err, sizeof(err)), 0);
	assert_int_equal(oae_ipu_options_parse(&o,
		"  --fail-after 500 --latency-ns=0x1f4\t--garbage torn\n",
		err, sizeof(err)), 0);
	assert_int_equal(o.fail_after, 500);
	assert_int_equal(o.latency_ns, 500);
	assert_int_equal(o.fault, OAE_FAULT_TORN);
	assert_int_equal(oae_ipu_options_parse(&o, "--garbage=none", err,
					       sizeof(err)), 0);
	assert_int_equal(o.fault, OAE_FAULT_NONE);
	assert_int_equal(o.fail_after, 500);
}

static void test_sched_slice(void **state)
{
	struct oae_ipu_options o;
	char err[128];

	(void)state;
	oae_ipu_options_init(&o);
	assert_int_equal(o.sched_slice_ns, 0);	/* the policy's default */
	assert_int_equal(oae_ipu_options_parse(&o, "--sched-slice-us 2500",
					       err, sizeof(err)), 0);
	assert_int_equal(o.sched_slice_ns, 2500000);
	assert_int_equal(oae_ipu_options_parse(&o, "--sched-slice-us=100",
					       err, sizeof(err)), 0);
	assert_int_equal(o.sched_slice_ns, OAE_SCHED_SLICE_MIN_NS);
	assert_int_equal(oae_ipu_option(&o, "sched-slice-us", "1000000", err,
					sizeof(err)), 0);
	assert_int_equal(o.sched_slice_ns, OAE_SCHED_SLICE_MAX_NS);
	assert_int_equal(oae_ipu_option(&o, "sched-slice-us", "0x3e8", err,
					sizeof(err)), 0);
	assert_int_equal(o.sched_slice_ns, 1000000);
}

static void expect_refused(const char *line, const char *msg)
{
	struct oae_ipu_options o = { .latency_ns = 7, .fail_after = 9,
				     .fault = OAE_FAULT_BAD_SEQ,
				     .sched_slice_ns = 3000000 };
	char err[128] = "";

	assert_int_equal(oae_ipu_options_parse(&o, line, err, sizeof(err)), -1);
	assert_non_null(strstr(err, msg));
	/* Nothing applied, not even the options before the bad one. */
	assert_int_equal(o.latency_ns, 7);
	assert_int_equal(o.fail_after, 9);
	assert_int_equal(o.fault, OAE_FAULT_BAD_SEQ);
	assert_int_equal(o.sched_slice_ns, 3000000);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	expect_refused("--latency-ns 5 --fail-after", "missing value");
	expect_refused("--latency-ns 5 --cores 4", "unknown option '--cores'");
	expect_refused("--garbage sometimes", "unknown mode 'sometimes'");
	expect_refused("--latency-ns -5", "is not a number");
	expect_refused("--latency-ns 12ns", "is not a number");
	expect_refused("--latency-ns 0x", "is not a number");
	expect_refused("--fail-after 18446744073709551616", "is not a number");
	expect_refused("fail-after 5", "unexpected argument 'fail-after'");
	expect_refused("--", "unexpected argument '--'");
	expect_refused("--sched-slice-us 99", "not a slice from 100 to 1000000 us");
	expect_refused("--sched-slice-us 1000001", "not a slice from 100");
	expect_refused("--sched-slice-us 0", "not a slice from 100");
	expect_refused("--sched-slice-us -5", "not a slice from 100");
	expect_refused("--sched-slice-us 5ms", "not a slice from 100");
	expect_refused("--latency-ns 5 --sched-slice-us 18446744073709551615",
		       "not a slice from 100");
	expect_refused("--sched-slice-us", "missing value");
}

static void test_limits(void **state)
{
	struct oae_ipu_options o = { 0 };
	char err[8];
	char longword[200];

	(void)state;
	assert_int_equal(oae_ipu_options_parse(&o,
		"--fail-after 18446744073709551615", err, sizeof(err)), 0);
	assert_true(o.fail_after == UINT64_MAX);
	/* A message longer than the buffer is cut and terminated. */
	assert_int_equal(oae_ipu_options_parse(&o, "--garbage x", err,
					       sizeof(err)), -1);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	/* An over-long word is refused, not truncated into something valid. */
	memset(longword, 'a', sizeof(longword) - 1);
	longword[0] = '-';
	longword[1] = '-';
	longword[sizeof(longword) - 1] = 0;
	assert_int_equal(oae_ipu_options_parse(&o, longword, err, sizeof(err)),
			 -1);
}

static void test_fault_names(void **state)
{
	struct oae_ipu_options o = { 0 };
	char err[128];
	oae_u32 f;

	(void)state;
	for (f = 0; f <= OAE_FAULT_MAX; f++) {
		assert_non_null(oae_fault_name(f));
		assert_int_equal(oae_ipu_option(&o, "garbage", oae_fault_name(f),
						err, sizeof(err)), 0);
		assert_int_equal(o.fault, f);
	}
	assert_null(oae_fault_name(OAE_FAULT_MAX + 1));
	assert_int_equal(oae_ipu_option(&o, "links", "2", err, sizeof(err)), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_sched_slice),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fault_names),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
