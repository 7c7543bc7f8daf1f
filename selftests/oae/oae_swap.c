// SPDX-License-Identifier: GPL-2.0
/*
 * oae-swap: run echo swaps through /dev/oaeN (OAE_IOC_SWAP_TEST) and print
 * the outcome as key=value lines for the selftests and benchmarks.
 *
 *   oae-swap [--dev PATH] [--link N] [--count N] [--split | --sleep]
 *            [--abort-every K] [--tokens N] [--want N] [--budget-ns N]
 *            [--repeat N]
 *
 * --repeat runs the ioctl up to N times on one open file, stopping at the
 * first error; after an error it tries once more on the same file and
 * prints that errno as again_errno (a removed device must keep answering
 * -ENODEV, never touch freed memory).
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
	return cli_num("oae-swap", opt, s);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "link", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'c' },
		{ "split", no_argument, NULL, 's' },
		{ "sleep", no_argument, NULL, 'S' },
		{ "abort-every", required_argument, NULL, 'a' },
		{ "tokens", required_argument, NULL, 't' },
		{ "want", required_argument, NULL, 'w' },
		{ "flags", required_argument, NULL, 'f' },
		{ "budget-ns", required_argument, NULL, 'b' },
		{ "repeat", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct oae_swap_test t = { .count = 1000, .tokens_per_swap = 1,
				   .tokens_wanted = 1 };
	const char *dev = "/dev/oae0";
	unsigned long long repeat = 1, runs;
	int c, fd, err = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 'l': t.link = num("link", optarg); break;
		case 'c': t.count = num("count", optarg); break;
		case 's': t.flags |= OAE_TEST_SPLIT; break;
		case 'S': t.flags |= OAE_TEST_SLEEP; break;
		case 'a':
			t.flags |= OAE_TEST_ABORT_EVERY;
			t.abort_every = num("abort-every", optarg);
			break;
		case 't': t.tokens_per_swap = num("tokens", optarg); break;
		case 'w': t.tokens_wanted = num("want", optarg); break;
		/* Raw flags, to test the kernel's argument checks. */
		case 'f': t.flags = num("flags", optarg); break;
		case 'b': t.budget_ns = num("budget-ns", optarg); break;
		case 'r': repeat = num("repeat", optarg); break;
		default:
			fprintf(stderr, "usage: oae-swap [--dev PATH] [--link N] [--count N] "
				"[--split|--sleep] [--abort-every K] [--tokens N] [--want N] "
				"[--budget-ns N] [--repeat N]\n");
			return 2;
		}
	}
	fd = cli_open_dev("oae-swap", dev);
	if (fd < 0)
		return 1;
	for (runs = 0; runs < repeat && !err; runs++)
		if (ioctl(fd, OAE_IOC_SWAP_TEST, &t))
			err = errno;
	if (err) {
		fprintf(stderr, "oae-swap: OAE_IOC_SWAP_TEST: %s\n", strerror(err));
		printf("errno=%d\nruns=%llu\n", err, runs);
		if (repeat > 1)
			printf("again_errno=%d\n",
			       ioctl(fd, OAE_IOC_SWAP_TEST, &t) ? errno : 0);
		return 1;
	}
	close(fd);
	printf("count=%u\ncommitted=%llu\naborted=%llu\nwithdrawn=%llu\n"
	       "fallbacks=%llu\nprotocol_errors=%llu\ndeclined=%llu\nstale=%llu\n"
	       "tokens_posted=%llu\ntokens_granted=%llu\ntokens_found=%llu\nelapsed_ns=%llu\n"
	       "rtt_median_ns=%llu\nrtt_p99_ns=%llu\nticket_errors=%llu\n",
	       t.count, (unsigned long long)t.committed,
	       (unsigned long long)t.aborted, (unsigned long long)t.withdrawn,
	       (unsigned long long)t.fallbacks,
	       (unsigned long long)t.protocol_errors,
	       (unsigned long long)t.declined, (unsigned long long)t.stale,
	       (unsigned long long)t.tokens_posted,
	       (unsigned long long)t.tokens_granted,
	       (unsigned long long)t.tokens_found,
	       (unsigned long long)t.elapsed_ns,
	       (unsigned long long)t.rtt_median_ns,
	       (unsigned long long)t.rtt_p99_ns,
	       (unsigned long long)t.ticket_errors);
	return 0;
}
