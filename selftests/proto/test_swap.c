// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the shared protocol core and the IPU runtime, both ends in
 * one process on an in-memory window: the host side is driven step by
 * step through the same functions oae_ipu.ko calls, the IPU side is the
 * runtime the firmware and ipu-sim run, with the echo test policy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "echo.h"
#include "ipu_core.h"

#define WIN_SIZE	(1 << 20)
#define LINKS		2

struct rig {
	void *win;
	struct oae_ipu ipu;
	struct oae_ipu_policy pol;
	struct oae_echo_state echo;
	struct oae_geometry geo;
	struct oae_host_hdr *hh;
	struct oae_host_link hl[LINKS];
	struct oae_ring_producer ring;
	oae_u64 epoch;
	oae_u64 nonce;
	oae_u64 boot_id;		/* of the IPU that acked */
};

static struct oae_link_host *rig_host_link(struct rig *r, int i)
{
	return oae_geo_host_link(r->win, &r->geo, i);
}

static struct oae_link_ipu *rig_ipu_link(struct rig *r, int i)
{
	return oae_geo_ipu_link(r->win, &r->geo, i);
}

static void ipu_poll(struct rig *r)
{
	oae_ipu_poll(&r->ipu, 0);
}

/* What the host engine does on attach: reset its halves, new epoch, ack. */
static void rig_attach(struct rig *r, oae_u64 epoch)
{
	int i, n;

	r->epoch = epoch;
	for (i = 0; i < LINKS; i++)
		oae_host_link_init(&r->hl[i], rig_host_link(r, i),
				   rig_ipu_link(r, i), i, epoch, r->hl[i].seq);
	oae_ring_producer_init(&r->ring,
			       (void *)((char *)r->win + r->geo.ring_offset),
			       r->geo.ring_entries, &r->ipu.hdr->ring_consumed,
			       epoch, r->ring.head);
	r->nonce = oae_digest_add(r->nonce, epoch);
	oae_host_request_epoch(r->hh, epoch, r->nonce, LINKS, r->ring.head);
	for (n = 0; n < 10 && !oae_host_epoch_acked(r->ipu.hdr, epoch, r->nonce,
						    &r->boot_id); n++)
		ipu_poll(r);
	assert_true(oae_host_epoch_acked(r->ipu.hdr, epoch, r->nonce,
					 &r->boot_id));
	oae_host_set_state(r->hh, OAE_HOST_ATTACHED);
}

static int rig_setup(void **state)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct oae_ipu_config cfg = {
		.window_size = WIN_SIZE, .nr_links = LINKS, .nr_cores = 1,
		.ring_entries = 64, .boot_id = 0x1234,
	};

	assert_non_null(r);
	r->win = aligned_alloc(4096, WIN_SIZE);
	assert_non_null(r->win);
	memset(r->win, 0, WIN_SIZE);
	oae_echo_policy_init(&r->pol, &r->echo);
	cfg.policy[OAE_ROLE_TEST] = &r->pol;
	assert_int_equal(oae_ipu_init(&r->ipu, r->win, &cfg), OAE_HDR_OK);
	oae_ipu_start(&r->ipu);
	assert_int_equal(oae_geometry_read(r->win, WIN_SIZE, &r->geo), OAE_HDR_OK);
	r->hh = (void *)((char *)r->win + r->geo.host_hdr_offset);
	rig_attach(r, 1);
	*state = r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	free(r->win);
	free(r);
	return 0;
}

static void post_test(struct rig *r, oae_u64 value, oae_u64 tokens)
{
	oae_u64 args[OAE_EVENT_ARGS] = { value, tokens };

	assert_int_equal(oae_ring_post(&r->ring, OAE_EV_TEST, 0, args), 0);
}

static oae_u64 offer_echo(struct rig *r, int link, oae_u64 a, oae_u64 b,
			  oae_u64 want)
{
	struct oae_offer o = { .op = OAE_OP_ECHO, .payload = { a, b, want } };

	return oae_host_offer(&r->hl[link], &o, r->ring.head);
}

/* Offer, let the IPU answer, and check the answer is there; returns n. */
static oae_u64 offer_answered(struct rig *r, int link, oae_u64 a, oae_u64 b,
			      oae_u64 want)
{
	struct oae_answer ans;
	oae_u64 n = offer_echo(r, link, a, b, want);

	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[link], &ans), OAE_POLL_ANSWERED);
	return n;
}

