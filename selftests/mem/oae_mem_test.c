// SPDX-License-Identifier: GPL-2.0
/*
 * oae-mem-test: the guest's checks of the offloaded memory device
 * /dev/oae_memN (Documentation/testing/guide.rst, the mem suite). Every
 * check writes a pattern that depends on the page, the 8-byte word in it
 * and the pass into every word of a region, and reads it back: a byte
 * lost or misplaced by an eviction, a prefetch or a fallback is counted.
 *
 *   oae-mem-test integrity --pages N --order seq|rev|random [--seed S]
 *			    [--passes K] [--seconds T]
 *	Map N pages; per pass write every word, then read everything back,
 *	both in ORDER (random: a new permutation per pass). A pass after the
 *	first also checks each page's first and last word still hold the
 *	previous pass's pattern before overwriting them. Runs K passes (1),
 *	and more until T seconds have gone by. Prints
 *	  pages= pages_written= words_checked= mismatches= bad_pages=
 *	  passes= order= elapsed_ms=
 *   oae-mem-test twoproc --pages N [--order O] [--passes K]
 *	Two processes, each with its own open file and region, both mapped
 *	at once (the device's region count rises by 2), then both run
 *	integrity at the same time with different seeds.
 *   oae-mem-test killchild --pages N [--after-ms M] [--bound-ms B]
 *	A child touches random pages of an N-page region without end;
 *	M ms (500) after it started it gets SIGKILL. It must be reaped
 *	within B ms (5000), killed by SIGKILL; then a fresh region of N
 *	pages passes one integrity pass.
 *   oae-mem-test munmap-middle --pages N
 *	Fill N pages, munmap the middle third: the outer thirds keep their
 *	data through a second pass, a read of the hole is SIGSEGV (child),
 *	and a new mapping of the same file still holds the middle's data.
 *   oae-mem-test paths --pages N [--tmpdir DIR]
 *	The ways Linux touches a mapping, each verified over all N pages:
 *	pipe and file write()/read() with the region as buffer,
 *	process_vm_readv/writev from another process, fork (child sees and
 *	changes the shared data), mprotect (PROT_READ: reads work, a write
 *	is SIGSEGV; RW again works), madvise(MADV_DONTNEED) keeps the data,
 *	mremap (growing fails with EFAULT, moving and shrinking keep data),
 *	and a page held by get_user_pages() (vmsplice() into a pipe) does
 *	not move while held: after traffic over the whole region, a store
 *	through the mapping still reaches the page the pipe holds.
 *   oae-mem-test invalid
 *	Every refused mmap of the spec with its errno (MAP_PRIVATE, offset
 *	not 0 or unaligned, length 0: EINVAL; length over
 *	mem_region_max_pages: EFBIG; PROT_EXEC: EPERM; a second mmap longer
 *	than the region: EINVAL; mprotect(PROT_EXEC): EACCES), each changing
 *	no counter (regions, pages_*) and leaving the file usable.
 *   oae-mem-test knob NAME GOOD BAD...
 *	sysfs knob NAME accepts GOOD (reads it back) and refuses every BAD
 *	with EINVAL, still reading GOOD.
 *
 * Common options: --dev PATH (/dev/oae_mem0), --sysfs DIR
 * (/sys/class/oae/oae0), --debugfs FILE (/sys/kernel/debug/oae/oae0/mem).
 * paths, invalid and knob print one line per check, "PASS name: ..." or
 * "FAIL name: ...". Mismatches are shown (the first few) as
 * "mismatch: ...". Exit status: 0 all good, 1 a check failed (said),
 * 2 bad usage.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "../oae/cli.h"
#include "oae_mem_util.h"

#define PROG		"oae-mem-test"
#define MAX_PASSES	4095	/* the pattern's pass field (--seconds may go on) */
#define MAX_PAGES	(1UL << 30)
#define SHOW_MISMATCHES	8

static size_t pg;			/* page size */
static size_t words_per_page;
static unsigned int shown;		/* mismatches printed so far */

struct opts {
	const char *dev;
	const char *sysfs;
	const char *debugfs;
	const char *tmpdir;
	size_t pages;
	enum mem_order order;
	uint64_t seed;
	unsigned int passes;
	double seconds;
	unsigned int after_ms;
	unsigned int bound_ms;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " integrity --pages N --order seq|rev|random [--seed S]\n"
		"                          [--passes K] [--seconds T]\n"
		"       " PROG " twoproc --pages N [--order O] [--passes K]\n"
		"       " PROG " killchild --pages N [--after-ms M] [--bound-ms B]\n"
		"       " PROG " munmap-middle --pages N\n"
		"       " PROG " paths --pages N [--tmpdir DIR]\n"
		"       " PROG " invalid\n"
		"       " PROG " knob NAME GOOD BAD...\n"
		"common: --dev PATH (" MEM_DEV_DEFAULT "), --sysfs DIR (" MEM_SYSFS_DEFAULT "),\n"
		"        --debugfs FILE (" MEM_DEBUGFS_DEFAULT ")\n"
		"exit: 0 ok, 1 a check failed (said why), 2 bad usage\n");
}

#define bad_usage(...)	cli_usage_error(PROG, __VA_ARGS__)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "PASS name: ..." or "FAIL name: ..."; returns 0 or 1 (failed). */
static int __attribute__((format(printf, 3, 4)))
report(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s: ", ok ? "PASS" : "FAIL", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return !ok;
}

static volatile uint64_t *word_at(void *base, size_t page, size_t word)
{
	return (volatile uint64_t *)((char *)base + page * pg) + word;
}

