// SPDX-License-Identifier: GPL-2.0
/*
 * oae-sched-probe: CPU-bound tasks that measure what the scheduler gave
 * them, for the scheduling tests in the guest. It asks nothing of the
 * scheduler beyond POSIX and Linux affinity calls, so it runs the same
 * under scx_oae, a local sched_ext policy or the kernel's default one.
 *
 *   oae-sched-probe spin --seconds S [--nice N] [--cpus LIST]
 *	Pin to LIST (sched_setaffinity) if given, set nice N, burn CPU for
 *	S wall seconds, checking sched_getcpu() on every iteration against
 *	the allowed set (LIST, else the affinity it started with). Prints
 *	  pid=P nice=N cpu_ns=T wrong_cpu=W cpus_seen=0xMASK
 *	(T from CLOCK_THREAD_CPUTIME_ID over the burn) and exits 1 if W > 0.
 *
 *   oae-sched-probe fair --seconds S --tasks N [--cpus LIST]
 *			  [--nice LIST] [--expect-within PCT]
 *	Fork N spinners (all pinned to LIST if given; nice LIST holds one
 *	value for all or one per task), start them together, stop them at
 *	the same instant, print one line per task and a summary:
 *	  task=I pid=P nice=N cpu_ns=T wrong_cpu=W cpus_seen=0xMASK
 *	  summary: tasks=N total_cpu_ns=T min/max share ratio=R deviation=D%
 *	where a task's share is cpu_ns / its CFS weight (nice 0 = 1024,
 *	nice 5 = 335: the kernel's 40-entry table), R = min share / max share
 *	and D = (1 - R) * 100. For two tasks it also prints
 *	  pair: measured ratio=M weight ratio=W deviation=D%
 *	with M = cpu_ns[0] / cpu_ns[1], W = weight[0] / weight[1] and
 *	D = |M / W - 1| * 100, which is then the deviation checked.
 *	Exits 1 if a task failed (wrong CPU, or could not set itself up) or,
 *	with --expect-within PCT, if D > PCT; otherwise 0: without it, the
 *	caller judges the printed numbers.
 *
 * LIST is a CPU list as in /sys (0-3,6); nice values are -20..19. Usage
 * errors print a message and exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../oae/cli.h"

#define PROG		"oae-sched-probe"
#define MAX_TASKS	256
#define MAX_SECONDS	86400.0

/* kernel/sched/core.c: sched_prio_to_weight[], nice -20 .. 19. */
static const unsigned int nice_weight[40] = {
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	 9548,  7620,  6100,  4904,  3906,
	 3121,  2501,  1991,  1586,  1277,
	 1024,   820,   655,   526,   423,
	  335,   272,   215,   172,   137,
	  110,    87,    70,    56,    45,
	   36,    29,    23,    18,    15,
};

static unsigned int weight_of(int nice)
{
	return nice_weight[nice + 20];
}

/* What one spinner measured; in shared memory for fair's children. */
struct result {
	int nice;
	int failed;			/* could not set itself up */
	uint64_t cpu_ns;
	uint64_t wrong_cpu;
	cpu_set_t seen;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " spin --seconds S [--nice N] [--cpus LIST]\n"
		"       " PROG " fair --seconds S --tasks N [--cpus LIST] [--nice LIST]\n"
		"                            [--expect-within PCT]\n"
		"  --seconds S          wall seconds to burn (0 < S <= 86400, decimals ok)\n"
		"  --nice N|LIST        nice -20..19; fair: one value, or one per task (a,b,...)\n"
		"  --cpus LIST          CPUs to pin to, as in /sys: 0-3,6\n"
		"  --tasks N            fair: spinners to fork (1-%d)\n"
		"  --expect-within PCT  fair: exit 1 if the deviation printed exceeds PCT\n"
		"  -h, --help           this text\n", MAX_TASKS);
}

#define bad_usage(...)	cli_usage_error(PROG, __VA_ARGS__)

static long parse_long(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		bad_usage("--%s: '%s' is not a whole number from %ld to %ld",
			  opt, s, min, max);
	return v;
}