static void test_commit_round_trip(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;
	oae_u64 n;

	post_test(r, 40, 10);
	post_test(r, 2, 0);
	n = offer_echo(r, 1, 0x1234, 7, 3);
	assert_int_equal(oae_host_poll(&r->hl[1], &a), OAE_POLL_PENDING);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[1], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.word[0], 0x1234 ^ OAE_ECHO_XOR);
	assert_int_equal(a.word[1], 7 + 1);
	assert_int_equal(a.word[2], 42);	/* S4: both events applied */
	assert_int_equal(a.word[3], 3);
	assert_int_equal(r->echo.pool, 7);	/* staged */
	oae_host_settle(&r->hl[1], 1, OAE_ABORT_NONE);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 7);
	assert_int_equal(oae_ld64(&rig_ipu_link(r, 1)->settled_word),
			 oae_outcome_word(n, 1, 0));
	assert_int_equal(r->ipu.total.link.committed, 1);
}

static void test_abort_restores(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	post_test(r, 0, 10);
	offer_echo(r, 0, 1, 2, 4);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(r->echo.pool, 6);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_STALE_OBJECT);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 10);	/* S2: exactly as before */
	assert_int_equal(r->ipu.total.link.aborted, 1);
}

/*
 * Every abort reason of the ABI (the scheduler's 6..8 too) settles as an
 * abort and is not an error; a reason beyond OAE_ABORT_REASON_MAX, an
 * abort without a reason and a commit with one are counted as malformed,
 * yet settle as the commit bit says (that is what the host did).
 */
static void test_abort_reasons(void **state)
{
	struct rig *r = *state;
	struct oae_link_host *tx = rig_host_link(r, 0);
	oae_u64 n, aborted = 0;
	oae_u32 reason;

	post_test(r, 0, 10);
	for (reason = 1; reason <= OAE_ABORT_REASON_MAX + 1; reason++) {
		offer_answered(r, 0, 1, 2, 4);
		assert_int_equal(r->echo.pool, 6);
		oae_host_settle(&r->hl[0], 0, reason);
		ipu_poll(r);
		assert_int_equal(r->echo.pool, 10);
		assert_int_equal(r->ipu.total.link.aborted, ++aborted);
		assert_int_equal(r->ipu.total.link.bad_outcome,
				 reason > OAE_ABORT_REASON_MAX);
	}
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_outcome), 1);

	/* An abort with no reason. */
	offer_answered(r, 0, 1, 2, 4);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_NONE);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 10);
	assert_int_equal(r->ipu.total.link.bad_outcome, 2);

	/* A commit with a reason: still the commit the host enforced. */
	n = offer_answered(r, 0, 1, 2, 4);
	oae_st64(&tx->commit_seq, n);
	oae_st64_release(&tx->outcome_word,
			 oae_outcome_word(n, 1, OAE_ABORT_AFFINITY));
	r->hl[0].open = 0;
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 6);
	assert_int_equal(r->ipu.total.link.committed, 1);
	assert_int_equal(r->ipu.total.link.bad_outcome, 3);

	/* Withdrawn before the answer, with a reason out of range. */
	offer_echo(r, 0, 1, 2, 4);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_REASON_MAX + 1);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.skipped, 1);
	assert_int_equal(r->ipu.total.link.bad_outcome, 4);
	assert_int_equal(r->echo.pool, 6);
	assert_int_equal(r->ipu.total.settle_reports, 0);
}

static void test_withdraw_before_answer(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	post_test(r, 0, 5);
	ipu_poll(r);
	offer_echo(r, 0, 1, 2, 5);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_WITHDRAWN);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.skipped, 1);
	assert_int_equal(r->ipu.total.link.answered, 0);
	assert_int_equal(r->echo.pool, 5);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_PENDING);
}

static void test_late_answer_after_withdraw(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	post_test(r, 0, 5);
	offer_echo(r, 0, 1, 2, 5);
	ipu_poll(r);		/* answers and stages: pool 0 */
	assert_int_equal(r->echo.pool, 0);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_WITHDRAWN);	/* never looked */
	offer_echo(r, 0, 9, 9, 1);
	/* The late answer to the withdrawn swap is not an answer to this one. */
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_PENDING);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.word[0], 9 ^ OAE_ECHO_XOR);
	assert_int_equal(a.word[3], 1);	/* pool was restored first */
	assert_int_equal(r->echo.pool, 4);
}