static void fill_page(void *base, size_t page, uint64_t seed,
		      unsigned int pass)
{
	size_t w;

	for (w = 0; w < words_per_page; w++)
		*word_at(base, page, w) = mem_pattern(seed, page, w, pass);
}

/* Words [w0, w1) of @page hold @pass's pattern? Mismatches (shown). */
static uint64_t check_words(void *base, size_t page, size_t w0, size_t w1,
			    uint64_t seed, unsigned int pass, const char *what)
{
	uint64_t bad = 0, want, got;
	size_t w;

	for (w = w0; w < w1; w++) {
		want = mem_pattern(seed, page, w, pass);
		got = *word_at(base, page, w);
		if (got == want)
			continue;
		if (shown++ < SHOW_MISMATCHES)
			printf("mismatch: %s: page %zu word %zu pass %u: expected 0x%016llx got 0x%016llx%s\n",
			       what, page, w, pass, (unsigned long long)want,
			       (unsigned long long)got,
			       !got ? " (zero: data lost?)" : "");
		bad++;
	}
	return bad;
}

static void fill_range(void *base, size_t first, size_t n, uint64_t seed,
		       unsigned int pass)
{
	size_t p;

	for (p = first; p < first + n; p++)
		fill_page(base, p, seed, pass);
}

static uint64_t verify_range(void *base, size_t first, size_t n,
			     uint64_t seed, unsigned int pass, const char *what)
{
	uint64_t bad = 0;
	size_t p;

	for (p = first; p < first + n; p++)
		bad += check_words(base, p, 0, words_per_page, seed, pass, what);
	return bad;
}

static int open_dev(const struct opts *o)
{
	return cli_open_dev(PROG, o->dev);
}

struct integ {
	size_t pages;
	uint64_t pages_written;
	uint64_t words_checked;
	uint64_t mismatches;
	uint64_t bad_pages;
	unsigned int passes;
	uint64_t elapsed_ms;
};

/* The integrity run over @pages pages at @base (see the header). */
static int integrity_run(void *base, size_t pages, enum mem_order order,
			 uint64_t seed, unsigned int passes, double seconds,
			 struct integ *r)
{
	size_t *idx = malloc(pages * sizeof(*idx)), i, p;
	uint64_t start = now_ms(), bad;
	unsigned int k;

	*r = (struct integ){ .pages = pages };
	if (!idx) {
		fprintf(stderr, PROG ": out of memory for %zu page indices\n",
			pages);
		return -1;
	}
	for (k = 0; k < passes || now_ms() - start < seconds * 1000; k++) {
		mem_order_fill(idx, pages, order, seed + k);
		for (i = 0; i < pages; i++) {
			p = idx[i];
			if (k) {
				bad = check_words(base, p, 0, 1, seed, k - 1,
						  "before overwrite") +
				      check_words(base, p, words_per_page - 1,
						  words_per_page, seed, k - 1,
						  "before overwrite");
				r->words_checked += 2;
				r->mismatches += bad;
				r->bad_pages += !!bad;
			}
			fill_page(base, p, seed, k);
			r->pages_written++;
		}
		for (i = 0; i < pages; i++) {
			bad = verify_range(base, idx[i], 1, seed, k, "read back");
			r->words_checked += words_per_page;
			r->mismatches += bad;
			r->bad_pages += !!bad;
		}
		r->passes = k + 1;
	}
	r->elapsed_ms = now_ms() - start;
	free(idx);
	return 0;
}

static void print_integ(const char *prefix, const struct integ *r,
			enum mem_order order)
{
	printf("%spages=%zu pages_written=%llu words_checked=%llu mismatches=%llu bad_pages=%llu passes=%u order=%s elapsed_ms=%llu\n",
	       prefix, r->pages, (unsigned long long)r->pages_written,
	       (unsigned long long)r->words_checked,
	       (unsigned long long)r->mismatches,
	       (unsigned long long)r->bad_pages, r->passes,
	       mem_order_names[order], (unsigned long long)r->elapsed_ms);
	fflush(stdout);
}

/* Open, map, run integrity, unmap, close; -1 if it could not run. */
static int integrity_fresh(const struct opts *o, uint64_t seed,
			   unsigned int passes, struct integ *r)
{
	int fd = open_dev(o), ret = -1;
	void *base;

	if (fd < 0)
		return -1;
	base = mem_map(PROG, fd, o->pages);
	if (base) {
		ret = integrity_run(base, o->pages, o->order, seed, passes,
				    o->seconds, r);
		munmap(base, o->pages * pg);
	}
	close(fd);
	return ret;
}

static int do_integrity(const struct opts *o)
{
	struct integ r;

	if (integrity_fresh(o, o->seed, o->passes, &r))
		return 1;
	print_integ("", &r, o->order);
	if (r.mismatches)
		fprintf(stderr, PROG ": integrity: %llu mismatching words in %llu pages\n",
			(unsigned long long)r.mismatches,
			(unsigned long long)r.bad_pages);
	return r.mismatches ? 1 : 0;
}

/* Wait for @pid; its status, or -1 (said). */
static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, PROG ": waitpid: %s\n", strerror(errno));
			return -1;
		}
	return status;
}

/* "exit N" / "signal N" of a wait status, for messages. */
static const char *status_str(int status)
{
	static char buf[48];

	if (status == -1)
		snprintf(buf, sizeof(buf), "not waited for");
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	return buf;
}

static void *shared_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, PROG ": mmap of shared memory: %s\n",
			strerror(errno));
		return NULL;
	}
	return p;
}

