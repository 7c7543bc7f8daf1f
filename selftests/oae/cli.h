/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest's test tools share: strict number arguments and usage
 * errors. A value that is not a whole unsigned number, or any other usage
 * error, ends the tool with a message and status 2.
 */
#ifndef _OAE_SELFTESTS_CLI_H
#define _OAE_SELFTESTS_CLI_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "PROG: message (see PROG --help)" on stderr, exit 2. */
static inline void __attribute__((noreturn, format(printf, 2, 3)))
cli_usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", prog);
	exit(2);
}

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

/*
 * Open the control device, or say why not (with what to do when the
 * driver is simply not there) and return -1.
 */
static inline int cli_open_dev(const char *prog, const char *dev)
{
	int fd = open(dev, O_RDWR);

	if (fd < 0)
		fprintf(stderr, "%s: %s: %s%s\n", prog, dev, strerror(errno),
			errno == ENOENT ?
			" (is oae_ipu.ko loaded and bound to an IPU? see /sys/class/oae)" :
			"");
	return fd;
}

#endif
