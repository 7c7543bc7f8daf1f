// SPDX-License-Identifier: GPL-2.0
/*
 * bench-post: what posting a custody event costs as more CPUs post at
 * once, with the engine's lock-free path and, side by side in the same
 * run, with the one driver-wide lock every post took before. Runs in the
 * testbed guest (make bench-post), one poster thread pinned per CPU, each
 * calling OAE_IOC_POST_BENCH; prints a table.
 *
 *   oae-bench-post [--dev PATH] [--count N] [--reps N]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../../uapi/linux/oae_ipu.h"

#define MAX_POSTERS	64

struct poster {
	pthread_t thread;
	int fd;
	int cpu;
	unsigned int flags;
	unsigned int count;
	pthread_barrier_t *start;
	struct oae_post_bench result;
	int err;
};

static void *poster_run(void *arg)
{
	struct poster *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		p->err = errno;
	pthread_barrier_wait(p->start);
	if (p->err)
		return NULL;
	p->result = (struct oae_post_bench){ .count = p->count,
					     .flags = p->flags };
	if (ioctl(p->fd, OAE_IOC_POST_BENCH, &p->result))
		p->err = errno;
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct row {
	double median_ns, p99_ns, mposts;
	unsigned long long full;
};

/* One configuration, @reps times: per-post cost of every poster, rate. */
static int measure(const char *dev, int posters, unsigned int flags,
		   unsigned int count, int reps, struct row *row)
{
	double ns[MAX_POSTERS * 16], rate_sum = 0;
	struct poster p[MAX_POSTERS];
	pthread_barrier_t start;
	int r, i, n = 0;

	row->full = 0;
	for (r = 0; r < reps; r++) {
		double slowest = 0;
		unsigned long long posted = 0;

		pthread_barrier_init(&start, NULL, posters);
		for (i = 0; i < posters; i++) {
			p[i] = (struct poster){ .cpu = i, .flags = flags,
						.count = count, .start = &start };
			p[i].fd = open(dev, O_RDWR);
			if (p[i].fd < 0) {
				fprintf(stderr, "bench-post: %s: %s\n", dev,
					strerror(errno));
				return -1;
			}
			pthread_create(&p[i].thread, NULL, poster_run, &p[i]);
		}
		for (i = 0; i < posters; i++) {
			pthread_join(p[i].thread, NULL);
			close(p[i].fd);
		}
		pthread_barrier_destroy(&start);
		for (i = 0; i < posters; i++) {
			if (p[i].err || p[i].result.posted != count) {
				fprintf(stderr, "bench-post: poster on CPU %d: %s (%llu of %u posted)\n",
					i, p[i].err ? strerror(p[i].err) : "stopped early",
					(unsigned long long)p[i].result.posted, count);
				return -1;
			}
			ns[n++] = (double)p[i].result.elapsed_ns / count;
			posted += p[i].result.posted;
			row->full += p[i].result.full_retries;
			if (p[i].result.elapsed_ns > slowest)
				slowest = p[i].result.elapsed_ns;
		}
		rate_sum += posted / slowest * 1e3;	/* Mposts/s */
	}
	qsort(ns, n, sizeof(ns[0]), cmp_double);
	row->median_ns = ns[n / 2];
	row->p99_ns = ns[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	row->mposts = rate_sum / reps;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "reps", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dev = "/dev/oae0";
	unsigned int count = 200000;
	int reps = 5, cpus, k, c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dev = optarg; break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 'r': reps = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: oae-bench-post [--dev PATH] [--count N] [--reps N]\n");
			return 2;
		}
	}
	if (!count || reps < 1 || reps > 16) {
		fprintf(stderr, "bench-post: --count must be > 0, --reps 1-16\n");
		return 2;
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus > MAX_POSTERS)
		cpus = MAX_POSTERS;

	printf("Custody event posting cost, %u posts per poster, %d runs, %d CPUs\n",
	       count, reps, cpus);
	printf("(ns/post: each poster's elapsed time / posts; median and p99 over posters x runs)\n\n");
	printf("%-8s | %-28s | %-28s | %s\n", "", "lock-free (this engine)",
	       "one global lock (before)", "");
	printf("%-8s | %8s %8s %10s | %8s %8s %10s | %s\n", "posters",
	       "median", "p99", "Mposts/s", "median", "p99", "Mposts/s",
	       "lock/free (median)");
	for (k = 1; k <= cpus; k = k < cpus && k * 2 > cpus ? cpus : k * 2) {
		struct row lf, gl;

		if (measure(dev, k, 0, count, reps, &lf) ||
		    measure(dev, k, OAE_POST_GLOBAL_LOCK, count, reps, &gl))
			return 1;
		printf("%-8d | %8.0f %8.0f %10.2f | %8.0f %8.0f %10.2f | %.2fx\n",
		       k, lf.median_ns, lf.p99_ns, lf.mposts, gl.median_ns,
		       gl.p99_ns, gl.mposts, gl.median_ns / lf.median_ns);
		if (lf.full || gl.full)
			printf("%-8s   ring full, posters waited for the IPU: %llu / %llu retries\n",
			       "", lf.full, gl.full);
		if (k == cpus)
			break;
	}
	return 0;
}