static int do_twoproc(const struct opts *o)
{
	struct integ *res = shared_anon(2 * sizeof(*res));
	struct mem_counters c0, c1;
	int ready[2], start[2], i, status[2], failed = 0;
	long long regions;
	pid_t pid[2];
	char c;

	if (!res || mem_counters_read(PROG, o->debugfs, &c0) ||
	    pipe(ready) || pipe(start)) {
		fprintf(stderr, PROG ": twoproc: cannot set up\n");
		return 1;
	}
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
			return 1;
		}
		if (!pid[i]) {
			int fd = open_dev(o);
			void *base = fd < 0 ? NULL : mem_map(PROG, fd, o->pages);

			close(start[1]);
			close(ready[0]);
			if (!base)
				_exit(3);
			/* Mapped: say so, then wait for the start (EOF). */
			if (write(ready[1], "r", 1) != 1)
				_exit(3);
			while (read(start[0], &c, 1) < 0 && errno == EINTR)
				;
			if (integrity_run(base, o->pages, o->order,
					  o->seed + 1 + i, o->passes, o->seconds,
					  &res[i]))
				_exit(3);
			fflush(stdout);		/* its mismatch lines */
			_exit(res[i].mismatches ? 1 : 0);
		}
	}
	close(ready[1]);
	close(start[0]);
	for (i = 0; i < 2; i++)
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, PROG ": twoproc: a process could not map its region\n");
			failed = 1;
		}
	if (mem_counters_read(PROG, o->debugfs, &c1))
		failed = 1;
	regions = mem_delta(&c0, &c1, "regions");
	close(start[1]);
	for (i = 0; i < 2; i++) {
		status[i] = wait_child(pid[i]);
		print_integ(i ? "proc=1 " : "proc=0 ", &res[i], o->order);
		if (status[i] != 0) {
			fprintf(stderr, PROG ": twoproc: process %d: %s\n", i,
				status_str(status[i]));
			failed = 1;
		}
	}
	printf("twoproc: regions_at_once=%lld mismatches=%llu\n", regions,
	       (unsigned long long)(res[0].mismatches + res[1].mismatches));
	if (regions != 2) {
		fprintf(stderr, PROG ": twoproc: the region count rose by %lld while both were mapped, not 2\n",
			regions);
		failed = 1;
	}
	return failed;
}

static int do_killchild(const struct opts *o)
{
	volatile uint64_t *touches = shared_anon(sizeof(*touches));
	struct mem_counters c0, c1;
	uint64_t t0, before, reap_ms = 0;
	int ready[2], status = -1, failed = 0, have_counters;
	struct integ r;
	pid_t pid, w;
	char c;

	if (!touches || pipe(ready))
		return 1;
	have_counters = !mem_counters_read(PROG, o->debugfs, &c0);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid) {
		int fd = open_dev(o);
		void *base = fd < 0 ? NULL : mem_map(PROG, fd, o->pages);
		uint64_t s = mem_mix(o->seed) | 1;
		size_t p;

		close(ready[0]);
		if (!base)
			_exit(3);
		for (;;) {
			p = mem_rand(&s) % o->pages;
			*word_at(base, p, 0) = mem_pattern(o->seed, p, 0, 0);
			if (++*touches == 64 && write(ready[1], "r", 1) != 1)
				_exit(3);
		}
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		status = wait_child(pid);
		fprintf(stderr, PROG ": killchild: the child never got going (%s)\n",
			status_str(status));
		return 1;
	}
	usleep(o->after_ms * 1000);
	before = *touches;
	if (kill(pid, SIGKILL)) {
		fprintf(stderr, PROG ": kill: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_ms();
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		reap_ms = now_ms() - t0;
		if (w == pid || (w < 0 && errno != EINTR) ||
		    reap_ms > o->bound_ms)
			break;
		usleep(1000);
	}
	if (w != pid) {
		printf("killchild: touches_before_kill=%llu reaped=no waited_ms=%llu\n",
		       (unsigned long long)before, (unsigned long long)reap_ms);
		fprintf(stderr, PROG ": killchild: SIGKILLed child %d not reaped within %u ms (an unkillable wait in the fault path?)\n",
			(int)pid, o->bound_ms);
		return 1;
	}
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		fprintf(stderr, PROG ": killchild: the child ended with %s, not SIGKILL\n",
			status_str(status));
		failed = 1;
	}
	if (integrity_fresh(o, o->seed + 1, 1, &r))
		return 1;
	if (have_counters && !mem_counters_read(PROG, o->debugfs, &c1))
		printf("killchild: counters: faults +%lld major +%lld killed +%lld\n",
		       mem_delta(&c0, &c1, "faults"), mem_delta(&c0, &c1, "major"),
		       mem_delta(&c0, &c1, "killed"));
	printf("killchild: touches_before_kill=%llu reaped=yes reap_ms=%llu signal=%d fresh_pages=%zu fresh_mismatches=%llu\n",
	       (unsigned long long)before, (unsigned long long)reap_ms,
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0, r.pages,
	       (unsigned long long)r.mismatches);
	if (before <= 64) {
		fprintf(stderr, PROG ": killchild: the child made no progress (%llu touches) before the kill\n",
			(unsigned long long)before);
		failed = 1;
	}
	if (r.mismatches) {
		fprintf(stderr, PROG ": killchild: a fresh region after the kill has %llu mismatching words\n",
			(unsigned long long)r.mismatches);
		failed = 1;
	}
	return failed;
}

