// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for lib/printf.c: every supported conversion is compared
 * with the C library's snprintf, plus truncation, the return value and
 * what the firmware does differently on purpose (unknown conversions).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/printf.h"

/* Format with both implementations and require identical results. */
#define SAME(fmt, ...) do {						\
	char ours[128], libc[128];					\
	int n1 = fw_snprintf(ours, sizeof(ours), fmt, ##__VA_ARGS__);	\
	int n2 = snprintf(libc, sizeof(libc), fmt, ##__VA_ARGS__);	\
	assert_string_equal(ours, libc);				\
	assert_int_equal(n1, n2);					\
} while (0)

static void test_integers(void **state)
{
	(void)state;
	SAME("%d %i %u", 0, -1, 42U);
	SAME("%d %d", INT_MAX, INT_MIN);
	SAME("%ld %ld", LONG_MAX, LONG_MIN);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%lu %lx %lX", ULONG_MAX, 0xdeadbeefcafeUL, 0xabcdefUL);
	SAME("%zu %zx", (size_t)12345, (size_t)0xfff);
	SAME("%hd %hu %hhd %hhu", 70000, 70000, 300, 300);
	SAME("%x %X %o", 0xbeefU, 0xbeefU, 0755U);
}

static void test_flags_width_precision(void **state)
{
	(void)state;
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%+d] [% d] [%+05d] [%-+6d]", -7, -7, -7, 7);
	SAME("[%.3d] [%8.3d] [%-8.3d]", 5, 5, 5);
	/* C ignores '0' when a precision is given; so must we. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	SAME("[%08.3d]", 5);
#pragma GCC diagnostic pop
	SAME("[%.0d] [%.0u] [%5.0d] [%.0x]", 0, 0U, 0, 0U);
	SAME("[%#x] [%#X] [%#o] [%#x] [%#o]", 255U, 255U, 8U, 0U, 0U);
	SAME("[%#10x] [%#010x] [%-#10x]", 0xabU, 0xabU, 0xabU);
	SAME("[%#.5o] [%#5o] [%#.0o]", 8U, 8U, 0U);
	SAME("[%016lx] [%-16lx]", 0x1234UL, 0x1234UL);
	SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
	SAME("[%*d]", -6, 1);		/* negative '*' width: left */
	SAME("[%.*d]", -1, 17);		/* negative precision: none */
}

static void test_strings_chars(void **state)
{
	(void)state;
	SAME("[%s] [%10s] [%-10s] [%.2s] [%10.2s]", "oae", "oae", "oae",
	     "oae", "oae");
	SAME("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
	SAME("100%% [%5s]", "");
	SAME("[%s]", "a long line of text that goes on");
}

static void test_pointers(void **state)
{
	int x;

	(void)state;
	SAME("%p", (void *)&x);
	SAME("[%20p] [%-20p]", (void *)0x1234, (void *)0x1234);
	SAME("%p", (void *)NULL);	/* glibc prints "(nil)" too */
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fw_snprintf(buf, sizeof(buf), "%s", "0123456789"),
			 10);
	assert_string_equal(buf, "0123456");
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fw_snprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 'X');
	/* Size 0: nothing written at all, even through a NULL buffer. */
	assert_int_equal(fw_snprintf(NULL, 0, "%d", 12345), 5);
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fw_snprintf(buf, sizeof(buf), "%08x%s", 1U, "yz"),
			 10);
	assert_string_equal(buf, "0000000");
}

/* Without the format attribute, so bad formats reach the formatter. */
static int raw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fw_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_unknown_conversions(void **state)
{
	char buf[64];

	(void)state;
	/* Shown verbatim, consuming no argument. */
	raw_snprintf(buf, sizeof(buf), "a%qb%d", 5);
	assert_string_equal(buf, "a%qb5");
	raw_snprintf(buf, sizeof(buf), "[%-08.3y]");
	assert_string_equal(buf, "[%-08.3y]");
	/* A trailing lone '%' is printed, not a read past the end. */
	raw_snprintf(buf, sizeof(buf), "50%");
	assert_string_equal(buf, "50%");
	raw_snprintf(buf, sizeof(buf), "%l");
	assert_string_equal(buf, "%l");
	/* Absurd widths are capped (at 4096), not overflowed. */
	assert_int_equal(raw_snprintf(buf, sizeof(buf), "%99999999999d", 1),
			 4096);
	assert_int_equal(raw_snprintf(buf, sizeof(buf), "%*d", INT_MIN, 1),
			 4096);
	assert_int_equal(raw_snprintf(buf, sizeof(buf), "%.*d", INT_MAX, 1),
			 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_flags_width_precision),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_conversions),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
