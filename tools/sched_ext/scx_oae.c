// SPDX-License-Identifier: GPL-2.0
/*
 * scx_oae: loader of the sched_ext policy whose scheduling decisions are
 * made on the IPU (scx_oae.bpf.c), through oae_ipu.ko's kfuncs.
 *
 *   scx_oae [options]
 *     --mode bilateral|local  bilateral (default): every task the IPU can
 *                             serve is picked on the IPU by a swap, the CPU
 *                             decides locally when the IPU is down, late or
 *                             its answer aborts. local: the same program
 *                             never offers (a local vtime policy, the
 *                             baseline). fito arrives with the FITO baseline.
 *     --policy vtime|fifo|default
 *                             the IPU's policy (writes
 *                             /sys/class/oae/oae0/sched_policy; default
 *                             vtime; "default" leaves the IPU's own)
 *     -s, --slice-us N        slice in us: 0 (default) or 100..1000000;
 *                             written to sched_slice_us and used for local
 *                             decisions (0: 5 ms, the IPU policies' default)
 *     --budget-ns N           how long dispatch may wait for an answer
 *                             (default 20000, at most 100000)
 *     --stats SECS            print the stats line every SECS seconds
 *     --duration SECS         detach and exit after SECS seconds
 *     --allow-local-start     attach although the IPU link is not up; tasks
 *                             are decided locally until it comes up
 *     -v, --verbose           libbpf debug output (verifier log) and a
 *                             detailed stats line
 *     -h, --help
 *
 * Stats line (cumulative since attach; also printed once at exit):
 *   ipu=N local=N aborts{stale_object=N,affinity=N,pinned=N,not_queued=N,
 *   bad_answer=N} withdrawn=N fallback=N stale=N lat_med=Nns lat_p99=Nns
 * ipu: decisions committed on the IPU and dispatched; local: decisions made
 * here (tasks never offered, IPU down or with nothing for the CPU,
 * withdrawn, aborted, prev kept); fallback: custody tasks the local policy
 * dispatched; stale: the module's
 * stale enforcements (debugfs; must be 0); lat: time dispatch spent waiting
 * in oae_sched_pick_complete().
 *
 * Exit status: 0 after a clean detach (signal, --duration), 1 when the
 * scheduler cannot start or the kernel ejected it with an error, 2 for bad
 * options. SIGINT/SIGTERM detach and print the final stats and "EXIT: ...".
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <scx/common.h>
#include <linux/oae_sched.h>
#include <oae/link.h>
#include "scx_oae.h"
#include "scx_oae.bpf.skel.h"

#define MODULE_BTF	"/sys/kernel/btf/oae_ipu"
#define OAE_SYSFS	"/sys/class/oae/oae0"
#define OAE_DEBUGFS_STATS "/sys/kernel/debug/oae/oae0/stats"
#define SCX_STATE	"/sys/kernel/sched_ext/state"
#define SCX_ROOT_OPS	"/sys/kernel/sched_ext/root/ops"
#define MODULE_REFCNT	"/sys/module/oae_ipu/refcnt"

/* enum scx_exit_kind (kernel/sched/ext.c): kinds from here on are errors. */
#define SCX_EXIT_KIND_ERROR	1024

#define SLICE_US_MIN	100
#define SLICE_US_MAX	1000000