/* Run @fn(@arg) in a child; the signal that ended it, or 0 if none. */
static int signal_of(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		return -1;
	}
	if (!pid) {
		fn(arg);
		_exit(0);
	}
	status = wait_child(pid);
	return status != -1 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void read_word(void *addr)
{
	(void)*(volatile uint64_t *)addr;
}

static void write_word(void *addr)
{
	*(volatile uint64_t *)addr = 0x5eedULL;
}

static int do_munmap_middle(const struct opts *o)
{
	size_t third = o->pages / 3, n = o->pages, hi = 2 * third;
	uint64_t kept, kept2, middle, outer;
	int fd = open_dev(o), sig, failed;
	char *base, *again;

	if (fd < 0)
		return 1;
	base = mem_map(PROG, fd, n);
	if (!base)
		return 1;
	fill_range(base, 0, n, o->seed, 0);
	if (munmap(base + third * pg, third * pg)) {
		fprintf(stderr, PROG ": munmap of the middle third: %s\n",
			strerror(errno));
		return 1;
	}
	/* First, while nothing can have been mapped into the hole. */
	sig = signal_of(read_word, base + third * pg);
	kept = verify_range(base, 0, third, o->seed, 0, "first third") +
	       verify_range(base, hi, n - hi, o->seed, 0, "last third");
	fill_range(base, 0, third, o->seed, 1);
	fill_range(base, hi, n - hi, o->seed, 1);
	kept2 = verify_range(base, 0, third, o->seed, 1, "first third") +
		verify_range(base, hi, n - hi, o->seed, 1, "last third");
	/* The region outlives the partial unmap: a new mapping sees it all. */
	again = mem_map(PROG, fd, n);
	if (!again)
		return 1;
	middle = verify_range(again, third, third, o->seed, 0, "middle, mapped again");
	outer = verify_range(again, 0, third, o->seed, 1, "first third, mapped again") +
		verify_range(again, hi, n - hi, o->seed, 1, "last third, mapped again");
	printf("munmap_middle: pages=%zu unmapped=%zu kept_mismatches=%llu kept_after_rewrite=%llu hole_signal=%d remap_middle_mismatches=%llu remap_outer_mismatches=%llu\n",
	       n, third, (unsigned long long)kept, (unsigned long long)kept2,
	       sig, (unsigned long long)middle, (unsigned long long)outer);
	failed = kept || kept2 || middle || outer || sig != SIGSEGV;
	if (sig != SIGSEGV)
		fprintf(stderr, PROG ": munmap-middle: reading the hole gave %s, not SIGSEGV\n",
			sig > 0 ? strsignal(sig) : "no signal");
	if (kept || kept2 || middle || outer)
		fprintf(stderr, PROG ": munmap-middle: mismatching words (see above)\n");
	munmap(base, third * pg);
	munmap(base + hi * pg, (n - hi) * pg);
	munmap(again, n * pg);
	close(fd);
	return failed;
}

/* Transfers in full (pipes take less at a time); bytes moved, or -1. */
static ssize_t xfer(int fd, void *buf, size_t len, int out)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = out ? write(fd, (char *)buf + done, len - done) :
			  read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, PROG ": %s: %s\n", out ? "write" : "read",
				strerror(errno));
			return -1;
		}
		if (!n)
			break;
		done += n;
	}
	return done;
}

/* What the paths checks share: the region and what it holds now. */
struct paths {
	char *base;
	size_t pages, len;
	uint64_t seed;
	unsigned int pass;	/* the region holds this pass's pattern */
	char *buf;		/* a private buffer as long as the region */
	const char *tmpdir;
	int to[2], from[2];	/* path_pipe's pipes */
};

/*
 * What the other process of a check does: @src must hold pass t->pass
 * (1 if not: mismatches shown), @dst then gets pass t->pass + 1.
 */
static int check_then_next(struct paths *t, void *src, void *dst,
			   const char *what)
{
	uint64_t bad = verify_range(src, 0, t->pages, t->seed, t->pass, what);

	fill_range(dst, 0, t->pages, t->seed, t->pass + 1);
	return bad ? 1 : 0;
}

/* @fn(@t) in a forked child, its result the exit status; pid or -1. */
static pid_t fork_helper(struct paths *t, int (*fn)(struct paths *))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
	else if (!pid) {
		int ret = fn(t);

		fflush(stdout);		/* its mismatch lines */
		_exit(ret);
	}
	return pid;
}

/*
 * The end of a check with another process (@pid): it must have exited 0
 * (it saw the data right and did its part), and the region must now hold
 * the next pass.
 */
static int after_helper(struct paths *t, const char *name, pid_t pid,
			const char *did)
{
	int status = pid < 0 ? -1 : wait_child(pid);
	uint64_t bad;

	if (status != 0)
		return report(name, 0, "the other process (%s) failed or saw wrong data: %s",
			      did, status_str(status));
	t->pass++;
	bad = verify_range(t->base, 0, t->pages, t->seed, t->pass, name);
	return report(name, !bad, "%s; the region then: %llu mismatches",
		      did, (unsigned long long)bad);
}

/* The region's next pass, written and read back: mismatches. */
static uint64_t next_pass(struct paths *t, const char *what)
{
	t->pass++;
	fill_range(t->base, 0, t->pages, t->seed, t->pass);
	return verify_range(t->base, 0, t->pages, t->seed, t->pass, what);
}