/* The host commits n, offers n+1 and withdraws it before the IPU looks. */
static void test_commit_then_withdraw_unseen(void **state)
{
	struct rig *r = *state;

	post_test(r, 0, 8);
	offer_answered(r, 0, 1, 1, 3);
	oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
	offer_echo(r, 0, 2, 2, 3);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_WITHDRAWN);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.committed, 1);	/* S2 via commit_seq */
	assert_int_equal(r->ipu.total.link.skipped, 1);
	assert_int_equal(r->echo.pool, 5);
}

/* The host aborts n and offers n+1 before the IPU looks. */
static void test_abort_then_offer_unseen(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	post_test(r, 0, 8);
	offer_echo(r, 0, 1, 1, 3);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_STALE_OBJECT);
	offer_echo(r, 0, 2, 2, 8);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.aborted, 1);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.word[3], 8);	/* all 8 back in the pool */
}

static void test_waits_for_watermark(void **state)
{
	struct rig *r = *state;
	struct oae_ipu_link_stats st = { 0 };
	struct oae_answer a;

	post_test(r, 5, 0);
	offer_echo(r, 0, 1, 1, 0);
	/* Drive the link directly with the ring not yet consumed. */
	oae_ipu_link_poll(&r->ipu.links[0].link, &r->ipu.core[0].router,
			  r->ipu.ring.tail,
			  r->ipu.ring.tail + r->geo.ring_entries, &st);
	assert_int_equal(st.waiting_events, 1);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_PENDING);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.word[2], 5);
}

static void test_malformed_offer_refused(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	offer_echo(r, 0, 1, 1, 0);
	/* Corrupt the published offer: the IPU must refuse, not answer. */
	oae_st64(&rig_host_link(r, 0)->payload[1], 99);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.bad_offer, 1);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_BAD_REFLECT);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_BAD_REFLECT);

	/* A watermark beyond anything published is refused too. */
	{
		struct oae_offer o = { .op = OAE_OP_ECHO };

		oae_host_offer(&r->hl[0], &o, r->ring.head + 100);
	}
	ipu_poll(r);
	assert_int_equal(r->ipu.total.link.bad_offer, 2);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.status, OAE_ANSWER_REFUSED);
}

static void check_fault(struct rig *r, enum oae_fault f, enum oae_poll want)
{
	struct oae_answer a;

	r->ipu.links[0].link.fault = f;
	offer_echo(r, 0, 1, 1, 0);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), want);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_BAD_ANSWER);
	ipu_poll(r);
}

static void test_faults_detected(void **state)
{
	struct rig *r = *state;

	check_fault(r, OAE_FAULT_WRONG_ECHO, OAE_POLL_BAD_REFLECT);
	check_fault(r, OAE_FAULT_WRONG_EPOCH, OAE_POLL_BAD_DIGEST);
	check_fault(r, OAE_FAULT_BAD_STATUS, OAE_POLL_BAD_FIELD);
	check_fault(r, OAE_FAULT_TORN, OAE_POLL_BAD_DIGEST);
	check_fault(r, OAE_FAULT_BAD_SEQ, OAE_POLL_BAD_SEQ);
	check_fault(r, OAE_FAULT_NONE, OAE_POLL_ANSWERED);
}

static void test_ring_full_and_bad_entries(void **state)
{
	struct rig *r = *state;
	oae_u64 args[OAE_EVENT_ARGS] = { 1 };
	struct oae_event *ring;
	unsigned int i;

	for (i = 0; i < r->geo.ring_entries; i++)
		assert_int_equal(oae_ring_post(&r->ring, OAE_EV_TEST, 0, args), 0);
	assert_int_equal(oae_ring_post(&r->ring, OAE_EV_TEST, 0, args), 1);
	ipu_poll(r);
	assert_int_equal(r->echo.sum, r->geo.ring_entries);
	assert_int_equal(oae_ring_post(&r->ring, OAE_EV_TEST, 0, args), 0);

	/* Corrupt one entry, name a link that does not exist in another. */
	ring = (void *)((char *)r->win + r->geo.ring_offset);
	oae_ring_post(&r->ring, OAE_EV_TEST, 0, args);
	oae_st64(&ring[(r->ring.head - 1) & (r->geo.ring_entries - 1)].args[0], 50);
	oae_ring_post(&r->ring, OAE_EV_TEST, LINKS, args);
	oae_ring_post(&r->ring, OAE_EV_TEST, 0, args);
	ipu_poll(r);
	assert_int_equal(r->ipu.total.bad_events, 2);
	assert_int_equal(r->echo.sum, r->geo.ring_entries + 2);

	/* The IPU claiming more than we produced is a protocol error. */
	oae_st64(&r->ipu.hdr->ring_consumed, r->ring.head + 1);
	assert_int_equal(oae_ring_post(&r->ring, OAE_EV_TEST, 0, args), -1);
}

