// SPDX-License-Identifier: GPL-2.0
/*
 * ipu-sim: the IPU runtime (ipu-fw/core) hosted as a Linux process.
 *
 * It maps the testbed's shared-memory file (the same file that backs the
 * guest's ivshmem-plain BAR2), formats the IPU side of the window and runs
 * one polling thread per simulated IPU core until SIGTERM/SIGINT, when it
 * publishes HALTED so the host falls back at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ipu_core.h"
#include "ipu_options.h"
#include "sched_policy.h"

struct sim_options {
	const char *shm;
	unsigned int links;
	unsigned int cores;
	unsigned int ring_entries;
	unsigned int idle_sleep_us;
	struct oae_ipu_options ipu;	/* shared with the firmware */
};

static volatile sig_atomic_t stop_requested;
static struct oae_ipu sim_ipu;
static struct sim_options opts = {
	.links = 2,
	.cores = 1,
	.ring_entries = 4096,
	.idle_sleep_us = 50,
};

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"usage: ipu-sim --shm FILE [options]\n"
		"  --shm FILE           shared-memory file backing the window (required)\n"
		"  --links N            links to offer, one per host CPU (1-%d, default 2)\n"
		"  --cores N            simulated IPU cores / polling threads (1-%d, default 1)\n"
		"  --ring-entries N     custody event ring entries (power of two, default 4096)\n"
		"  --idle-sleep-us N    sleep between poll rounds (0 = spin; default 50)\n"
		"  --latency-ns N       one-way PCIe latency to model (default 0)\n"
		"  --fail-after N       go silent (no answers, no heartbeat) after N answers\n"
		"  --garbage MODE       answer malformed: wrong-echo, wrong-epoch,\n"
		"                       out-of-range, torn, bad-seq (default none)\n"
		"  --test-policy NAME   policy answering test offers (default echo)\n"
		"  --sched-policy NAME  policy answering scheduling offers (default none;\n"
		"                       the host may ask for another with each epoch)\n"
		"  --sched-slice-us N   its slice when the host asks for none\n"
		"                       (100-1000000, default: the policy's, %llu)\n"
		"  --mem-policy NAME    policy answering memory offers (default none)\n"
		"  --park-core N        tests: core N never polls (its links move to others)\n"
		"  --core-stall-ms N    a core silent this long loses its links (default %llu)\n"
		"  -h, --help           this text\n"
		"policies (NAME, role, what it does):\n",
		OAE_MAX_LINKS, OAE_MAX_IPU_CORES,
		(unsigned long long)OAE_SCHED_SLICE_NS / 1000,
		OAE_CORE_STALL_NS_DEFAULT / 1000000);
	for (i = 0; i < oae_policy_count(); i++) {
		const struct oae_ipu_policy *p = oae_policy_at(i);

		fprintf(f, "  %-20s %-6s %s\n", p->name, oae_role_name(p->role),
			p->summary);
	}
}

