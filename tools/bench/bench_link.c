// SPDX-License-Identifier: GPL-2.0
/*
 * bench-link: the bilateral swap's round trip against the physical floor.
 *
 * Two threads pinned to two cores share a window in memory. The floor is a
 * raw cache-line ping-pong between them; the swap is the real protocol core
 * (host: oae_host_offer/poll/settle; IPU: the runtime's poll loop with the
 * echo policy), measured in the same run on the same cores. With injected
 * latency L both are given the same model: the responder waits until 2L
 * after it first saw the request before answering.
 *
 * Prints a table: median and p99 round trip, round trips per second, and
 * the swap/ping-pong ratios. Not a pass/fail test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "echo.h"
#include "ipu_core.h"

#define WIN_SIZE	(1 << 20)

static unsigned long iterations = 200000;
static int cpu_host, cpu_ipu = 1;

static oae_u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (oae_u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		fprintf(stderr, "bench-link: cannot pin to CPU %d (continuing)\n", cpu);
}

static void spin_until(oae_u64 t)
{
	while (now_ns() < t)
		;
}

static int cmp_u64(const void *a, const void *b)
{
	oae_u64 x = *(const oae_u64 *)a, y = *(const oae_u64 *)b;

	return x < y ? -1 : x > y;
}

struct result {
	oae_u64 median, p99, per_sec;
};

static struct result summarize(oae_u64 *rtt, unsigned long n, oae_u64 total_ns)
{
	struct result r;

	qsort(rtt, n, sizeof(*rtt), cmp_u64);
	r.median = rtt[n / 2];
	r.p99 = rtt[n * 99 / 100];
	r.per_sec = total_ns ? n * 1000000000ULL / total_ns : 0;
	return r;
}

/* ---- raw ping-pong: one line each way, nothing else ---- */

struct pingpong {
	_Alignas(64) volatile oae_u64 ping;
	_Alignas(64) volatile oae_u64 pong;
	_Alignas(64) oae_u64 latency_ns;
	volatile int stop;
};

static void *pong_thread(void *arg)
{
	struct pingpong *pp = arg;
	oae_u64 seen = 0, v;

	pin(cpu_ipu);
	while (!pp->stop) {
		v = __atomic_load_n(&pp->ping, __ATOMIC_ACQUIRE);
		if (v == seen)
			continue;
		if (pp->latency_ns)
			spin_until(now_ns() + 2 * pp->latency_ns);
		seen = v;
		__atomic_store_n(&pp->pong, v, __ATOMIC_RELEASE);
	}
	return NULL;
}

static struct result run_pingpong(oae_u64 latency_ns, oae_u64 *rtt)
{
	struct pingpong *pp = aligned_alloc(64, sizeof(*pp));
	oae_u64 t0, start;
	unsigned long i;
	pthread_t t;

	memset(pp, 0, sizeof(*pp));
	pp->latency_ns = latency_ns;
	pthread_create(&t, NULL, pong_thread, pp);
	pin(cpu_host);
	start = now_ns();
	for (i = 0; i < iterations; i++) {
		t0 = now_ns();
		__atomic_store_n(&pp->ping, i + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&pp->pong, __ATOMIC_ACQUIRE) != i + 1)
			;
		rtt[i] = now_ns() - t0;
	}
	start = now_ns() - start;
	pp->stop = 1;
	pthread_join(t, NULL);
	free(pp);
	return summarize(rtt, iterations, start);
}

/* ---- the bilateral swap through the protocol core ---- */

struct swapbench {
	struct oae_ipu ipu;
	struct oae_ipu_policy pol;
	struct oae_echo_state echo;
	volatile int stop;
};

static void *ipu_thread(void *arg)
{
	struct swapbench *sb = arg;

	pin(cpu_ipu);
	while (!sb->stop)
		oae_ipu_poll(&sb->ipu, 0);
	return NULL;
}

static struct result run_swap(oae_u64 latency_ns, oae_u64 *rtt)
{
	struct swapbench *sb = calloc(1, sizeof(*sb));
	void *win = aligned_alloc(4096, WIN_SIZE);
	struct oae_ipu_config cfg = {
		.window_size = WIN_SIZE, .nr_links = 1, .nr_cores = 1,
		.ring_entries = 64, .latency_ns = latency_ns, .now_ns = now_ns,
		.boot_id = 1,
	};
	struct oae_offer o = { .op = OAE_OP_ECHO };
	struct oae_geometry geo;
	struct oae_host_link hl;
	struct oae_host_hdr *hh;
	struct oae_answer a;
	oae_u64 t0, start, boot_id;
	unsigned long i;
	pthread_t t;