static void test_new_epoch_drops_staged(void **state)
{
	struct rig *r = *state;
	struct oae_answer a;

	post_test(r, 3, 4);
	offer_echo(r, 0, 1, 1, 4);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 0);
	/* The host re-attaches (e.g. after declaring the IPU dead). */
	rig_attach(r, 2);
	assert_int_equal(r->ipu.links[0].link.staged_seq, 0);
	assert_int_equal(r->echo.sum, 0);	/* policy state restarted */
	/* The old answer is gone and cannot satisfy a new offer. */
	offer_echo(r, 0, 5, 5, 0);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_PENDING);
	ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_ANSWERED);
	assert_int_equal(a.word[0], 5 ^ OAE_ECHO_XOR);
}

/*
 * The host re-initialises its half before the IPU adopts the new epoch: a
 * swap it committed must still settle as committed in the old epoch (S2).
 */
static void test_reattach_keeps_commit(void **state)
{
	struct rig *r = *state;
	oae_u64 n;

	post_test(r, 0, 10);
	n = offer_answered(r, 0, 1, 3, 4);
	oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
	oae_host_link_init(&r->hl[0], rig_host_link(r, 0), rig_ipu_link(r, 0),
			   0, r->epoch + 1, r->hl[0].seq);
	ipu_poll(r);
	assert_int_equal(oae_ld64(&rig_ipu_link(r, 0)->settled_word),
			 oae_outcome_word(n, 1, 0));
	assert_int_equal(r->ipu.total.link.committed, 1);
	assert_int_equal(r->ipu.total.link.aborted, 0);
	assert_int_equal(r->echo.pool, 6);
}

/* An open offer is withdrawn by re-initialising; the IPU restores. */
static void test_reattach_withdraws_open_offer(void **state)
{
	struct rig *r = *state;
	oae_u64 n;

	post_test(r, 0, 10);
	n = offer_echo(r, 0, 1, 3, 4);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 6);
	oae_host_link_init(&r->hl[0], rig_host_link(r, 0), rig_ipu_link(r, 0),
			   0, r->epoch + 1, r->hl[0].seq);
	ipu_poll(r);
	assert_int_equal(oae_ld64(&rig_ipu_link(r, 0)->settled_word),
			 oae_outcome_word(n, 0, 0));
	assert_int_equal(r->echo.pool, 10);
}

/* Dropping a staged swap at an epoch change settles it as decided. */
static void test_drop_follows_host_decision(void **state)
{
	struct rig *r = *state;

	post_test(r, 0, 10);
	offer_answered(r, 0, 1, 3, 4);
	oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
	oae_ipu_link_drop(&r->ipu.links[0].link, &r->ipu.core[0].router);
	assert_int_equal(r->echo.pool, 6);	/* committed: not restored */

	offer_echo(r, 1, 1, 2, 4);
	ipu_poll(r);
	assert_int_equal(r->echo.pool, 2);
	/* Undecided: restored. */
	oae_ipu_link_drop(&r->ipu.links[1].link, &r->ipu.core[0].router);
	assert_int_equal(r->echo.pool, 6);
}

static void test_old_epoch_answer_rejected(void **state)
{
	struct rig *r = *state;
	struct oae_host_link stale;
	struct oae_answer a;

	offer_echo(r, 0, 1, 1, 0);
	ipu_poll(r);
	/* A host link that believes in another epoch sees a bad digest. */
	stale = r->hl[0];
	stale.epoch = r->epoch + 1;
	assert_int_equal(oae_host_poll(&stale, &a), OAE_POLL_BAD_DIGEST);
}

/* Epochs only grow: a request for an older one is refused and counted. */
static void test_backward_epoch_refused(void **state)
{
	struct rig *r = *state;
	int i;

	rig_attach(r, 4);
	oae_host_request_epoch(r->hh, 3, 77, LINKS, r->ring.head);
	for (i = 0; i < 5; i++)
		ipu_poll(r);
	assert_int_equal(oae_ld64(&r->ipu.hdr->ipu_epoch), 4);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), 1);
	/* A later, larger epoch is adopted as usual. */
	rig_attach(r, 5);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), 1);
	assert_int_equal(oae_ld64(&r->ipu.hdr->cores_up), 1);
}

