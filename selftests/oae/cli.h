/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest's test tools share: strict number arguments. A value
 * that is not a whole unsigned number ends the tool with status 2.
 */
#ifndef _OAE_SELFTESTS_CLI_H
#define _OAE_SELFTESTS_CLI_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static inline unsigned long long cli_num(const char *prog, const char *opt,
					 const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "%s: --%s: '%s' is not a number\n", prog, opt, s);
		exit(2);
	}
	return v;
}

#endif
