// SPDX-License-Identifier: GPL-2.0
/*
 * oae-custody: run OAE_IOC_CUSTODY_TEST through /dev/oaeN (custody that
 * survives IPU restarts, see uapi/linux/oae_ipu.h) and print the outcome
 * as key=value lines for the selftests.
 *
 *   oae-custody [--dev PATH] [--cpu N] [--ms N] [--tokens N]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../../uapi/linux/oae_ipu.h"
#include "cli.h"

static unsigned long long num(const char *opt, const char *s)
{
	return cli_num("oae-custody", opt, s);
}

#define FIELD(f) { #f, &t.f }

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "ms", required_argument, NULL, 'm' },
		{ "tokens", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct oae_custody_test t = { .duration_ms = 1000, .tokens_per_post = 1 };
	const struct { const char *name; __u64 *v; } out[] = {
		FIELD(swaps), FIELD(committed), FIELD(aborted),
		FIELD(fallbacks), FIELD(stale), FIELD(posts_refused),
		FIELD(replays), FIELD(epoch_first), FIELD(epoch_last),
		FIELD(tokens_posted), FIELD(tokens_granted), FIELD(pool_left),
		FIELD(drain_mismatch),
	};
	const char *dev = "/dev/oae0";
	unsigned int i;
	int c, fd, err = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 'c': t.cpu = num("cpu", optarg); break;
		case 'm': t.duration_ms = num("ms", optarg); break;
		case 't': t.tokens_per_post = num("tokens", optarg); break;
		default:
			fprintf(stderr, "usage: oae-custody [--dev PATH] [--cpu N] [--ms N] [--tokens N]\n");
			return 2;
		}
	}
	fd = cli_open_dev("oae-custody", dev);
	if (fd < 0)
		return 1;
	if (ioctl(fd, OAE_IOC_CUSTODY_TEST, &t)) {
		err = errno;
		fprintf(stderr, "oae-custody: OAE_IOC_CUSTODY_TEST: %s\n", strerror(err));
		printf("errno=%d\n", err);
	}
	close(fd);
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		printf("%s=%llu\n", out[i].name, (unsigned long long)*out[i].v);
	return err ? 1 : 0;
}