	memset(win, 0, WIN_SIZE);
	oae_echo_policy_init(&sb->pol, &sb->echo);
	cfg.policy[OAE_ROLE_TEST] = &sb->pol;
	if (oae_ipu_init(&sb->ipu, win, &cfg) ||
	    oae_geometry_read(win, WIN_SIZE, &geo)) {
		fprintf(stderr, "bench-link: cannot format the window\n");
		exit(1);
	}
	oae_ipu_start(&sb->ipu);
	hh = (void *)((char *)win + geo.host_hdr_offset);
	oae_host_link_init(&hl, (void *)((char *)win + geo.host_links_offset),
			   (void *)((char *)win + geo.ipu_links_offset), 0, 1, 0);
	pthread_create(&t, NULL, ipu_thread, sb);
	pin(cpu_host);
	oae_host_request_epoch(hh, 1, 0x62656e6368ULL, 1, 0);
	while (!oae_host_epoch_acked(win, 1, 0x62656e6368ULL, &boot_id))
		;
	oae_host_set_state(hh, OAE_HOST_ATTACHED);

	start = now_ns();
	for (i = 0; i < iterations; i++) {
		o.payload[0] = i;
		t0 = now_ns();
		oae_host_offer(&hl, &o, 0);
		while (oae_host_poll(&hl, &a) == OAE_POLL_PENDING)
			;
		rtt[i] = now_ns() - t0;
		/* Commit is a posted write: the host does not wait for it. */
		oae_host_settle(&hl, a.word[0] == (i ^ OAE_ECHO_XOR), OAE_ABORT_STALE_OBJECT);
	}
	start = now_ns() - start;
	sb->stop = 1;
	pthread_join(t, NULL);
	if (sb->ipu.total.link.committed + 1 < iterations)
		fprintf(stderr, "bench-link: only %llu of %lu swaps committed\n",
			(unsigned long long)sb->ipu.total.link.committed, iterations);
	free(win);
	free(sb);
	return summarize(rtt, iterations, start);
}

static int parse_iterations(const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || !v || v > 100000000)
		return -1;
	iterations = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const oae_u64 latencies[] = { 0, 500, 1000 };
	oae_u64 *rtt;
	unsigned int i;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (argc > 2 || (argc == 2 && parse_iterations(argv[1]))) {
		fprintf(stderr, "usage: bench-link [ITERATIONS]   (1 to 100000000)\n");
		return 2;
	}
	if (ncpu < 2) {
		fprintf(stderr, "bench-link: needs two CPUs\n");
		return 1;
	}
	rtt = malloc(iterations * sizeof(*rtt));
	if (!rtt) {
		fprintf(stderr, "bench-link: out of memory for %lu samples\n", iterations);
		return 1;
	}
	printf("bench-link: %lu round trips per row, host thread on CPU %d, IPU thread on CPU %d\n\n",
	       iterations, cpu_host, cpu_ipu);
	printf("%-9s | %-26s | %-26s | %-17s\n", "injected",
	       "cache-line ping-pong", "bilateral swap", "swap / ping-pong");
	printf("%-9s | %8s %8s %8s | %8s %8s %8s | %8s %8s\n", "one-way",
	       "median", "p99", "rt/s", "median", "p99", "swaps/s",
	       "median", "p99");
	printf("----------+----------------------------+----------------------------+------------------\n");
	for (i = 0; i < sizeof(latencies) / sizeof(latencies[0]); i++) {
		struct result pp = run_pingpong(latencies[i], rtt);
		struct result sw = run_swap(latencies[i], rtt);

		printf("%6llu ns | %6llu ns %6llu ns %8llu | %6llu ns %6llu ns %8llu | %7.2fx %7.2fx\n",
		       (unsigned long long)latencies[i],
		       (unsigned long long)pp.median, (unsigned long long)pp.p99,
		       (unsigned long long)pp.per_sec,
		       (unsigned long long)sw.median, (unsigned long long)sw.p99,
		       (unsigned long long)sw.per_sec,
		       (double)sw.median / pp.median, (double)sw.p99 / pp.p99);
	}
	free(rtt);
	return 0;
}