/* Reads the region's bytes from a pipe, checks them, sends the next pass. */
static int pipe_helper(struct paths *t)
{
	int bad;

	close(t->to[1]);
	close(t->from[0]);
	if (xfer(t->to[0], t->buf, t->len, 0) != (ssize_t)t->len)
		return 3;
	bad = check_then_next(t, t->buf, t->buf, "pipe reader");
	if (xfer(t->from[1], t->buf, t->len, 1) != (ssize_t)t->len)
		return 3;
	return bad;
}

static int path_pipe(struct paths *t)
{
	ssize_t out, in;
	pid_t pid;

	if (pipe(t->to) || pipe(t->from))
		return report("pipe", 0, "pipe: %s", strerror(errno));
	pid = fork_helper(t, pipe_helper);
	close(t->to[0]);
	close(t->from[1]);
	out = pid < 0 ? -1 : xfer(t->to[1], t->base, t->len, 1);
	close(t->to[1]);
	in = out < 0 ? -1 : xfer(t->from[0], t->base, t->len, 0);
	close(t->from[0]);
	if (out != (ssize_t)t->len || in != (ssize_t)t->len) {
		if (pid > 0)
			wait_child(pid);
		return report("pipe", 0, "write(pipe) from the region moved %zd, read(pipe) into it %zd of %zu bytes",
			      out, in, t->len);
	}
	return after_helper(t, "pipe", pid,
			    "write(pipe) of the region read right by another process, read(pipe) of the next pass into it");
}

static int path_file(struct paths *t)
{
	char path[512];
	uint64_t bad2;
	ssize_t n1, n2;
	int bad1;
	int fd;

	snprintf(path, sizeof(path), "%s/oae-mem-test.XXXXXX", t->tmpdir);
	fd = mkstemp(path);
	if (fd < 0)
		return report("file", 0, "mkstemp %s: %s", path, strerror(errno));
	unlink(path);
	n1 = xfer(fd, t->base, t->len, 1);
	memset(t->buf, 0, t->len);
	if (n1 != (ssize_t)t->len || pread(fd, t->buf, t->len, 0) != (ssize_t)t->len) {
		close(fd);
		return report("file", 0, "write(file) from the region: %zd of %zu bytes",
			      n1, t->len);
	}
	bad1 = check_then_next(t, t->buf, t->buf, "file written from the region");
	n2 = -1;
	if (pwrite(fd, t->buf, t->len, 0) == (ssize_t)t->len &&
	    lseek(fd, 0, SEEK_SET) == 0)
		n2 = xfer(fd, t->base, t->len, 0);
	close(fd);
	if (n2 != (ssize_t)t->len)
		return report("file", 0, "read(file) into the region: %zd of %zu bytes",
			      n2, t->len);
	t->pass++;
	bad2 = verify_range(t->base, 0, t->pages, t->seed, t->pass,
			    "after read(file)");
	return report("file", !bad1 && !bad2,
		      "write(file) from the region: the file %s; read(file) of the next pass into it: %llu mismatches",
		      bad1 ? "differs" : "holds it", (unsigned long long)bad2);
}

/* Reads the parent's region, checks it, writes the next pass into it. */
static int process_vm_helper(struct paths *t)
{
	struct iovec local = { t->buf, t->len }, remote = { t->base, t->len };
	pid_t parent = getppid();
	ssize_t n = process_vm_readv(parent, &local, 1, &remote, 1, 0);
	int bad;

	if (n != (ssize_t)t->len) {
		printf("process_vm_readv: %zd of %zu bytes: %s\n", n, t->len,
		       n < 0 ? strerror(errno) : "short");
		return 3;
	}
	bad = check_then_next(t, t->buf, t->buf, "process_vm_readv");
	n = process_vm_writev(parent, &local, 1, &remote, 1, 0);
	if (n != (ssize_t)t->len) {
		printf("process_vm_writev: %zd of %zu bytes: %s\n", n, t->len,
		       n < 0 ? strerror(errno) : "short");
		return 3;
	}
	return bad;
}

static int path_process_vm(struct paths *t)
{
	return after_helper(t, "process_vm", fork_helper(t, process_vm_helper),
			    "another process's process_vm_readv of the region, then process_vm_writev of the next pass");
}

/* A forked child sees the shared data and writes the next pass. */
static int fork_child(struct paths *t)
{
	return check_then_next(t, t->base, t->base, "forked child");
}

static int path_fork(struct paths *t)
{
	return after_helper(t, "fork", fork_helper(t, fork_child),
			    "a forked child checked the shared data and wrote the next pass");
}

static int path_mprotect(struct paths *t)
{
	uint64_t ro_bad, rw_bad;
	int sig;

	if (mprotect(t->base, t->len, PROT_READ))
		return report("mprotect", 0, "mprotect(PROT_READ): %s", strerror(errno));
	ro_bad = verify_range(t->base, 0, t->pages, t->seed, t->pass,
			      "read-only");
	sig = signal_of(write_word, t->base + (t->pages / 2) * pg);
	if (mprotect(t->base, t->len, PROT_READ | PROT_WRITE))
		return report("mprotect", 0, "mprotect(PROT_READ|PROT_WRITE): %s",
			      strerror(errno));
	rw_bad = next_pass(t, "read-write again");
	return report("mprotect", !ro_bad && !rw_bad && sig == SIGSEGV,
		      "PROT_READ: %llu mismatches, a write gave %s; RW again: %llu mismatches",
		      (unsigned long long)ro_bad,
		      sig > 0 ? strsignal(sig) : "no signal",
		      (unsigned long long)rw_bad);
}