static int parse_uint(const char *name, const char *arg, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "ipu-sim: --%s: '%s' is not a number in [%u, %u]\n",
			name, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* The runtime's own knobs, parsed by the code the firmware uses too. */
static int parse_ipu_option(const char *name, const char *arg)
{
	char err[160];

	if (oae_ipu_option(&opts.ipu, name, arg, err, sizeof(err))) {
		fprintf(stderr, "ipu-sim: %s\n", err);
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shm", required_argument, NULL, 's' },
		{ "links", required_argument, NULL, 'l' },
		{ "cores", required_argument, NULL, 'c' },
		{ "ring-entries", required_argument, NULL, 'r' },
		{ "idle-sleep-us", required_argument, NULL, 'i' },
		{ "latency-ns", required_argument, NULL, 'L' },
		{ "fail-after", required_argument, NULL, 'F' },
		{ "garbage", required_argument, NULL, 'G' },
		{ "test-policy", required_argument, NULL, 'P' },
		{ "sched-policy", required_argument, NULL, 'P' },
		{ "mem-policy", required_argument, NULL, 'P' },
		{ "park-core", required_argument, NULL, 'P' },
		{ "core-stall-ms", required_argument, NULL, 'P' },
		{ "sched-slice-us", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, longindex = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, &longindex)) != -1) {
		switch (c) {
		case 's':
			opts.shm = optarg;
			break;
		case 'l':
			if (parse_uint("links", optarg, 1, OAE_MAX_LINKS, &opts.links))
				return -1;
			break;
		case 'c':
			if (parse_uint("cores", optarg, 1, OAE_MAX_IPU_CORES, &opts.cores))
				return -1;
			break;
		case 'r':
			if (parse_uint("ring-entries", optarg, OAE_RING_MIN_ENTRIES,
				       OAE_RING_MAX_ENTRIES, &opts.ring_entries))
				return -1;
			break;
		case 'i':
			if (parse_uint("idle-sleep-us", optarg, 0, 1000000,
				       &opts.idle_sleep_us))
				return -1;
			break;
		case 'L':
		case 'F':
		case 'G':
		case 'P':
			if (parse_ipu_option(longopts[longindex].name, optarg))
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ipu-sim: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!opts.shm) {
		fprintf(stderr, "ipu-sim: --shm FILE is required\n");
		return -1;
	}
	if (opts.ipu.park_core && opts.ipu.park_core >= opts.cores) {
		fprintf(stderr, "ipu-sim: --park-core %u: there are only %u cores\n",
			opts.ipu.park_core, opts.cores);
		return -1;
	}
	return 0;
}

static void *map_window(oae_u64 *size)
{
	struct stat st;
	void *win;
	int fd;

	fd = open(opts.shm, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "ipu-sim: %s: %s\n", opts.shm, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		fprintf(stderr, "ipu-sim: %s: %s\n", opts.shm, strerror(errno));
		close(fd);
		return NULL;
	}
	*size = st.st_size;
	if (*size < OAE_WINDOW_MIN || *size > OAE_WINDOW_MAX ||
	    (*size & (*size - 1))) {
		fprintf(stderr,
			"ipu-sim: %s: size %llu is not a power of two in [%llu, %llu]\n",
			opts.shm, (unsigned long long)*size,
			(unsigned long long)OAE_WINDOW_MIN,
			(unsigned long long)OAE_WINDOW_MAX);
		close(fd);
		return NULL;
	}
	win = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (win == MAP_FAILED) {
		fprintf(stderr, "ipu-sim: mmap %s: %s\n", opts.shm, strerror(errno));
		return NULL;
	}
	return win;
}

static const char *policy_name(int role)
{
	return opts.ipu.policy[role] ? opts.ipu.policy[role]->name : "none";
}

/*
 * Exit stats, one line per core. "shared locks" counts every shared lock
 * the core took: it only grows with work (events, swaps), never while idle.
 */
static void print_stats(void)
{
	struct oae_ipu_core_counters t;
	unsigned int i;

	oae_ipu_totals(&sim_ipu, &t);
	fprintf(stderr,
		"ipu-sim: stats: answered %llu committed %llu aborted %llu, epochs %llu, cores lost %llu, bad epoch requests %llu, sched policy %llu slice %llu ns\n",
		(unsigned long long)t.link.answered,
		(unsigned long long)t.link.committed,
		(unsigned long long)t.link.aborted,
		(unsigned long long)sim_ipu.epochs,
		(unsigned long long)sim_ipu.cores_lost,
		(unsigned long long)sim_ipu.bad_epochs,
		(unsigned long long)sim_ipu.sched_policy_served,
		(unsigned long long)sim_ipu.sched_slice_served);
	for (i = 0; i < opts.cores; i++) {
		const struct oae_ipu_core_counters *c = &sim_ipu.core[i].cnt;

		fprintf(stderr,
			"ipu-sim: core %u: rounds %llu answered %llu shared locks %llu (waited %llu) settle reports %llu links taken over %llu%s\n",
			i, (unsigned long long)c->rounds,
			(unsigned long long)c->link.answered,
			(unsigned long long)c->locks.taken,
			(unsigned long long)c->locks.waited,
			(unsigned long long)c->settle_reports,
			(unsigned long long)c->links_taken_over,
			oae_ipu_core_lost(&sim_ipu, i) ? ", lost" : "");
	}
}

static oae_u64 sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (oae_u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *core_thread(void *arg)
{
	unsigned int core = (unsigned long)arg;
	struct timespec idle = { 0, (long)opts.idle_sleep_us * 1000 };
	int reported = 0;

	if (opts.ipu.park_core && core == opts.ipu.park_core) {
		fprintf(stderr, "ipu-sim: core %u parked (--park-core): it never polls\n",
			core);
		return NULL;
	}
	while (!stop_requested) {
		oae_ipu_poll(&sim_ipu, core);
		if (core == 0 && !reported && oae_ipu_silent(&sim_ipu)) {
			reported = 1;
			fprintf(stderr, "ipu-sim: --fail-after %llu reached: going silent\n",
				(unsigned long long)opts.ipu.fail_after);
		}
		if (opts.idle_sleep_us)
			nanosleep(&idle, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct oae_ipu_config cfg;
	pthread_t threads[OAE_MAX_IPU_CORES];
	struct sigaction sa = { .sa_handler = on_signal };
	enum oae_hdr_error err;
	oae_u64 size;
	unsigned int i;
	void *win;

	oae_ipu_options_init(&opts.ipu);
	if (parse_args(argc, argv))
		return 2;
	win = map_window(&size);
	if (!win)
		return 1;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	cfg = (struct oae_ipu_config){
		.window_size = size,
		.nr_links = opts.links,
		.nr_cores = opts.cores,
		.ring_entries = opts.ring_entries,
		/* A restarted ipu-sim must never pass for the one before it. */
		.boot_id = oae_digest_add(sim_now_ns(), (oae_u64)getpid()) | 1,
		.core_stall_ns = opts.ipu.core_stall_ms * 1000000ULL,
		.latency_ns = opts.ipu.latency_ns,
		.now_ns = sim_now_ns,
		.fault = opts.ipu.fault,
		.fail_after = opts.ipu.fail_after,
		.sched_slice_ns = opts.ipu.sched_slice_ns,
	};
	memcpy(cfg.policy, opts.ipu.policy, sizeof(cfg.policy));
	err = oae_ipu_init(&sim_ipu, win, &cfg);
	if (err) {
		fprintf(stderr, "ipu-sim: cannot format window: %s\n",
			oae_hdr_strerror(err));
		return 1;
	}
	oae_ipu_start(&sim_ipu);
	fprintf(stderr,
		"ipu-sim: ready: window %s (%llu bytes), %u links, %u cores, policies test %s sched %s mem %s, latency %llu ns, garbage %s\n",
		opts.shm, (unsigned long long)size, opts.links, opts.cores,
		policy_name(OAE_ROLE_TEST), policy_name(OAE_ROLE_SCHED),
		policy_name(OAE_ROLE_MEM),
		(unsigned long long)opts.ipu.latency_ns,
		oae_fault_name(opts.ipu.fault));

	for (i = 0; i < opts.cores; i++) {
		if (pthread_create(&threads[i], NULL, core_thread,
				   (void *)(unsigned long)i)) {
			fprintf(stderr, "ipu-sim: cannot start core %u\n", i);
			stop_requested = 1;
			opts.cores = i;
			break;
		}
	}
	for (i = 0; i < opts.cores; i++)
		pthread_join(threads[i], NULL);

	/* A silent (failed) IPU says nothing on the way out either. */
	if (!oae_ipu_silent(&sim_ipu)) {
		oae_ipu_halt(&sim_ipu);
		fprintf(stderr, "ipu-sim: halted\n");
	}
	print_stats();
	munmap(win, size);
	return 0;
}
