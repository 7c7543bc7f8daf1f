/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the memory test tool (selftests/mem/oae_mem_test.c) and the memory
 * benchmark (tools/bench/bench_mem.c) share: the per-word test pattern,
 * access orders, the device's debugfs counters and its sysfs knobs
 * (Documentation/testing/guide.rst, the mem suite).
 *
 * Counters: /sys/kernel/debug/oae/oaeN/mem, lines "key value".
 * Knobs:    /sys/class/oae/oaeN/mem_*, one value each.
 */
#ifndef _OAE_SELFTESTS_MEM_UTIL_H
#define _OAE_SELFTESTS_MEM_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM_DEV_DEFAULT		"/dev/oae_mem0"
#define MEM_SYSFS_DEFAULT	"/sys/class/oae/oae0"
#define MEM_DEBUGFS_DEFAULT	"/sys/kernel/debug/oae/oae0/mem"
#define MEM_COUNTERS_MAX	64

enum mem_order { ORDER_SEQ, ORDER_REV, ORDER_RANDOM };

static const char *const mem_order_names[] = {
	[ORDER_SEQ] = "seq", [ORDER_REV] = "rev", [ORDER_RANDOM] = "random",
};

static inline size_t mem_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* splitmix64's finaliser: a bijection, so distinct inputs stay distinct. */
static inline uint64_t mem_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * The word expected at (page, word) after pass @pass of a run seeded
 * @seed: distinct for every page (< 2^31), word (< 2^9) and pass (< 2^12)
 * of one seed, never the zero an absent page reads as.
 */
static inline uint64_t mem_pattern(uint64_t seed, uint64_t page,
				   uint64_t word, uint64_t pass)
{
	uint64_t v = mem_mix((seed << 52 ^ pass << 40 ^ page << 9 ^ word) +
			     mem_mix(seed));

	return v ? v : 1;
}

/* xorshift64*: the random order's generator (never seeded with 0). */
static inline uint64_t mem_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* Page indices 0..@n-1 in @order into @idx (a permutation for random). */
static inline void mem_order_fill(size_t *idx, size_t n, enum mem_order order,
				  uint64_t seed)
{
	uint64_t s = mem_mix(seed) | 1;
	size_t i, j, t;

	for (i = 0; i < n; i++)
		idx[i] = order == ORDER_REV ? n - 1 - i : i;
	if (order != ORDER_RANDOM)
		return;
	for (i = n - 1; i > 0 && n > 1; i--) {
		j = mem_rand(&s) % (i + 1);
		t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

/* A region of @pages pages of @fd, read-write and shared; NULL if not. */
static inline void *mem_map(const char *prog, int fd, size_t pages)
{
	void *p = mmap(NULL, pages * mem_page_size(), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "%s: mmap of %zu pages: %s\n", prog, pages,
			strerror(errno));
		return NULL;
	}
	return p;
}

struct mem_counters {
	unsigned int n;
	char key[MEM_COUNTERS_MAX][40];
	long long val[MEM_COUNTERS_MAX];
};

/* Every "key value" line of @path; 0, or -1 with a message. */
static inline int mem_counters_read(const char *prog, const char *path,
				    struct mem_counters *c)
{
	char line[128], key[40];
	long long v;
	FILE *f = fopen(path, "r");

	c->n = 0;
	if (!f) {
		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(errno),
			errno == ENOENT ?
			" (debugfs mounted? oae_ipu.ko with the memory device loaded?)" :
			"");
		return -1;
	}
	while (fgets(line, sizeof(line), f) && c->n < MEM_COUNTERS_MAX)
		if (sscanf(line, "%39s %lld", key, &v) == 2) {
			strcpy(c->key[c->n], key);
			c->val[c->n++] = v;
		}
	fclose(f);
	if (!c->n) {
		fprintf(stderr, "%s: %s: no \"key value\" lines\n", prog, path);
		return -1;
	}
	return 0;
}

/* One counter; -1 if @c has no such key. */
static inline long long mem_counter(const struct mem_counters *c,
				    const char *key)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->key[i], key))
			return c->val[i];
	return -1;
}

/* @b's counter minus @a's (0 when either lacks it). */
static inline long long mem_delta(const struct mem_counters *a,
				  const struct mem_counters *b, const char *key)
{
	long long x = mem_counter(a, key), y = mem_counter(b, key);

	return x < 0 || y < 0 ? 0 : y - x;
}

/* sysfs knob @dir/@name into @buf, newline cut; 0, or -1 with errno. */
static inline int mem_knob_read(const char *dir, const char *name, char *buf,
				size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* Write "@value\n" to @dir/@name as echo does; 0, or -1 with errno. */
static inline int mem_knob_write(const char *dir, const char *name,
				 const char *value)
{
	char path[512], buf[256];
	int fd, len, err;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	len = snprintf(buf, sizeof(buf), "%s\n", value);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	err = n < 0 ? errno : EIO;	/* a short write is no success */
	close(fd);
	errno = err;
	return n == len ? 0 : -1;
}

#endif
