// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for the link -> core partition the IPU runtime uses
 * (oae_link_core() in core/ipu_core.h) and the firmware reports at boot:
 * every link has exactly one core, in range, and the load is balanced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ipu_core.h"

static void test_every_link_one_core_in_range(void **state)
{
	oae_u32 links, cores, link;

	(void)state;
	for (links = 1; links <= OAE_MAX_LINKS; links++)
		for (cores = 1; cores <= OAE_MAX_IPU_CORES; cores++)
			for (link = 0; link < links; link++)
				assert_true(oae_link_core(link, cores) < cores);
}

static void test_balanced(void **state)
{
	unsigned int count[OAE_MAX_IPU_CORES];
	oae_u32 links, cores, link, c, min, max;

	(void)state;
	for (links = 1; links <= OAE_MAX_LINKS; links++) {
		for (cores = 1; cores <= OAE_MAX_IPU_CORES; cores++) {
			for (c = 0; c < cores; c++)
				count[c] = 0;
			for (link = 0; link < links; link++)
				count[oae_link_core(link, cores)]++;
			min = count[0];
			max = count[0];
			for (c = 1; c < cores; c++) {
				min = count[c] < min ? count[c] : min;
				max = count[c] > max ? count[c] : max;
			}
			/* Loads differ by at most one link... */
			assert_true(max - min <= 1);
			/* ...so with enough links no core idles. */
			if (links >= cores)
				assert_true(min >= 1);
		}
	}
}

static void test_firmware_default(void **state)
{
	oae_u32 link;

	(void)state;
	/* 16 links on the 4 cores QEMU starts: 4 each, dealt in turn. */
	for (link = 0; link < 16; link++)
		assert_int_equal(oae_link_core(link, 4), link % 4);
	/* A single core serves everything. */
	for (link = 0; link < OAE_MAX_LINKS; link++)
		assert_int_equal(oae_link_core(link, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_link_one_core_in_range),
		cmocka_unit_test(test_balanced),
		cmocka_unit_test(test_firmware_default),
	};

	return cmocka_run_group_tests_name("link partition", tests, NULL,
					   NULL);
}