static int path_madvise(struct paths *t)
{
	uint64_t kept, after;

	if (madvise(t->base, t->len, MADV_DONTNEED))
		return report("madvise", 0, "madvise(MADV_DONTNEED): %s",
			      strerror(errno));
	kept = verify_range(t->base, 0, t->pages, t->seed, t->pass,
			    "after MADV_DONTNEED");
	after = next_pass(t, "written after MADV_DONTNEED");
	return report("madvise", !kept && !after,
		      "MADV_DONTNEED kept the data (shared semantics): %llu mismatches; rewritten: %llu",
		      (unsigned long long)kept, (unsigned long long)after);
}

/*
 * vmsplice() takes references on the region's first pages with
 * get_user_pages() and the pipe keeps them until it is read. Traffic over
 * every other page pushes the whole fast tier out, so the held pages are
 * named as victims; they must not move. Then a store through the mapping
 * must land in the very pages the pipe holds: had one moved, the pipe
 * would still read its old contents.
 */
static int path_pinned(struct paths *t)
{
	enum { HELD = 4 };
	struct iovec iov = { .iov_base = t->base, .iov_len = HELD * pg };
	ssize_t spliced, got;
	uint64_t bad, rest_bad;
	int fds[2];

	if (t->pages <= 2 * HELD)
		return report("pinned", 0, "region of %zu pages is too small",
			      t->pages);
	if (pipe(fds))
		return report("pinned", 0, "pipe: %s", strerror(errno));
	spliced = vmsplice(fds[1], &iov, 1, 0);
	t->pass++;
	fill_range(t->base, HELD, t->pages - HELD, t->seed, t->pass);
	rest_bad = verify_range(t->base, HELD, t->pages - HELD, t->seed,
				t->pass, "pinned: the other pages");
	fill_range(t->base, 0, HELD, t->seed, t->pass);
	got = spliced == (ssize_t)(HELD * pg) ?
		xfer(fds[0], t->buf, HELD * pg, 0) : -1;
	close(fds[0]);
	close(fds[1]);
	bad = got == (ssize_t)(HELD * pg) ?
		verify_range(t->buf, 0, HELD, t->seed, t->pass,
			     "pinned: what the pipe holds") : 1;
	bad += verify_range(t->base, 0, HELD, t->seed, t->pass,
			    "pinned: the held pages");
	return report("pinned", !bad && !rest_bad,
		      "vmsplice() held %zd bytes through traffic over %zu pages; the pipe then read %zd bytes, %llu mismatches with the later stores; the rest %llu mismatches",
		      spliced, t->pages - HELD, got, (unsigned long long)bad,
		      (unsigned long long)rest_bad);
}