static double parse_double(const char *opt, const char *s, double min,
			   double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= min || v > max)
		bad_usage("--%s: '%s' is not a number above %g and at most %g",
			  opt, s, min, max);
	return v;
}

/* "0-3,6" into @set; usage error on anything else. */
static void parse_cpus(const char *s, cpu_set_t *set)
{
	const char *p = s;
	char *end;
	long a, b;

	CPU_ZERO(set);
	for (;;) {
		if (*p < '0' || *p > '9')
			goto bad;
		errno = 0;
		a = strtol(p, &end, 10);
		b = a;
		if (errno)
			goto bad;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				goto bad;
			b = strtol(p, &end, 10);
			if (errno)
				goto bad;
			p = end;
		}
		if (a > b || b >= CPU_SETSIZE)
			goto bad;
		for (; a <= b; a++)
			CPU_SET(a, set);
		if (!*p)
			return;
		if (*p++ != ',')
			goto bad;
	}
bad:
	bad_usage("--cpus: '%s' is not a CPU list like 0-3,6 (CPUs 0-%d)", s,
		  CPU_SETSIZE - 1);
}

/* "0,5" into @nice; returns how many (usage error past @max). */
static unsigned int parse_nice_list(const char *s, int *nice,
				    unsigned int max)
{
	char buf[1024], *tok, *save = NULL;
	unsigned int n = 0;

	if (strlen(s) >= sizeof(buf) || !*s || s[strlen(s) - 1] == ',' ||
	    strstr(s, ",,") || s[0] == ',')
		bad_usage("--nice: '%s' is not a list like 0,5", s);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			bad_usage("--nice: more values than --tasks (%u)", max);
		nice[n++] = (int)parse_long("nice", tok, -20, 19);
	}
	return n;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* "0x" and the mask, most significant nibble first. */
static void format_mask(const cpu_set_t *set, char *buf, size_t size)
{
	int top = -1, cpu, nib, v;
	size_t n = 0;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set))
			top = cpu;
	n += snprintf(buf, size, "0x");
	if (top < 0) {
		snprintf(buf + n, size - n, "0");
		return;
	}
	for (nib = top / 4; nib >= 0 && n + 1 < size; nib--) {
		v = 0;
		for (cpu = 0; cpu < 4; cpu++)
			if (CPU_ISSET(nib * 4 + cpu, set))
				v |= 1 << cpu;
		buf[n++] = "0123456789abcdef"[v];
	}
	buf[n] = 0;
}

/* Set nice (if asked) and read back what holds into *@got; 0, or -1. */
static int set_nice(int want, int have_want, int *got)
{
	if (have_want && setpriority(PRIO_PROCESS, 0, want)) {
		fprintf(stderr, PROG ": setpriority(%d): %s\n", want,
			strerror(errno));
		return -1;
	}
	errno = 0;
	*got = getpriority(PRIO_PROCESS, 0);
	if (errno) {
		fprintf(stderr, PROG ": getpriority: %s\n", strerror(errno));
		return -1;
	}
	if (have_want && *got != want) {
		fprintf(stderr, PROG ": nice is %d, not %d\n", *got, want);
		return -1;
	}
	return 0;
}

/* Burn CPU until CLOCK_MONOTONIC reaches @deadline_ns, checking the CPU. */
static void spin(uint64_t deadline_ns, const cpu_set_t *allowed,
		 struct result *r)
{
	volatile uint64_t sink = 0;
	uint64_t start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	unsigned int i;
	int cpu;

	CPU_ZERO(&r->seen);
	r->wrong_cpu = 0;
	do {
		for (i = 0; i < 2000; i++)
			sink = sink * 6364136223846793005ULL + i;
		cpu = sched_getcpu();
		if (cpu >= 0 && cpu < CPU_SETSIZE)
			CPU_SET(cpu, &r->seen);
		if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, allowed))
			r->wrong_cpu++;
	} while (clock_ns(CLOCK_MONOTONIC) < deadline_ns);
	r->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - start;
}

