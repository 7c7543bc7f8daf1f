// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * link-check: play a well-behaved host against a running IPU side (the
 * firmware under QEMU) through the shared window file, for the boot tests
 * that run many cores or park one:
 *   - the IPU acknowledges a new epoch (a parked core must not block it);
 *   - every link answers an echo swap, whichever core now serves it;
 *   - once idle, no core takes a shared lock while every live core's
 *     heartbeat advances (the status lines' lock counters);
 *   - with --parked N, core N never polled and the links it was dealt
 *     were taken over by live cores.
 *
 *   link-check SHM_FILE [--parked N]
 *
 * Prints one "ok - ..." or "not ok - ..." line per check (the caller
 * numbers them; always LINK_CHECKS lines) and exits 0 only if all held.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ipu_core.h"

#define WAIT_S		30
#define LINK_CHECK_NONCE	0x6c696e6b636b0001ULL

static unsigned char *win;
static struct oae_geometry geo;
static int failures;

static void check(int ok, const char *what, const char *detail)
{
	printf("%s - link check: %s\n", ok ? "ok" : "not ok", what);
	if (detail && *detail)
		printf("# %s\n", detail);
	failures += !ok;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct oae_core_status *status(unsigned int core)
{
	return (struct oae_core_status *)(win + geo.status_offset) + core;
}

int main(int argc, char **argv)
{
	struct oae_host_link hl[OAE_MAX_LINKS];
	oae_u64 taken[OAE_MAX_IPU_CORES], hb[OAE_MAX_IPU_CORES];
	struct oae_ipu_hdr *hdr;
	struct oae_host_hdr *hh;
	char detail[2048];
	unsigned int l, c, answered = 0, parked = 0, n;
	oae_u64 epoch, boot_id, over = 0;
	double start, end;
	int fd, idle_ok = 1;
	struct stat st;

	if (argc == 4 && !strcmp(argv[2], "--parked"))
		parked = atoi(argv[3]);
	else if (argc != 2) {
		fprintf(stderr, "usage: link-check SHM_FILE [--parked N]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		return 2;
	win = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (win == MAP_FAILED)
		return 2;
	hdr = (struct oae_ipu_hdr *)win;
	if (oae_geometry_read(hdr, st.st_size, &geo))
		return 2;
	hh = (struct oae_host_hdr *)(win + geo.host_hdr_offset);

	/* Attach like the driver, every link. */
	epoch = oae_ld64(&hdr->ipu_epoch) + 1;
	for (l = 0; l < geo.nr_links; l++)
		oae_host_link_init(&hl[l],
				   (void *)(win + geo.host_links_offset +
					    (oae_u64)l * geo.link_stride),
				   (void *)(win + geo.ipu_links_offset +
					    (oae_u64)l * geo.link_stride),
				   l, epoch, 0);
	oae_host_request_epoch(hh, epoch, LINK_CHECK_NONCE, geo.links_per_class,
			       oae_ld64(&hdr->ring_consumed));
	start = now_s();
	end = start + WAIT_S;
	while (!oae_host_epoch_acked(hdr, epoch, LINK_CHECK_NONCE, &boot_id) &&
	       now_s() < end)
		usleep(1000);
	snprintf(detail, sizeof(detail), "acked after %.2f s",
		 now_s() - start);
	check(oae_host_epoch_acked(hdr, epoch, LINK_CHECK_NONCE, &boot_id),
	      "the IPU acknowledges a new epoch",
	      detail);
	oae_host_set_state(hh, OAE_HOST_ATTACHED);

	for (l = 0; l < geo.nr_links; l++) {
		struct oae_offer o = { .op = OAE_OP_ECHO, .payload = { l } };
		struct oae_answer a;
		enum oae_poll p;

		oae_host_offer(&hl[l], &o, 0);
		end = now_s() + WAIT_S;
		while ((p = oae_host_poll(&hl[l], &a)) == OAE_POLL_PENDING &&
		       now_s() < end)
			usleep(100);
		if (p == OAE_POLL_ANSWERED && a.word[0] == (l ^ OAE_ECHO_XOR))
			answered++;
		oae_host_settle(&hl[l], p == OAE_POLL_ANSWERED,
				OAE_ABORT_BAD_ANSWER);
	}
	snprintf(detail, sizeof(detail), "%u of %u links answered",
		 answered, geo.nr_links);
	check(answered == geo.nr_links, "every link answers an echo swap",
	      detail);

	/* Let the outcomes settle, then watch an idle second. */
	usleep(500000);
	for (c = 0; c < geo.nr_cores; c++) {
		taken[c] = oae_ld64(&status(c)->reserved[OAE_CORE_STATUS_LOCKS_TAKEN]);
		hb[c] = oae_ld64(&status(c)->heartbeat);
	}
	sleep(1);
	n = snprintf(detail, sizeof(detail), "core:locks taken/heartbeats in 1 s:");
	for (c = 0; c < geo.nr_cores; c++) {
		oae_u64 t = oae_ld64(&status(c)->reserved[OAE_CORE_STATUS_LOCKS_TAKEN]);
		oae_u64 h = oae_ld64(&status(c)->heartbeat);

		if (t != taken[c] || (c != parked && h <= hb[c]))
			idle_ok = 0;
		if (n < sizeof(detail))
			n += snprintf(detail + n, sizeof(detail) - n,
				      " %u:%llu/%llu", c,
				      (unsigned long long)t,
				      (unsigned long long)(h - hb[c]));
	}
	check(idle_ok, "idle: no core takes a shared lock while live heartbeats advance",
	      detail);

	if (parked) {
		for (c = 0; c < geo.nr_cores; c++)
			over += oae_ld64(&status(c)->reserved[OAE_CORE_STATUS_LINKS_TAKEN_OVER]);
		for (l = 0, n = 0; l < geo.nr_links; l++)
			n += oae_link_core(l, geo.nr_cores) == parked;
		snprintf(detail, sizeof(detail),
			 "parked core %u: heartbeat %llu, links it was dealt %u, links taken over %llu",
			 parked, (unsigned long long)oae_ld64(&status(parked)->heartbeat),
			 n, (unsigned long long)over);
		check(!oae_ld64(&status(parked)->heartbeat) && over == n,
		      "the parked core never polled; live cores took its links",
		      detail);
	}
	oae_host_set_state(hh, OAE_HOST_DETACHED);
	return failures ? 1 : 0;
}
