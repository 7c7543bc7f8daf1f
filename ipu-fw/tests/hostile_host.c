// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * hostile-host: play a malicious or broken host against a running IPU side
 * (the firmware under QEMU, or ipu-sim) through the shared window file.
 * Every malformed input must be refused and counted in the header's status
 * line, and the IPU must go on serving: a well-formed swap afterwards is
 * answered and the heartbeat keeps moving.
 *
 *   hostile-host SHM_FILE
 *
 * Prints one "ok - ..." or "not ok - ..." line per check (the caller
 * numbers them) and exits 0 only if every check held; 2 on usage or a
 * window it cannot use.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

#define WAIT_S	10

static unsigned char *win;
static struct oae_geometry geo;
static struct oae_ipu_hdr *hdr;
static struct oae_host_hdr *hh;
static struct oae_link_host *tx;
static struct oae_link_ipu *rx;
static int failures;

static void check(int ok, const char *what)
{
	printf("%s - hostile host: %s\n", ok ? "ok" : "not ok", what);
	failures += !ok;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until *word (acquire) reaches @value; 0 when it did. */
static int wait_u64(const oae_le64 *word, oae_u64 value)
{
	double end = now_s() + WAIT_S;

	while (oae_ld64_acquire(word) < value)
		if (now_s() > end)
			return -1;
		else
			usleep(1000);
	return 0;
}

/* Publish offer @seq on link 0 with the given fields, digest as given. */
static void offer_raw(oae_u64 seq, oae_u32 op, oae_u64 watermark,
		      oae_u64 digest)
{
	unsigned int i;

	oae_st32(&tx->op, op);
	oae_st32(&tx->flags, 0);
	oae_st64(&tx->watermark, watermark);
	for (i = 0; i < OAE_OFFER_WORDS; i++)
		oae_st64(&tx->payload[i], 0);
	oae_st64(&tx->digest, digest);
	oae_st64_release(&tx->offer_seq, seq);
}

/* The same with the digest a correct host would write in @epoch. */
static void offer_signed(oae_u64 epoch, oae_u64 seq, oae_u32 op,
			 oae_u64 watermark)
{
	oae_u64 payload[OAE_OFFER_WORDS] = { 0 };

	offer_raw(seq, op, watermark,
		  oae_offer_digest(epoch, 0, seq, op, 0, watermark, payload));
}

/* The answer to @seq came back REFUSED; withdraw it so the link moves on. */
static int refused(oae_u64 seq)
{
	int ok = !wait_u64(&rx->answer_seq, seq) &&
		 oae_ld64(&rx->answer_seq) == seq &&
		 oae_ld32(&rx->status) == OAE_ANSWER_REFUSED;

	oae_st64_release(&tx->outcome_word,
			 oae_outcome_word(seq, 0, OAE_ABORT_BAD_ANSWER));
	return ok;
}

/* Request @epoch asking for @policy and @slice; 0 once it is acked. */
static int request_sched(oae_u64 epoch, oae_u64 nonce, oae_u64 head,
			 oae_u64 policy, oae_u64 slice)
{
	double end = now_s() + WAIT_S;
	oae_u64 boot_id;

	oae_st64(&hh->sched_policy, policy);
	oae_st64(&hh->sched_slice_ns, slice);
	oae_host_request_epoch(hh, epoch, nonce, 1, head);
	while (!oae_host_epoch_acked(hdr, epoch, nonce, &boot_id))
		if (now_s() > end)
			return -1;
		else
			usleep(1000);
	return 0;
}

static void *map_window(const char *path, oae_u64 *size)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDWR);

	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "hostile-host: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	*size = st.st_size;
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "hostile-host: mmap %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return p;
}