/* ABI 2: the ack proves which attach it answers; a bare epoch is no ack. */
static void test_epoch_ack_needs_proof(void **state)
{
	struct rig *r = *state;
	oae_u64 boot = 0;

	/* The IPU's words say "epoch 1" but the request carried our nonce. */
	assert_false(oae_host_epoch_acked(r->ipu.hdr, r->epoch, r->nonce + 1,
					  &boot));
	/* A corrupted ipu_epoch equal to a request we never saw acked. */
	oae_host_request_epoch(r->hh, r->epoch + 1, r->nonce + 9, LINKS,
			       r->ring.head);
	oae_st64(&r->ipu.hdr->ipu_epoch, r->epoch + 1);
	assert_false(oae_host_epoch_acked(r->ipu.hdr, r->epoch + 1,
					  r->nonce + 9, &boot));
	assert_int_equal(boot, 0);
	/* Once the IPU really adopts it, the ack holds. */
	ipu_poll(r);
	ipu_poll(r);
	assert_true(oae_host_epoch_acked(r->ipu.hdr, r->epoch + 1,
					 r->nonce + 9, &boot));
	assert_int_equal(boot, 0x1234);
}

/*
 * An IPU that restarts between two host ticks: new boot id, no state.
 * It must not serve the epoch the host is still ATTACHED to, and the
 * host must see that the epoch is no longer held.
 */
static void test_restart_is_noticed(void **state)
{
	struct rig *r = *state;
	struct oae_ipu_config cfg = r->ipu.cfg;
	struct oae_answer a;
	int i;

	assert_true(oae_host_epoch_held(r->ipu.hdr, r->epoch, r->boot_id));
	cfg.boot_id = 0x5678;
	assert_int_equal(oae_ipu_init(&r->ipu, r->win, &cfg), OAE_HDR_OK);
	oae_ipu_start(&r->ipu);
	for (i = 0; i < 5; i++)
		ipu_poll(r);
	assert_false(oae_host_epoch_held(r->ipu.hdr, r->epoch, r->boot_id));
	assert_int_equal(oae_ld64(&r->ipu.hdr->ipu_epoch), 0);
	/* An offer in the old epoch goes unanswered, never answered blind. */
	offer_echo(r, 0, 1, 1, 0);
	for (i = 0; i < 5; i++)
		ipu_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[0], &a), OAE_POLL_PENDING);
	oae_host_settle(&r->hl[0], 0, OAE_ABORT_WITHDRAWN);
	/* A new request is adopted by the new boot. */
	rig_attach(r, r->epoch + 1);
	assert_int_equal(r->boot_id, 0x5678);
	offer_answered(r, 0, 1, 1, 0);
}

/* Many producers: slots are applied in position order as they appear. */
static void test_ring_out_of_order_publish(void **state)
{
	struct rig *r = *state;
	struct oae_event *ring = (void *)((char *)r->win + r->geo.ring_offset);
	oae_u64 args[OAE_EVENT_ARGS] = { 10 };
	oae_u64 base = r->ring.head;

	assert_int_equal(oae_ring_room(5, 6, 64), -1);
	assert_int_equal(oae_ring_room(69, 5, 64), 0);
	assert_int_equal(oae_ring_room(68, 5, 64), 1);
	/* Two CPUs reserved base+1 and base+2; the second publishes first. */
	oae_ring_write(ring, r->geo.ring_entries, r->epoch, base + 2,
		       OAE_EV_TEST, 1, args);
	ipu_poll(r);
	assert_int_equal(r->echo.sum, 0);
	assert_int_equal(oae_ld64(&r->ipu.hdr->ring_consumed), base);
	args[0] = 1;
	oae_ring_write(ring, r->geo.ring_entries, r->epoch, base + 1,
		       OAE_EV_TEST, 0, args);
	ipu_poll(r);
	assert_int_equal(r->echo.sum, 11);
	assert_int_equal(oae_ld64(&r->ipu.hdr->ring_consumed), base + 2);
}

/* Swap numbers near the outcome word's limit restart instead of wrapping. */
static void test_seq_never_wraps(void **state)
{
	struct rig *r = *state;

	oae_host_link_init(&r->hl[0], rig_host_link(r, 0), rig_ipu_link(r, 0),
			   0, r->epoch, OAE_SEQ_MAX + 1);
	assert_int_equal(r->hl[0].seq, 0);
	oae_host_link_init(&r->hl[0], rig_host_link(r, 0), rig_ipu_link(r, 0),
			   0, r->epoch, ~0ULL);
	assert_int_equal(r->hl[0].seq, 0);
	rig_attach(r, r->epoch + 1);
	offer_answered(r, 0, 1, 1, 0);
	oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
}

