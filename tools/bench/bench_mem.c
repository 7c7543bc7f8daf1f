// SPDX-License-Identifier: GPL-2.0
/*
 * bench-mem: fault latency of the offloaded memory device /dev/oae_memN,
 * the IPU deciding (mem_mode bilateral) next to the module's local copy of
 * the same policy code (mem_mode local), measured side by side in one run
 * (make bench-mem: the testbed guest, ipu-sim running the "clock" memory
 * policy). Prints a table; never a pass/fail test.
 *
 * One measurement: a fresh region of 4x the fast-tier budget is written
 * page by page (zero-fill faults, evictions: not timed), its page table
 * entries dropped with MADV_DONTNEED (the data stays), then every page is
 * loaded once in scan order (sequential, or a random permutation) with
 * clock_gettime around each load: every timed load is a first touch, a
 * minor fault for a page in the fast tier (a prefetch hit if it was
 * brought in ahead), a major one (a decision, bilateral or local) for a
 * page in the slow tier. Rows are (scan, mode); runs of the modes are
 * interleaved (their order swapped every run) so drift hits both alike.
 * Counters are debugfs deltas over the timed scan.
 *
 * A second table: the same scans (bilateral) with the fault-path sampling
 * hook off and on (mem_sample 0/1): its overhead.
 *
 *   oae-bench-mem [--budget N] [--runs N] [--dev PATH] [--sysfs DIR]
 *		   [--debugfs FILE]
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <time.h>

#include "../../selftests/mem/oae_mem_util.h"

#define PROG		"oae-bench-mem"
#define MAX_RUNS	20

struct cfg {
	const char *dev, *sysfs, *debugfs;
	size_t budget, pages;
	unsigned int runs;
};

/* One row: latencies of every run, counter deltas summed. */
struct row {
	enum mem_order scan;
	const char *mode;
	const char *sample;
	uint64_t *ns;
	size_t n;
	long long faults, major, prefetched, hits, ipu, local;
	double median, p99;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int set_knob(const struct cfg *c, const char *name, const char *value)
{
	if (!mem_knob_write(c->sysfs, name, value))
		return 0;
	fprintf(stderr, PROG ": %s/%s <- %s: %s\n", c->sysfs, name, value,
		strerror(errno));
	return -1;
}

/* One timed scan into @r; -1 (said) if it could not run. */
static int measure(const struct cfg *c, struct row *r, size_t *idx,
		   unsigned int run)
{
	size_t pg = mem_page_size(), i;
	struct mem_counters a, b;
	volatile uint64_t *w;
	uint64_t t0, t1;
	char *base;
	int fd;

	if (set_knob(c, "mem_mode", r->mode) ||
	    set_knob(c, "mem_sample", r->sample))
		return -1;
	fd = open(c->dev, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", c->dev, strerror(errno));
		return -1;
	}
	base = mem_map(PROG, fd, c->pages);
	if (!base) {
		close(fd);
		return -1;
	}
	for (i = 0; i < c->pages; i++)
		*(volatile uint64_t *)(base + i * pg) = i + 1;
	madvise(base, c->pages * pg, MADV_DONTNEED);
	mem_order_fill(idx, c->pages, r->scan, run + 1);
	if (mem_counters_read(PROG, c->debugfs, &a))
		goto fail;
	for (i = 0; i < c->pages; i++) {
		w = (volatile uint64_t *)(base + idx[i] * pg);
		t0 = now_ns();
		(void)*w;
		t1 = now_ns();
		r->ns[r->n++] = t1 - t0;
	}
	if (mem_counters_read(PROG, c->debugfs, &b))
		goto fail;
	r->faults += mem_delta(&a, &b, "faults");
	r->major += mem_delta(&a, &b, "major");
	r->prefetched += mem_delta(&a, &b, "prefetched");
	r->hits += mem_delta(&a, &b, "prefetch_hits");
	r->ipu += mem_delta(&a, &b, "ipu_decisions");
	r->local += mem_delta(&a, &b, "local_decisions");
	munmap(base, c->pages * pg);
	close(fd);
	return 0;
fail:
	munmap(base, c->pages * pg);
	close(fd);
	return -1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void finish(struct row *r)
{
	qsort(r->ns, r->n, sizeof(r->ns[0]), cmp_u64);
	r->median = r->n ? r->ns[r->n / 2] : 0;
	r->p99 = r->n ? r->ns[(r->n * 99) / 100 < r->n ? (r->n * 99) / 100 :
			      r->n - 1] : 0;
}

/* Rows @rows[0..n) measured @runs times each, the order swapped per run. */
static int measure_all(const struct cfg *c, struct row *rows, size_t n,
		       size_t *idx)
{
	unsigned int run;
	size_t i, k;

	for (run = 0; run < c->runs; run++)
		for (k = 0; k < n; k++) {
			/* Pairs (0,1), (2,3)...: which goes first alternates. */
			i = run & 1 ? k ^ 1 : k;
			if (i >= n)
				i = k;
			if (measure(c, &rows[i], idx, run))
				return -1;
		}
	for (i = 0; i < n; i++)
		finish(&rows[i]);
	return 0;
}

static void print_rate(long long hits, long long prefetched)
{
	if (prefetched > 0)
		printf(" %8.1f%%", 100.0 * hits / prefetched);
	else
		printf(" %9s", "n/a");
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "runs", required_argument, NULL, 'r' },
		{ "dev", required_argument, NULL, 'd' },
		{ "sysfs", required_argument, NULL, 'S' },
		{ "debugfs", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct cfg c = {
		.dev = MEM_DEV_DEFAULT, .sysfs = MEM_SYSFS_DEFAULT,
		.debugfs = MEM_DEBUGFS_DEFAULT, .budget = 256, .runs = 3,
	};
	/* Pairs: the two halves of each pair are compared in a ratio row. */
	struct row rows[] = {
		{ .scan = ORDER_SEQ, .mode = "bilateral", .sample = "0" },
		{ .scan = ORDER_SEQ, .mode = "local", .sample = "0" },
		{ .scan = ORDER_RANDOM, .mode = "bilateral", .sample = "0" },
		{ .scan = ORDER_RANDOM, .mode = "local", .sample = "0" },
	};
	struct row smp[] = {
		{ .scan = ORDER_SEQ, .mode = "bilateral", .sample = "0" },
		{ .scan = ORDER_SEQ, .mode = "bilateral", .sample = "1" },
		{ .scan = ORDER_RANDOM, .mode = "bilateral", .sample = "0" },
		{ .scan = ORDER_RANDOM, .mode = "bilateral", .sample = "1" },
	};
	char budget0[64], mode0[64], sample0[64], budget[32], *end;
	const size_t nrows = sizeof(rows) / sizeof(rows[0]);
	unsigned long v;
	size_t *idx, i;
	int opt, ret = 1;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
		case 'r':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' ||
			    (opt == 'b' && (v < 1 || v > 4096)) ||
			    (opt == 'r' && (v < 1 || v > MAX_RUNS))) {
				fprintf(stderr, PROG ": --%s: '%s' is not %s\n",
					opt == 'b' ? "budget" : "runs", optarg,
					opt == 'b' ? "a budget from 1 to 4096 pages" :
						     "a run count from 1 to 20");
				return 2;
			}
			if (opt == 'b')
				c.budget = v;
			else
				c.runs = v;
			break;
		case 'd': c.dev = optarg; break;
		case 'S': c.sysfs = optarg; break;
		case 'D': c.debugfs = optarg; break;
		default:
			fprintf(stderr, "usage: " PROG " [--budget N] [--runs N] [--dev PATH] [--sysfs DIR] [--debugfs FILE]\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	c.pages = c.budget * 4;
	idx = malloc(c.pages * sizeof(*idx));
	for (i = 0; i < nrows; i++) {
		rows[i].ns = malloc(c.runs * c.pages * sizeof(uint64_t));
		smp[i].ns = malloc(c.runs * c.pages * sizeof(uint64_t));
		if (!rows[i].ns || !smp[i].ns || !idx) {
			fprintf(stderr, PROG ": out of memory\n");
			return 1;
		}
	}
	if (mem_knob_read(c.sysfs, "mem_budget_pages", budget0, sizeof(budget0)) ||
	    mem_knob_read(c.sysfs, "mem_mode", mode0, sizeof(mode0)) ||
	    mem_knob_read(c.sysfs, "mem_sample", sample0, sizeof(sample0))) {
		fprintf(stderr, PROG ": %s/mem_*: %s (oae_ipu.ko with the memory device loaded?)\n",
			c.sysfs, strerror(errno));
		return 1;
	}
	snprintf(budget, sizeof(budget), "%zu", c.budget);
	if (set_knob(&c, "mem_budget_pages", budget))
		return 1;

	printf("Memory device fault latency: region %zu pages, fast-tier budget %zu pages, %u runs per row\n",
	       c.pages, c.budget, c.runs);
	printf("(first touch of every page after MADV_DONTNEED, clock_gettime around one load; modes interleaved;\n"
	       " counters are debugfs deltas over the timed scans)\n\n");
	if (measure_all(&c, rows, nrows, idx))
		goto out;
	printf("%-7s %-16s %8s %8s %10s %10s %10s %9s %9s\n", "scan", "mode",
	       "faults", "major", "median ns", "p99 ns", "prefetch", "ipu dec",
	       "local dec");
	printf("%-7s %-16s %8s %8s %10s %10s %10s %9s %9s\n", "", "", "", "",
	       "", "", "hit rate", "", "");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];

		printf("%-7s %-16s %8lld %8lld %10.0f %10.0f",
		       mem_order_names[r->scan], r->mode, r->faults, r->major,
		       r->median, r->p99);
		print_rate(r->hits, r->prefetched);
		printf(" %9lld %9lld\n", r->ipu, r->local);
		if (i & 1)
			printf("%-7s %-16s %8s %8s %9.2fx %9.2fx\n",
			       mem_order_names[r->scan], "bilateral/local", "", "",
			       ratio(rows[i - 1].median, r->median),
			       ratio(rows[i - 1].p99, r->p99));
	}
	printf("FITO column: not measured here (it arrives with the baseline issue).\n\n");

	printf("Sampling hook overhead (mem_sample 0 vs 1, bilateral, same scans):\n");
	if (measure_all(&c, smp, nrows, idx))
		goto out;
	printf("%-7s %-10s %8s %10s %10s\n", "scan", "mem_sample", "faults",
	       "median ns", "p99 ns");
	for (i = 0; i < nrows; i++) {
		struct row *r = &smp[i];

		printf("%-7s %-10s %8lld %10.0f %10.0f\n",
		       mem_order_names[r->scan], r->sample, r->faults, r->median,
		       r->p99);
		if (i & 1)
			printf("%-7s %-10s %8s %9.2fx %9.2fx\n",
			       mem_order_names[r->scan], "1/0", "",
			       ratio(r->median, smp[i - 1].median),
			       ratio(r->p99, smp[i - 1].p99));
	}
	ret = 0;
out:
	/* Leave the device as it was found. */
	set_knob(&c, "mem_mode", mode0);
	set_knob(&c, "mem_sample", sample0);
	set_knob(&c, "mem_budget_pages", budget0);
	return ret;
}