static void print_result(const struct result *r, pid_t pid, int task)
{
	char mask[CPU_SETSIZE / 4 + 8];

	format_mask(&r->seen, mask, sizeof(mask));
	if (task >= 0)
		printf("task=%d ", task);
	printf("pid=%d nice=%d cpu_ns=%llu wrong_cpu=%llu cpus_seen=%s\n",
	       (int)pid, r->nice, (unsigned long long)r->cpu_ns,
	       (unsigned long long)r->wrong_cpu, mask);
}

/* Pin to @cpus if given; the allowed set either way. 0, or -1 (said). */
static int pin(const cpu_set_t *cpus, int have_cpus, const char *list,
	       cpu_set_t *allowed)
{
	if (have_cpus) {
		if (sched_setaffinity(0, sizeof(*cpus), cpus)) {
			fprintf(stderr,
				PROG ": --cpus %s: sched_setaffinity: %s%s\n",
				list, strerror(errno),
				errno == EINVAL ?
				" (none of these CPUs is online and allowed)" : "");
			return -1;
		}
		*allowed = *cpus;
		return 0;
	}
	if (sched_getaffinity(0, sizeof(*allowed), allowed)) {
		fprintf(stderr, PROG ": sched_getaffinity: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

struct opts {
	double seconds;
	long tasks;
	cpu_set_t cpus;
	const char *cpus_list;
	const char *nice_arg;
	int nice[MAX_TASKS];
	unsigned int nr_nice;
	double within;
	int have_within;
};

static int do_spin(const struct opts *o)
{
	struct result r = { 0 };
	cpu_set_t allowed;
	int nice;

	if (pin(&o->cpus, !!o->cpus_list, o->cpus_list, &allowed))
		return 2;
	if (set_nice(o->nr_nice ? o->nice[0] : 0, !!o->nr_nice, &nice))
		return 1;
	r.nice = nice;
	spin(clock_ns(CLOCK_MONOTONIC) + (uint64_t)(o->seconds * 1e9),
	     &allowed, &r);
	print_result(&r, getpid(), -1);
	return r.wrong_cpu ? 1 : 0;
}

/* A child of fair: wait for the start, spin, leave its result. */
static void __attribute__((noreturn))
fair_child(int nice, int start_fd, const cpu_set_t *allowed,
	   volatile uint64_t *deadline, struct result *r)
{
	char c;
	int got;

	r->nice = nice;
	if (set_nice(nice, 1, &got)) {
		r->failed = 1;
		_exit(3);
	}
	/* EOF when the parent has forked every task: all start together. */
	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(start_fd);
	spin(*deadline, allowed, r);
	_exit(r->wrong_cpu ? 1 : 0);
}

static int do_fair(const struct opts *o)
{
	struct result *res;
	volatile uint64_t *deadline;
	pid_t pid[MAX_TASKS];
	cpu_set_t allowed;
	double share, min_share = 0, max_share = 0, dev, ratio;
	uint64_t total = 0;
	int pipefd[2], status, failed = 0;
	long i, n = o->tasks;
	size_t len = sizeof(*res) * MAX_TASKS + 64;
	void *shm;

	if (o->nr_nice > 1 && o->nr_nice != (unsigned int)n)
		bad_usage("--nice: %u values for %ld tasks (give one, or one per task)",
			  o->nr_nice, n);
	/* Children inherit the affinity: a bad LIST fails once, here. */
	if (pin(&o->cpus, !!o->cpus_list, o->cpus_list, &allowed))
		return 2;
	shm = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		   -1, 0);
	if (shm == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap: %s\n", strerror(errno));
		return 1;
	}
	deadline = shm;
	res = (struct result *)((char *)shm + 64);
	if (pipe(pipefd)) {
		fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);
	for (i = 0; i < n; i++) {
		int nice = o->nr_nice ? o->nice[o->nr_nice > 1 ? i : 0] : 0;

		pid[i] = fork();
		if (pid[i] < 0) {
			fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
			close(pipefd[1]);	/* let the others run out */
			*deadline = 0;
			n = i;
			failed = 1;
			break;
		}
		if (!pid[i]) {
			close(pipefd[1]);
			fair_child(nice, pipefd[0], &allowed, deadline,
				   &res[i]);
		}
	}
	close(pipefd[0]);
	if (!failed)
		*deadline = clock_ns(CLOCK_MONOTONIC) +
			    (uint64_t)(o->seconds * 1e9);
	__sync_synchronize();
	close(pipefd[1]);	/* start */
	for (i = 0; i < n; i++) {
		while (waitpid(pid[i], &status, 0) < 0)
			if (errno != EINTR) {
				status = -1;
				break;
			}
		if (status == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0 || res[i].failed) {
			failed = 1;
			if (status != -1 && WIFSIGNALED(status))
				fprintf(stderr, PROG ": task %ld killed by signal %d\n",
					i, WTERMSIG(status));
			else if (res[i].failed)
				fprintf(stderr, PROG ": task %ld could not set nice %d\n",
					i, res[i].nice);
		}
		print_result(&res[i], pid[i], (int)i);
		total += res[i].cpu_ns;
		share = (double)res[i].cpu_ns / weight_of(res[i].nice);
		if (!i || share < min_share)
			min_share = share;
		if (!i || share > max_share)
			max_share = share;
	}
	if (!n)
		return 1;
	ratio = max_share > 0 ? min_share / max_share : 0;
	dev = (1 - ratio) * 100;
	printf("summary: tasks=%ld total_cpu_ns=%llu min/max share ratio=%.4f deviation=%.2f%% (share = cpu_ns / CFS weight)\n",
	       n, (unsigned long long)total, ratio, dev);
	if (n == 2) {
		double w = (double)weight_of(res[0].nice) / weight_of(res[1].nice);
		double m = res[1].cpu_ns ? (double)res[0].cpu_ns / res[1].cpu_ns :
					   INFINITY;

		dev = fabs(m / w - 1) * 100;
		printf("pair: nice %d:%d measured ratio=%.4f weight ratio=%.4f (%u/%u) deviation=%.2f%%\n",
		       res[0].nice, res[1].nice, m, w, weight_of(res[0].nice),
		       weight_of(res[1].nice), dev);
	}
	if (failed) {
		fprintf(stderr, PROG ": a task failed\n");
		return 1;
	}
	if (o->have_within && !(dev <= o->within)) {
		printf("expect-within %.2f%%: FAIL (deviation %.2f%%)\n",
		       o->within, dev);
		return 1;
	}
	if (o->have_within)
		printf("expect-within %.2f%%: ok (deviation %.2f%%)\n",
		       o->within, dev);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "nice", required_argument, NULL, 'n' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "tasks", required_argument, NULL, 't' },
		{ "expect-within", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct opts o;
	const char *mode;
	int c, fair;

	if (argc < 2)
		bad_usage("a mode is required: spin or fair");
	mode = argv[1];
	if (!strcmp(mode, "-h") || !strcmp(mode, "--help")) {
		usage(stdout);
		return 0;
	}
	if (strcmp(mode, "spin") && strcmp(mode, "fair"))
		bad_usage("unknown mode '%s' (spin or fair)", mode);
	fair = !strcmp(mode, "fair");

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o.seconds = parse_double("seconds", optarg, 0,
						 MAX_SECONDS);
			break;
		case 'n':
			o.nice_arg = optarg;
			if (fair) {
				o.nr_nice = parse_nice_list(optarg, o.nice,
							    MAX_TASKS);
			} else {
				o.nice[0] = (int)parse_long("nice", optarg,
							    -20, 19);
				o.nr_nice = 1;
			}
			break;
		case 'c':
			parse_cpus(optarg, &o.cpus);
			o.cpus_list = optarg;
			break;
		case 't':
			if (!fair)
				bad_usage("spin: --tasks is for fair");
			o.tasks = parse_long("tasks", optarg, 1, MAX_TASKS);
			break;
		case 'e':
			if (!fair)
				bad_usage("spin: --expect-within is for fair");
			o.within = parse_double("expect-within", optarg, -1e-9,
						1000);
			o.have_within = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			bad_usage("%s needs a value", argv[optind - 1]);
		default:
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (!o.seconds)
		bad_usage("%s: --seconds S is required", mode);
	if (fair && !o.tasks)
		bad_usage("fair: --tasks N is required");
	return fair ? do_fair(&o) : do_spin(&o);
}