int main(int argc, char **argv)
{
	oae_u64 size, epoch, seq, head, errs, hb, own_policy, own_slice;
	struct oae_host_link hl;
	struct oae_answer a;
	struct oae_offer good = { .op = OAE_OP_ECHO, .payload = { 42 } };
	struct oae_event *e;
	enum oae_hdr_error herr;

	if (argc != 2) {
		fprintf(stderr, "usage: hostile-host SHM_FILE\n");
		return 2;
	}
	win = map_window(argv[1], &size);
	if (!win)
		return 2;
	hdr = (struct oae_ipu_hdr *)win;
	herr = oae_geometry_read(hdr, size, &geo);
	if (herr) {
		fprintf(stderr, "hostile-host: window unusable: %s\n",
			oae_hdr_strerror(herr));
		return 2;
	}
	hh = (struct oae_host_hdr *)(win + geo.host_hdr_offset);
	tx = (struct oae_link_host *)(win + geo.host_links_offset);
	rx = (struct oae_link_ipu *)(win + geo.ipu_links_offset);

	/*
	 * Attach like the driver: a new epoch, link 0, acknowledged. Skip one
	 * number so that a request for epoch - 1 below is older, not zero.
	 */
	epoch = oae_ld64(&hdr->ipu_epoch) + 2;
	seq = oae_ld64(&tx->offer_seq);
	head = oae_ld64(&hdr->ring_consumed);
	oae_host_link_init(&hl, tx, rx, 0, epoch, seq);
	oae_host_request_epoch(hh, epoch, 0x6e6f6e6365ULL, 1, head);
	if (wait_u64(&hdr->ipu_epoch, epoch)) {
		check(0, "IPU acknowledges the attach");
		return 1;
	}
	oae_host_set_state(hh, OAE_HOST_ATTACHED);

	errs = oae_ld64(&hdr->err_bad_offer);
	offer_raw(++seq, OAE_OP_ECHO, head, 0x0badd1ce57ULL);
	check(refused(seq), "offer with a forged digest is answered REFUSED");
	offer_signed(epoch, ++seq, 0x7fffffff, head);
	check(refused(seq), "offer with an unknown op is answered REFUSED");
	offer_signed(epoch, ++seq, OAE_OP_ECHO, head + geo.ring_entries + 1);
	check(refused(seq), "offer whose watermark is beyond what the ring can hold is answered REFUSED");
	check(!wait_u64(&hdr->err_bad_offer, errs + 3),
	      "the three bad offers are counted in err_bad_offer");

	/* A ring entry that does not carry its digest. */
	errs = oae_ld64(&hdr->err_bad_event);
	e = (struct oae_event *)(win + geo.ring_offset) +
	    (head & (geo.ring_entries - 1));
	oae_st32(&e->type, OAE_EV_TEST);
	oae_st64(&e->digest, 1);
	oae_st64_release(&e->seq, ++head);
	/* The consumer looks at the ring when it serves an offer. */
	offer_signed(epoch, ++seq, OAE_OP_ECHO, head);
	wait_u64(&rx->answer_seq, seq);
	oae_st64_release(&tx->outcome_word, oae_outcome_word(seq, 0, OAE_ABORT_WITHDRAWN));
	check(!wait_u64(&hdr->err_bad_event, errs + 1),
	      "a ring entry with a bad digest is counted in err_bad_event");

	/* An outcome for a swap that was never offered. */
	errs = oae_ld64(&hdr->err_bad_outcome);
	oae_st64_release(&tx->outcome_word, oae_outcome_word(seq + 5, 1, 0));
	offer_signed(epoch, ++seq, OAE_OP_ECHO, head);
	check(!wait_u64(&hdr->err_bad_outcome, errs + 1),
	      "an outcome for a swap never offered is counted in err_bad_outcome");
	seq += 5;	/* the outcome already covers these numbers */

	/* An epoch going backwards. */
	errs = oae_ld64(&hdr->err_bad_epoch);
	oae_host_request_epoch(hh, epoch - 1, 0x6f6c64ULL, 1, head);
	check(!wait_u64(&hdr->err_bad_epoch, errs + 1) &&
	      oae_ld64(&hdr->ipu_epoch) == epoch,
	      "a request for an older epoch is refused and counted in err_bad_epoch");

	/*
	 * Scheduling words out of range in an epoch request: each counted,
	 * the epoch served with the IPU's own choice (what it published for
	 * the first epoch, whose request asked for nothing).
	 */
	own_policy = oae_ld64(&hdr->ipu_sched_policy);
	own_slice = oae_ld64(&hdr->ipu_sched_slice_ns);
	errs = oae_ld64(&hdr->err_bad_epoch);
	epoch++;
	check(!request_sched(epoch, 0x73636864ULL, head, 0xbadULL, 1) &&
	      oae_ld64(&hdr->err_bad_epoch) == errs + 2 &&
	      oae_ld64(&hdr->ipu_sched_policy) == own_policy &&
	      oae_ld64(&hdr->ipu_sched_slice_ns) == own_slice,
	      "a sched_policy and sched_slice_ns out of range are counted in err_bad_epoch, the IPU's own choice served");
	/* A good request is served and published as asked. */
	epoch++;
	check(!request_sched(epoch, 0x6669666fULL, head, OAE_SCHED_POLICY_FIFO,
			     2000000) &&
	      oae_ld64(&hdr->err_bad_epoch) == errs + 2 &&
	      oae_ld64(&hdr->ipu_sched_policy) == OAE_SCHED_POLICY_FIFO &&
	      oae_ld64(&hdr->ipu_sched_slice_ns) == 2000000,
	      "an epoch asking for fifo with a 2 ms slice serves them and says so");
	oae_st64(&hh->sched_policy, 0);
	oae_st64(&hh->sched_slice_ns, 0);

	/* Still serving: a fresh epoch and a well-formed swap commit. */
	epoch++;
	oae_host_link_init(&hl, tx, rx, 0, epoch, seq);
	oae_host_request_epoch(hh, epoch, 0x6e6577ULL, 1, head);
	if (!wait_u64(&hdr->ipu_epoch, epoch)) {
		double end = now_s() + WAIT_S;
		enum oae_poll p, q;

		oae_host_set_state(hh, OAE_HOST_ATTACHED);
		oae_host_offer(&hl, &good, head);
		while ((p = oae_host_poll(&hl, &a)) == OAE_POLL_PENDING &&
		       now_s() < end)
			usleep(100);
		check(p == OAE_POLL_ANSWERED && a.status == OAE_ANSWER_OK,
		      "afterwards a well-formed swap is answered and reflects its offer");
		oae_host_settle(&hl, p == OAE_POLL_ANSWERED, OAE_ABORT_BAD_ANSWER);
		/*
		 * Aborts: the scheduler's NOT_QUEUED is a reason like any
		 * other, one past OAE_ABORT_REASON_MAX is counted.
		 */
		errs = oae_ld64(&hdr->err_bad_outcome);
		oae_host_offer(&hl, &good, head);
		end = now_s() + WAIT_S;
		while ((p = oae_host_poll(&hl, &a)) == OAE_POLL_PENDING &&
		       now_s() < end)
			usleep(100);
		oae_host_settle(&hl, 0, OAE_ABORT_NOT_QUEUED);
		oae_host_offer(&hl, &good, head);
		end = now_s() + WAIT_S;
		while ((q = oae_host_poll(&hl, &a)) == OAE_POLL_PENDING &&
		       now_s() < end)
			usleep(100);
		oae_host_settle(&hl, 0, OAE_ABORT_REASON_MAX + 1);
		check(p == OAE_POLL_ANSWERED && q == OAE_POLL_ANSWERED &&
		      !wait_u64(&hdr->err_bad_outcome, errs + 1) &&
		      oae_ld64(&hdr->err_bad_outcome) == errs + 1,
		      "an abort for NOT_QUEUED is well formed, one with a reason past OAE_ABORT_REASON_MAX is counted in err_bad_outcome");
	} else {
		check(0, "afterwards a well-formed swap is answered and reflects its offer");
		check(0, "an abort for NOT_QUEUED is well formed, one with a reason past OAE_ABORT_REASON_MAX is counted in err_bad_outcome");
	}
	hb = oae_ld64(&hdr->ipu_heartbeat);
	usleep(200000);
	check(oae_ld64(&hdr->ipu_heartbeat) > hb &&
	      oae_ld64_acquire(&hdr->ipu_state) == OAE_IPU_READY,
	      "the IPU is READY and its heartbeat still moves");
	oae_host_set_state(hh, OAE_HOST_DETACHED);
	return failures ? 1 : 0;
}