static const char usage[] =
"Usage: scx_oae [--mode bilateral|local] [--policy vtime|fifo|default]\n"
"               [-s|--slice-us N] [--budget-ns N] [--stats SECS]\n"
"               [--duration SECS] [--allow-local-start] [-v] [-h]\n"
"\n"
"sched_ext policy whose decisions are made on the IPU (oae_ipu.ko).\n"
"\n"
"  --mode M              bilateral (default): picks by bilateral swap with\n"
"                        the IPU, local decisions when it is down or late;\n"
"                        local: never offer (local vtime baseline)\n"
"  --policy P            IPU policy: vtime (default), fifo, or default\n"
"                        (the IPU's own choice); written to sysfs\n"
"  -s, --slice-us N      slice: 0 (IPU default; 5 ms locally) or\n"
"                        100..1000000 us\n"
"  --budget-ns N         dispatch wait for the answer, 0..100000\n"
"                        (default 20000)\n"
"  --stats SECS          print the stats line every SECS seconds\n"
"  --duration SECS       detach and exit after SECS seconds\n"
"  --allow-local-start   attach even if the IPU link is not up\n"
"  -v, --verbose         libbpf debug output, detailed stats\n"
"  -h, --help            this text\n"
"\n"
"Stats (cumulative): ipu local aborts{...} withdrawn fallback stale\n"
"lat_med lat_p99. Exit: 0 clean detach, 1 error, 2 bad option.\n";

struct options {
	unsigned int mode;
	const char *policy;		/* NULL: leave the IPU's as it is */
	long long slice_us;		/* -1: not given */
	unsigned long long budget_ns;
	unsigned int stats_secs;	/* 0: only the final line */
	unsigned int duration_secs;	/* 0: until a signal */
	bool allow_local_start;
};

static bool verbose;
static volatile sig_atomic_t exit_req;

static int libbpf_print_fn(enum libbpf_print_level level, const char *format,
			   va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static void on_signal(int sig)
{
	(void)sig;
	exit_req = 1;
}

static void __attribute__((noreturn)) bad_option(const char *fmt, ...)
{
	va_list ap;

	fputs("scx_oae: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'scx_oae --help'.\n", stderr);
	exit(2);
}

static unsigned long long parse_number(const char *opt, const char *arg,
				       unsigned long long min,
				       unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
		bad_option("%s: '%s' is not a number in %llu..%llu", opt, arg,
			   min, max);
	return v;
}

/* Reads the first line of a small file, without its newline. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, size, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_knob(const char *name, const char *value)
{
	char path[128];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), OAE_SYSFS "/%s", name);
	f = fopen(path, "w");
	if (!f) {
		err = errno;
	} else {
		if (fputs(value, f) < 0)
			err = errno;
		if (fclose(f) && !err)
			err = errno;
	}
	if (err) {
		fprintf(stderr, "scx_oae: cannot set %s to '%s': %s\n", path,
			value, strerror(err));
		return -1;
	}
	return 0;
}

/* The clear errors: what is missing and what to do about it. */
static int check_preconditions(const struct options *o)
{
	char state[64], ops[64];

	if (access("/sys/kernel/sched_ext", F_OK)) {
		fprintf(stderr, "scx_oae: this kernel has no sched_ext "
			"(CONFIG_SCHED_CLASS_EXT)\n");
		return -1;
	}
	if (read_line(SCX_STATE, state, sizeof(state)) == 0 &&
	    strcmp(state, "disabled")) {
		if (read_line(SCX_ROOT_OPS, ops, sizeof(ops)))
			strcpy(ops, "?");
		fprintf(stderr, "scx_oae: another sched_ext scheduler is "
			"loaded: '%s' (sched_ext state '%s'); stop it first\n",
			ops, state);
		return -1;
	}
	if (access(MODULE_BTF, F_OK)) {
		fprintf(stderr, "scx_oae: oae_ipu.ko is not loaded (" MODULE_BTF
			" missing): insmod oae_ipu.ko first\n");
		return -1;
	}
	if (read_line(OAE_SYSFS "/state", state, sizeof(state))) {
		fprintf(stderr, "scx_oae: no IPU bound to oae_ipu.ko ("
			OAE_SYSFS " missing)\n");
		return -1;
	}
	if (strcmp(state, "up") && o->mode == SCX_OAE_MODE_BILATERAL &&
	    !o->allow_local_start) {
		fprintf(stderr, "scx_oae: the IPU link is '%s': it must be up "
			"for bilateral mode (start the IPU, or pass "
			"--allow-local-start to decide locally until it is up)\n",
			state);
		return -1;
	}
	return 0;
}

struct totals {
	unsigned long long cnt[OAE_NR_STATS];
	unsigned long long lat[LAT_BUCKETS];
};

static int read_totals(struct scx_oae *skel, struct totals *t)
{
	int nr_cpus = libbpf_num_possible_cpus();
	struct scx_oae_stats *per_cpu;
	__u32 zero = 0;
	int cpu, i, err;

	memset(t, 0, sizeof(*t));
	if (nr_cpus <= 0)
		return -1;
	per_cpu = calloc(nr_cpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -1;
	err = bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &zero, per_cpu);
	if (!err) {
		for (cpu = 0; cpu < nr_cpus; cpu++) {
			for (i = 0; i < OAE_NR_STATS; i++)
				t->cnt[i] += per_cpu[cpu].cnt[i];
			for (i = 0; i < LAT_BUCKETS; i++)
				t->lat[i] += per_cpu[cpu].lat[i];
		}
	}
	free(per_cpu);
	return err;
}

/* A quantile's bucket, reported at the bucket's middle. */
static unsigned long long lat_quantile(const struct totals *t, double q)
{
	unsigned long long total = 0, seen = 0, want, low, high;
	int i;

	for (i = 0; i < LAT_BUCKETS; i++)
		total += t->lat[i];
	if (!total)
		return 0;
	want = (unsigned long long)(q * total);
	if (want < 1)
		want = 1;
	for (i = 0; i < LAT_BUCKETS; i++) {
		seen += t->lat[i];
		if (seen >= want)
			break;
	}
	if (i >= LAT_BUCKETS - 1)
		return lat_bucket_low(LAT_BUCKETS - 1);
	low = lat_bucket_low(i);
	high = lat_bucket_low(i + 1);
	return low + (high - low) / 2;
}

/* The module's count of stale enforcements; -1 when debugfs is not there. */
static long long read_stale(void)
{
	char line[128];
	long long stale = -1;
	FILE *f = fopen(OAE_DEBUGFS_STATS, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "stale_enforcements %lld", &stale) == 1)
			break;
	fclose(f);
	return stale;
}