/* Last of the paths: it leaves the mapping moved and shorter. */
static int path_mremap(struct paths *t)
{
	int grow_errno = 0, sig;
	uint64_t grow_bad, moved_bad, shrunk_bad;
	size_t keep = t->pages - t->pages / 4;
	void *p, *spot, *old = t->base;

	p = mremap(t->base, t->len, t->len + pg, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		grow_errno = errno;
	else
		t->base = p;	/* wrongly grown: the check below fails */
	grow_bad = verify_range(t->base, 0, t->pages, t->seed, t->pass,
				"after the refused grow");
	spot = mmap(NULL, t->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED || spot == MAP_FAILED)
		return report("mremap", 0, "growing %s (want EFAULT)",
			      p != MAP_FAILED ? "succeeded" : "(no spot to move to)");
	p = mremap(t->base, t->len, t->len, MREMAP_MAYMOVE | MREMAP_FIXED, spot);
	if (p == MAP_FAILED)
		return report("mremap", 0, "moving: %s", strerror(errno));
	t->base = p;
	/* The old place is gone: nothing else is mapped there yet. */
	sig = signal_of(read_word, old);
	moved_bad = verify_range(t->base, 0, t->pages, t->seed, t->pass, "moved");
	p = mremap(t->base, t->len, keep * pg, 0);
	if (p == MAP_FAILED)
		return report("mremap", 0, "shrinking: %s", strerror(errno));
	t->len = keep * pg;
	t->pages = keep;
	shrunk_bad = next_pass(t, "shrunk");
	return report("mremap", grow_errno == EFAULT && !grow_bad && !moved_bad &&
		      !shrunk_bad && sig == SIGSEGV,
		      "grow: %s (want EFAULT), %llu mismatches after; move: %llu mismatches, old place %s; shrink to %zu pages: %llu mismatches",
		      grow_errno ? strerror(grow_errno) : "succeeded",
		      (unsigned long long)grow_bad, (unsigned long long)moved_bad,
		      sig == SIGSEGV ? "SIGSEGV" : "still readable", keep,
		      (unsigned long long)shrunk_bad);
}

static int do_paths(const struct opts *o)
{
	static int (*const checks[])(struct paths *) = {
		path_pipe, path_file, path_process_vm, path_fork,
		path_mprotect, path_madvise, path_pinned, path_mremap,
	};
	struct paths t = {
		.pages = o->pages, .len = o->pages * pg, .seed = o->seed,
		.tmpdir = o->tmpdir,
	};
	int fd = open_dev(o), failed = 0;
	size_t i;

	if (fd < 0)
		return 1;
	t.buf = malloc(t.len);
	t.base = mem_map(PROG, fd, t.pages);
	if (!t.buf || !t.base)
		return 1;
	fill_range(t.base, 0, t.pages, t.seed, t.pass);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		failed |= checks[i](&t);
	munmap(t.base, t.len);
	close(fd);
	free(t.buf);
	return failed;
}

/* The counters a refused call must leave alone. */
static const char *const untouched[] = {
	"regions", "pages_fast", "pages_slow", "pages_allocated",
};

/* Compare @a with now; 1 and a description in @why if any moved. */
static int counters_moved(const struct opts *o, const struct mem_counters *a,
			  char *why, size_t size)
{
	struct mem_counters b;
	size_t i, n = 0;
	int moved = 0;

	why[0] = 0;
	if (mem_counters_read(PROG, o->debugfs, &b)) {
		snprintf(why, size, "counters unreadable");
		return 1;
	}
	for (i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++) {
		long long d = mem_delta(a, &b, untouched[i]);

		if (mem_counter(&b, untouched[i]) < 0) {
			n += snprintf(why + n, size - n, " %s missing", untouched[i]);
			moved = 1;
		} else if (d) {
			n += snprintf(why + n, size - n, " %s %+lld", untouched[i], d);
			moved = 1;
		}
		if (n >= size)
			break;
	}
	return moved;
}

struct bad_map {
	const char *name;
	size_t pages;
	int prot;
	int flags;
	off_t offset;
	int want;
};

/* After a refused mmap the same file still makes a working region. */
static int still_usable(int fd)
{
	char *p = mem_map(PROG, fd, 2);
	uint64_t bad;

	if (!p)
		return 0;
	fill_range(p, 0, 2, 7, 0);
	bad = verify_range(p, 0, 2, 7, 0, "region after a refused mmap");
	munmap(p, 2 * pg);
	return !bad;
}

static int try_bad_map(const struct opts *o, const struct bad_map *m)
{
	struct mem_counters before;
	char why[256];
	int fd = open_dev(o), err = 0, moved, usable;
	void *p;

	if (fd < 0 || mem_counters_read(PROG, o->debugfs, &before))
		return report(m->name, 0, "cannot set up");
	p = mmap(NULL, m->pages * pg, m->prot, m->flags, fd, m->offset);
	if (p == MAP_FAILED)
		err = errno;
	else
		munmap(p, m->pages * pg);
	moved = counters_moved(o, &before, why, sizeof(why));
	usable = still_usable(fd);
	close(fd);
	return report(m->name, err == m->want && !moved && usable,
		      "%zu pages prot 0x%x flags 0x%x offset %lld: %s (want %s); counters %s%s; the file %s usable",
		      m->pages, m->prot, m->flags, (long long)m->offset,
		      err ? strerror(err) : "mapped", strerror(m->want),
		      moved ? "moved:" : "unchanged", why,
		      usable ? "stays" : "is no longer");
}

static int do_invalid(const struct opts *o)
{
	const int rw = PROT_READ | PROT_WRITE;
	struct bad_map maps[] = {
		{ "map_private", 4, rw, MAP_PRIVATE, 0, EINVAL },
		{ "offset_nonzero", 4, rw, MAP_SHARED, 0, EINVAL },
		{ "offset_unaligned", 4, rw, MAP_SHARED, 1, EINVAL },
		{ "length_zero", 0, rw, MAP_SHARED, 0, EINVAL },
		{ "length_over_max", 0, rw, MAP_SHARED, 0, EFBIG },
		{ "prot_exec", 4, rw | PROT_EXEC, MAP_SHARED, 0, EPERM },
	};
	struct mem_counters before;
	char knob[64], why[256], *base, *second;
	unsigned long long max;
	int failed = 0, fd, err, moved;
	uint64_t bad;
	size_t i;
	void *p;

	maps[1].offset = pg;
	if (mem_knob_read(o->sysfs, "mem_region_max_pages", knob, sizeof(knob)) ||
	    sscanf(knob, "%llu", &max) != 1)
		return report("length_over_max", 0, "%s/mem_region_max_pages unreadable: %s",
			      o->sysfs, strerror(errno));
	maps[4].pages = max + 1;
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		failed |= try_bad_map(o, &maps[i]);

	/* A region of 4 pages, then a longer and a shorter second mmap. */
	fd = open_dev(o);
	base = fd < 0 ? NULL : mem_map(PROG, fd, 4);
	if (!base)
		return report("second_mmap", 0, "cannot set up");
	/* Counted once the region's pages exist: the refusals add none. */
	fill_range(base, 0, 4, o->seed, 0);
	if (mem_counters_read(PROG, o->debugfs, &before))
		return report("second_mmap", 0, "cannot read the counters");
	p = mmap(NULL, 5 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	err = p == MAP_FAILED ? errno : 0;
	moved = counters_moved(o, &before, why, sizeof(why));
	failed |= report("second_mmap_larger", err == EINVAL && !moved,
			 "5 pages on a 4-page region: %s (want %s); counters %s%s",
			 err ? strerror(err) : "mapped", strerror(EINVAL),
			 moved ? "moved:" : "unchanged", why);
	second = mem_map(PROG, fd, 2);
	bad = second ? verify_range(second, 0, 2, o->seed, 0, "second mapping") : 1;
	moved = counters_moved(o, &before, why, sizeof(why));
	failed |= report("second_mmap_same_region", second && !bad && !moved,
			 "2 pages on the same file: %s, %llu mismatches with the first mapping; counters %s%s",
			 second ? "mapped" : "refused", (unsigned long long)bad,
			 moved ? "moved:" : "unchanged", why);
	err = mprotect(base, 4 * pg, PROT_READ | PROT_WRITE | PROT_EXEC) ? errno : 0;
	bad = verify_range(base, 0, 4, o->seed, 0, "after mprotect(PROT_EXEC)");
	moved = counters_moved(o, &before, why, sizeof(why));
	failed |= report("mprotect_exec", err == EACCES && !bad && !moved,
			 "mprotect(PROT_EXEC): %s (want %s), %llu mismatches after; counters %s%s",
			 err ? strerror(err) : "allowed", strerror(EACCES),
			 (unsigned long long)bad, moved ? "moved:" : "unchanged", why);
	if (second)
		munmap(second, 2 * pg);
	munmap(base, 4 * pg);
	close(fd);
	return failed;
}

/* knob NAME GOOD BAD...: see the header. */
static int do_knob(const struct opts *o, int argc, char **argv)
{
	const char *name = argv[0], *good = argv[1];
	char got[256], what[300];
	int failed = 0, i, err;

	if (mem_knob_write(o->sysfs, name, good) ||
	    mem_knob_read(o->sysfs, name, got, sizeof(got)))
		return report(name, 0, "valid '%s' refused: %s", good,
			      strerror(errno));
	if (report(name, !strcmp(got, good), "valid '%s' accepted, reads '%s'",
		   good, got))
		return 1;
	for (i = 2; i < argc; i++) {
		err = mem_knob_write(o->sysfs, name, argv[i]) ? errno : 0;
		if (mem_knob_read(o->sysfs, name, got, sizeof(got)))
			snprintf(got, sizeof(got), "(unreadable: %s)", strerror(errno));
		snprintf(what, sizeof(what), "%s '%s'", name, argv[i]);
		failed |= report(what, err == EINVAL && !strcmp(got, good),
				 "%s (want %s), reads '%s' (want '%s')",
				 err ? strerror(err) : "accepted", strerror(EINVAL),
				 got, good);
	}
	return failed;
}

static enum mem_order parse_order(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(mem_order_names) / sizeof(mem_order_names[0]); i++)
		if (!strcmp(s, mem_order_names[i]))
			return i;
	bad_usage("--order: '%s' is not seq, rev or random", s);
}

static unsigned long long parse_range(const char *opt, const char *s,
				      unsigned long long min,
				      unsigned long long max)
{
	unsigned long long v = cli_num(PROG, opt, s);

	if (v < min || v > max)
		bad_usage("--%s: %llu is not from %llu to %llu", opt, v, min, max);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "sysfs", required_argument, NULL, 'S' },
		{ "debugfs", required_argument, NULL, 'D' },
		{ "tmpdir", required_argument, NULL, 'T' },
		{ "pages", required_argument, NULL, 'p' },
		{ "order", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "passes", required_argument, NULL, 'k' },
		{ "seconds", required_argument, NULL, 't' },
		{ "after-ms", required_argument, NULL, 'a' },
		{ "bound-ms", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const modes[] = {
		"integrity", "twoproc", "killchild", "munmap-middle", "paths",
		"invalid", "knob",
	};
	struct opts o = {
		.dev = MEM_DEV_DEFAULT, .sysfs = MEM_SYSFS_DEFAULT,
		.debugfs = MEM_DEBUGFS_DEFAULT, .tmpdir = "/tmp",
		.order = ORDER_RANDOM, .seed = 1, .passes = 1,
		.after_ms = 500, .bound_ms = 5000,
	};
	const char *mode;
	int c, have_order = 0;
	size_t m;

	pg = mem_page_size();
	words_per_page = pg / sizeof(uint64_t);
	if (argc < 2)
		bad_usage("a mode is required: integrity, twoproc, killchild, munmap-middle, paths, invalid or knob");
	mode = argv[1];
	if (!strcmp(mode, "-h") || !strcmp(mode, "--help")) {
		usage(stdout);
		return 0;
	}
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		if (!strcmp(mode, modes[m]))
			break;
	if (m == sizeof(modes) / sizeof(modes[0]))
		bad_usage("unknown mode '%s'", mode);

	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dev = optarg; break;
		case 'S': o.sysfs = optarg; break;
		case 'D': o.debugfs = optarg; break;
		case 'T': o.tmpdir = optarg; break;
		case 'p':
			o.pages = parse_range("pages", optarg, 1, MAX_PAGES);
			break;
		case 'o':
			o.order = parse_order(optarg);
			have_order = 1;
			break;
		case 's': o.seed = cli_num(PROG, "seed", optarg); break;
		case 'k':
			o.passes = parse_range("passes", optarg, 1, MAX_PASSES);
			break;
		case 't':
			o.seconds = parse_range("seconds", optarg, 0, 86400);
			break;
		case 'a':
			o.after_ms = parse_range("after-ms", optarg, 0, 600000);
			break;
		case 'b':
			o.bound_ms = parse_range("bound-ms", optarg, 1, 600000);
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
	if (!strcmp(mode, "knob")) {
		if (argc - optind < 3)
			bad_usage("knob: NAME GOOD and at least one BAD value are required");
		return do_knob(&o, argc - optind, argv + optind);
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (!strcmp(mode, "invalid"))
		return do_invalid(&o);
	if (!o.pages)
		bad_usage("%s: --pages N is required", mode);
	if (!strcmp(mode, "integrity")) {
		if (!have_order)
			bad_usage("integrity: --order seq|rev|random is required");
		return do_integrity(&o);
	}
	if (!strcmp(mode, "twoproc"))
		return do_twoproc(&o);
	if (!strcmp(mode, "killchild"))
		return do_killchild(&o);
	if (o.pages < 3)
		bad_usage("%s: --pages must be at least 3", mode);
	if (!strcmp(mode, "munmap-middle"))
		return do_munmap_middle(&o);
	return do_paths(&o);
}