static void test_heartbeat(void **state)
{
	struct rig *r = *state;
	struct oae_liveness lv = { .heartbeat = oae_ld64(&r->hh->host_heartbeat) };
	int i;

	ipu_poll(r);
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_OK);
	/* The IPU stops polling: misses count up to the threshold. */
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_LATE);
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_LATE);
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_DEAD);
	for (i = 0; i < 2; i++)
		ipu_poll(r);
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_OK);
	oae_ipu_halt(&r->ipu);
	assert_int_equal(oae_host_heartbeat(r->hh, r->ipu.hdr, &lv, 3), OAE_LIVE_STOPPED);
}

/* Two threads, real concurrency: every swap's answer checks out. */
struct stress {
	struct rig *r;
	volatile int stop;
};

static void *stress_ipu(void *arg)
{
	struct stress *s = arg;

	while (!s->stop)
		oae_ipu_poll(&s->r->ipu, 0);
	return NULL;
}

static void test_concurrent_swaps(void **state)
{
	struct rig *r = *state;
	struct stress s = { .r = r };
	oae_u64 granted = 0, deposited = 0, sum = 0;
	struct oae_answer a;
	enum oae_poll p;
	pthread_t t;
	int i;

	assert_int_equal(pthread_create(&t, NULL, stress_ipu, &s), 0);
	for (i = 0; i < 100000; i++) {
		oae_u64 args[OAE_EVENT_ARGS] = { i, i % 3 };
		int commit, spins = 0;

		if (!oae_ring_post(&r->ring, OAE_EV_TEST, 0, args)) {
			sum += i;
			deposited += i % 3;
		}
		offer_echo(r, i & 1, i, i, 2);
		/* Withdraw some swaps at once to race the IPU. */
		while ((p = oae_host_poll(&r->hl[i & 1], &a)) == OAE_POLL_PENDING &&
		       (i % 7 || ++spins < 3))
			;
		if (p != OAE_POLL_ANSWERED) {
			assert_int_equal(p, OAE_POLL_PENDING);
			oae_host_settle(&r->hl[i & 1], 0, OAE_ABORT_WITHDRAWN);
			continue;
		}
		assert_int_equal(a.word[0], (oae_u64)i ^ OAE_ECHO_XOR);
		assert_int_equal(a.word[2], sum);	/* S4 under concurrency */
		commit = i % 5 != 0;
		if (commit)
			granted += a.word[3];
		oae_host_settle(&r->hl[i & 1], commit,
				commit ? OAE_ABORT_NONE : OAE_ABORT_STALE_OBJECT);
	}
	/* S3: drain the pool; everything deposited is accounted for once. */
	for (;;) {
		offer_echo(r, 0, 0, 0, ~0ULL);
		while ((p = oae_host_poll(&r->hl[0], &a)) == OAE_POLL_PENDING)
			;
		assert_int_equal(p, OAE_POLL_ANSWERED);
		oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
		granted += a.word[3];
		if (!a.word[3])
			break;
	}
	s.stop = 1;
	pthread_join(t, NULL);
	assert_int_equal(granted, deposited);
	assert_int_equal(r->ipu.total.link.bad_offer, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rig_setup, rig_teardown)
		T(test_commit_round_trip),
		T(test_abort_restores),
		T(test_abort_reasons),
		T(test_withdraw_before_answer),
		T(test_late_answer_after_withdraw),
		T(test_commit_then_withdraw_unseen),
		T(test_abort_then_offer_unseen),
		T(test_waits_for_watermark),
		T(test_malformed_offer_refused),
		T(test_faults_detected),
		T(test_ring_full_and_bad_entries),
		T(test_new_epoch_drops_staged),
		T(test_reattach_keeps_commit),
		T(test_reattach_withdraws_open_offer),
		T(test_drop_follows_host_decision),
		T(test_old_epoch_answer_rejected),
		T(test_backward_epoch_refused),
		T(test_epoch_ack_needs_proof),
		T(test_restart_is_noticed),
		T(test_ring_out_of_order_publish),
		T(test_seq_never_wraps),
		T(test_heartbeat),
		T(test_concurrent_swaps),
#undef T
	};

	return cmocka_run_group_tests_name("oae_swap", tests, NULL, NULL);
}