static void print_stats(struct scx_oae *skel)
{
	static bool stale_note_done;
	const unsigned long long *c;
	unsigned long long local;
	struct totals t;
	long long stale;

	if (read_totals(skel, &t)) {
		fprintf(stderr, "scx_oae: reading the stats map failed\n");
		return;
	}
	c = t.cnt;
	local = c[OAE_STAT_LOCAL_ONLY] + c[OAE_STAT_LOCAL_IPU_DOWN] +
		c[OAE_STAT_LOCAL_WITHDRAWN] + c[OAE_STAT_LOCAL_ABORTED] +
		c[OAE_STAT_LOCAL_BUSY] + c[OAE_STAT_LOCAL_PREV_KEPT] +
		c[OAE_STAT_LOCAL_MODE] + c[OAE_STAT_LOCAL_EMPTY] +
		c[OAE_STAT_LOCAL_OVERDUE];
	stale = read_stale();
	if (stale < 0 && !stale_note_done) {
		fprintf(stderr, "scx_oae: note: stale is shown as 0: "
			OAE_DEBUGFS_STATS " is not readable (debugfs not "
			"mounted?)\n");
		stale_note_done = true;
	}

	printf("ipu=%llu local=%llu aborts{stale_object=%llu,affinity=%llu,"
	       "pinned=%llu,not_queued=%llu,bad_answer=%llu} withdrawn=%llu "
	       "fallback=%llu stale=%lld lat_med=%lluns lat_p99=%lluns",
	       c[OAE_STAT_IPU_DECISIONS], local,
	       c[OAE_STAT_ABORT_BASE + OAE_ABORT_STALE_OBJECT],
	       c[OAE_STAT_ABORT_BASE + OAE_ABORT_AFFINITY],
	       c[OAE_STAT_ABORT_BASE + OAE_ABORT_PINNED],
	       c[OAE_STAT_ABORT_BASE + OAE_ABORT_NOT_QUEUED],
	       c[OAE_STAT_ABORT_BASE + OAE_ABORT_BAD_ANSWER],
	       c[OAE_STAT_WITHDRAWN], c[OAE_STAT_FALLBACK],
	       stale < 0 ? 0 : stale,
	       lat_quantile(&t, 0.5), lat_quantile(&t, 0.99));
	if (verbose)
		printf(" local_by{only=%llu,ipu_empty=%llu,ipu_down=%llu,"
		       "withdrawn=%llu,aborted=%llu,busy=%llu,prev_kept=%llu,"
		       "mode=%llu,overdue=%llu} "
		       "offers=%llu offer_errors=%llu custody=%llu "
		       "refused=%llu lost_race=%llu scan_limit=%llu "
		       "kicks=%llu enforce_errors=%llu",
		       c[OAE_STAT_LOCAL_ONLY], c[OAE_STAT_LOCAL_EMPTY],
		       c[OAE_STAT_LOCAL_IPU_DOWN],
		       c[OAE_STAT_LOCAL_WITHDRAWN], c[OAE_STAT_LOCAL_ABORTED],
		       c[OAE_STAT_LOCAL_BUSY], c[OAE_STAT_LOCAL_PREV_KEPT],
		       c[OAE_STAT_LOCAL_MODE], c[OAE_STAT_LOCAL_OVERDUE],
		       c[OAE_STAT_OFFERS],
		       c[OAE_STAT_OFFER_ERRORS], c[OAE_STAT_CUSTODY],
		       c[OAE_STAT_REFUSED], c[OAE_STAT_LOST_RACE],
		       c[OAE_STAT_SCAN_LIMIT], c[OAE_STAT_KICKS],
		       c[OAE_STAT_ENFORCE_ERRORS]);
	if (verbose && skel->bss->not_queued_pid)
		printf(" last_not_queued{pid=%d,exists=%d,flags=%#x,dsq=%#llx,"
		       "cpu=%d}", skel->bss->not_queued_pid,
		       skel->bss->not_queued_exists,
		       skel->bss->not_queued_flags,
		       (unsigned long long)skel->bss->not_queued_dsq,
		       skel->bss->not_queued_cpu);
	putchar('\n');
	fflush(stdout);
}

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long module_refcnt(void)
{
	char buf[32];

	if (read_line(MODULE_REFCNT, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * The BPF programs hold oae_ipu.ko until the kernel frees them, a grace
 * period after the last fd closes. Wait (a little) for that, so that a
 * script may rmmod the module as soon as scx_oae has exited.
 */
static void wait_module_released(long refcnt_before)
{
	double deadline = now_secs() + 5;
	long refcnt;

	if (refcnt_before < 0)
		return;
	while ((refcnt = module_refcnt()) > refcnt_before) {
		if (now_secs() > deadline) {
			fprintf(stderr, "scx_oae: note: oae_ipu.ko still has "
				"%ld users more than before the scheduler "
				"loaded\n", refcnt - refcnt_before);
			return;
		}
		usleep(20000);
	}
}

static void parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_MODE = 256, OPT_POLICY, OPT_BUDGET, OPT_STATS,
		OPT_DURATION, OPT_ALLOW_LOCAL_START,
	};
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "slice-us", required_argument, NULL, 's' },
		{ "budget-ns", required_argument, NULL, OPT_BUDGET },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "allow-local-start", no_argument, NULL, OPT_ALLOW_LOCAL_START },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*o = (struct options){
		.mode = SCX_OAE_MODE_BILATERAL,
		/* Always name one: an IPU may start with no scheduling policy. */
		.policy = "vtime",
		.slice_us = -1,
		.budget_ns = SCX_OAE_BUDGET_DFL_NS,
	};
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_MODE:
			if (!strcmp(optarg, "bilateral"))
				o->mode = SCX_OAE_MODE_BILATERAL;
			else if (!strcmp(optarg, "local"))
				o->mode = SCX_OAE_MODE_LOCAL;
			else if (!strcmp(optarg, "fito"))
				bad_option("--mode fito: fito mode arrives with "
					   "the FITO baseline");
			else
				bad_option("--mode: '%s' is not bilateral or "
					   "local", optarg);
			break;
		case OPT_POLICY:
			if (strcmp(optarg, "vtime") && strcmp(optarg, "fifo") &&
			    strcmp(optarg, "default"))
				bad_option("--policy: '%s' is not vtime, fifo "
					   "or default", optarg);
			o->policy = optarg;
			break;
		case 's':
			o->slice_us = parse_number("--slice-us", optarg, 0,
						   SLICE_US_MAX);
			if (o->slice_us && o->slice_us < SLICE_US_MIN)
				bad_option("--slice-us: %lld is neither 0 nor "
					   "in %d..%d", o->slice_us,
					   SLICE_US_MIN, SLICE_US_MAX);
			break;
		case OPT_BUDGET:
			o->budget_ns = parse_number("--budget-ns", optarg, 0,
						    OAE_SCHED_BUDGET_MAX_NS);
			break;
		case OPT_STATS:
			o->stats_secs = parse_number("--stats", optarg, 1,
						     86400);
			break;
		case OPT_DURATION:
			o->duration_secs = parse_number("--duration", optarg,
							1, UINT_MAX);
			break;
		case OPT_ALLOW_LOCAL_START:
			o->allow_local_start = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case ':':
			bad_option("%s needs a value", argv[optind - 1]);
		default:
			bad_option("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_option("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	struct options opts;
	struct scx_oae *skel;
	struct bpf_link *link;
	char value[32];
	double started, last_stats;
	bool error_exit;
	long refcnt_before;
	__u64 ecode;

	parse_options(argc, argv, &opts);
	libbpf_set_print(libbpf_print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (check_preconditions(&opts))
		return 1;
	if (opts.policy && write_knob("sched_policy", opts.policy))
		return 1;
	if (opts.slice_us >= 0) {
		snprintf(value, sizeof(value), "%lld", opts.slice_us);
		if (write_knob("sched_slice_us", value))
			return 1;
	}

restart:
	refcnt_before = module_refcnt();
	skel = SCX_OPS_OPEN(oae_ops, scx_oae);
	skel->rodata->mode = opts.mode;
	skel->rodata->budget_ns = opts.budget_ns;
	if (opts.slice_us > 0) {
		skel->rodata->slice_ns = opts.slice_us * 1000ULL;
	}
	SCX_OPS_LOAD(skel, oae_ops, scx_oae, uei);
	link = SCX_OPS_ATTACH(skel, oae_ops, scx_oae);
	if (verbose)
		fprintf(stderr, "scx_oae: attached, mode %s\n",
			opts.mode == SCX_OAE_MODE_BILATERAL ? "bilateral" :
							       "local");

	started = last_stats = now_secs();
	while (!exit_req && !UEI_EXITED(skel, uei)) {
		double now = now_secs();

		if (opts.duration_secs && now - started >= opts.duration_secs)
			break;
		if (opts.stats_secs && now - last_stats >= opts.stats_secs) {
			print_stats(skel);
			last_stats = now;
		}
		usleep(100000);
	}

	bpf_link__destroy(link);
	print_stats(skel);
	error_exit = skel->data->uei.kind >= SCX_EXIT_KIND_ERROR;
	ecode = UEI_REPORT(skel, uei);
	scx_oae__destroy(skel);
	wait_module_released(refcnt_before);

	if (UEI_ECODE_RESTART(ecode) && !exit_req)
		goto restart;
	return error_exit ? 1 : 0;
}
