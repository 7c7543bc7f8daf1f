// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the host swap engine (oae_link.c). The window is a
 * scratch buffer and the test plays the IPU on it: its link half with the
 * shared IPU-side code (oae_ipu_link_poll(), with a fault injected as
 * ipu-sim --garbage does, or by hand), its header (heartbeat echo, epoch
 * ack) by hand. The engine runs as in the driver: oae_link_init() seeds it
 * from the window and oae_link_tick() drives attach and liveness.
 *
 * Covered: malformed answers; swap tickets and their owners; the caller's
 * commit decision outside the link lock; spin budgets and fatal signals;
 * numbering seeded from our own half and bounded; a bounded attach; the
 * test ioctl's drain; cache-line-aligned links.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>

#include "oae_ipu.h"

#define TEST_WINDOW	(256 * 1024)
#define TEST_LINKS	4
#define TEST_RING	64
#define TEST_SWAPS	20
#define TEST_BUDGET_NS	(200 * NSEC_PER_USEC)
#define TEST_BOOT_ID	0x600d1dULL

struct oae_link_test {
	struct oae_dev od;
	struct oae_ipu_link il;
	struct oae_ipu_link_stats st;
	struct oae_policy pol;
	enum oae_fault fault;
	u64 ipu_epoch;			/* the epoch the test IPU serves */
	u64 boot_id;			/* the test IPU's boot */
	bool always_more;		/* echo policy whose pool never empties */
	struct task_struct *ipu_thread;
	unsigned int commits, aborts;
};

static enum oae_answer_status test_answer(void *ctx, oae_u32 link,
					  const struct oae_offer *o,
					  oae_u64 answer[OAE_ANSWER_WORDS],
					  oae_u64 stage[OAE_STAGE_WORDS])
{
	struct oae_link_test *t = ctx;

	if (t->always_more) {
		/* What the echo policy answers when one more token is left. */
		answer[0] = o->payload[0] ^ OAE_ECHO_XOR;
		answer[3] = 1;
		return OAE_ANSWER_OK;
	}
	answer[0] = o->payload[0] + 1;
	return OAE_ANSWER_OK;
}

static void test_commit(void *ctx, oae_u32 link,
			const oae_u64 stage[OAE_STAGE_WORDS])
{
	((struct oae_link_test *)ctx)->commits++;
}

static void test_abort(void *ctx, oae_u32 link,
		       const oae_u64 stage[OAE_STAGE_WORDS])
{
	((struct oae_link_test *)ctx)->aborts++;
}

static struct oae_link_host *test_tx(struct oae_dev *od)
{
	return od->win + od->geo.host_links_offset;
}

static struct oae_link_ipu *test_rx(struct oae_dev *od)
{
	return od->win + od->geo.ipu_links_offset;
}

/* A formatted window and a device; the engine is not initialised yet. */
static int oae_link_test_init(struct kunit *test)
{
	struct oae_link_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct oae_dev *od;

	KUNIT_ASSERT_NOT_NULL(test, t);
	od = &t->od;
	od->win = kunit_kzalloc(test, TEST_WINDOW, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, od->win);
	KUNIT_ASSERT_EQ(test, oae_geometry_format(od->win, TEST_WINDOW,
						  TEST_LINKS, 1, TEST_RING),
			OAE_HDR_OK);
	KUNIT_ASSERT_EQ(test, oae_geometry_read(od->win, TEST_WINDOW, &od->geo),
			OAE_HDR_OK);
	od->hdr = od->win;
	od->host = od->win + od->geo.host_hdr_offset;
	od->win_size = TEST_WINDOW;
	od->dev = kunit_device_register(test, "oae_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(od->dev));

	t->pol = (struct oae_policy){
		.name = "kunit", .ctx = t, .answer = test_answer,
		.commit = test_commit, .abort = test_abort,
	};
	oae_ipu_link_init(&t->il, test_tx(od), test_rx(od), 0, 0);
	test->priv = t;
	return 0;
}

static void ipu_thread_stop(struct oae_link_test *t)
{
	if (t->ipu_thread)
		kthread_stop(t->ipu_thread);
	t->ipu_thread = NULL;
}

static void oae_link_test_exit(struct kunit *test)
{
	struct oae_link_test *t = test->priv;

	ipu_thread_stop(t);
	oae_link_free(&t->od);
}

static void ipu_poll(struct oae_link_test *t)
{
	u64 reserved = atomic64_read(&t->od.ring_head);

	/* Every event reserved counts as applied. */
	oae_ipu_link_poll(&t->il, &t->pol, reserved,
			  reserved + t->od.geo.ring_entries, &t->st);
}

/* The IPU on another thread, for the waits that block the test's own. */
static int ipu_thread_fn(void *arg)
{
	struct oae_link_test *t = arg;

	while (!kthread_should_stop()) {
		ipu_poll(t);
		usleep_range(2, 10);
	}
	return 0;
}

static void ipu_thread_start(struct kunit *test, struct oae_link_test *t)
{
	t->ipu_thread = kthread_run(ipu_thread_fn, t, "oae_kunit_ipu");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->ipu_thread));
}

/*
 * One round of the IPU's header duty: its heartbeat moves and echoes
 * ours; with @ack it adopts the epoch the host requests, as the runtime
 * does (settle what it staged, rebind the link, start the ring at the
 * host's head) and acknowledges it.
 */
static void ipu_live(struct oae_link_test *t, bool ack)
{
	struct oae_dev *od = &t->od;
	u64 want = oae_ld64(&od->host->host_epoch);

	oae_st64(&od->hdr->ipu_heartbeat, oae_ld64(&od->hdr->ipu_heartbeat) + 1);
	oae_st64(&od->hdr->ipu_hb_echo, oae_ld64(&od->host->host_heartbeat));
	if (!ack || oae_ld64(&od->host->host_state) != OAE_HOST_ATTACHING ||
	    want == t->ipu_epoch)
		return;
	oae_ipu_link_drop(&t->il, &t->pol);
	oae_ipu_link_init(&t->il, test_tx(od), test_rx(od), 0, want);
	t->il.fault = t->fault;
	oae_st64(&od->hdr->ring_consumed, oae_ld64(&od->host->ring_base));
	t->ipu_epoch = want;
	if (!t->boot_id)
		t->boot_id = TEST_BOOT_ID;
	oae_st64(&od->hdr->ipu_boot_id, t->boot_id);
	oae_st64(&od->hdr->ipu_epoch, want);
	/* The proof that this boot took exactly this request. */
	oae_st64(&od->hdr->ipu_epoch_ack,
		 oae_epoch_ack_digest(want, oae_ld64(&od->host->host_nonce),
				      t->boot_id));
}

/* From dead (just initialised, or the IPU stopped) to up in a new epoch. */
static void test_attach(struct kunit *test, struct oae_link_test *t)
{
	struct oae_dev *od = &t->od;

	oae_st64(&od->hdr->ipu_state, OAE_IPU_READY);
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_UP);
}

/* The IPU stops and comes back: the host re-attaches with a new epoch. */
static void test_reattach(struct kunit *test, struct oae_link_test *t)
{
	u64 epoch = t->od.epoch;

	oae_st64(&t->od.hdr->ipu_state, OAE_IPU_HALTED);
	oae_link_tick(&t->od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_DEAD);
	test_attach(test, t);
	KUNIT_ASSERT_EQ(test, t->od.epoch, epoch + 1);
}

static void test_up(struct kunit *test, struct oae_link_test *t)
{
	KUNIT_ASSERT_EQ(test, oae_link_init(&t->od), 0);
	t->od.swap_timeout_ns = 50 * NSEC_PER_MSEC;
	test_attach(test, t);
}

/* Offer, let the IPU answer, then commit: the deterministic path. */
static int swap_once(struct oae_link_test *t, u64 value)
{
	struct oae_offer offer = { .op = OAE_OP_ECHO, .payload = { value } };
	struct oae_answer a;
	struct oae_ticket tk;
	int ret = oae_swap_start(&t->od, 0, &offer, &tk);

	if (ret)
		return ret;
	ipu_poll(t);
	ret = oae_swap_wait(&t->od, &tk, &a, TEST_BUDGET_NS, NULL);
	if (!ret && a.word[0] != value + 1)
		ret = oae_swap_abort(&t->od, &tk, OAE_ABORT_BAD_ANSWER) ?:
		      -EBADMSG;	/* would have enforced something wrong */
	else if (!ret)
		ret = oae_swap_commit(&t->od, &tk);
	ipu_poll(t);		/* settle */
	return ret;
}

static void oae_link_good_ipu(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx;
	int i;

	test_up(test, t);
	ctx = t->od.links[0];
	for (i = 0; i < TEST_SWAPS; i++)
		KUNIT_EXPECT_EQ(test, swap_once(t, i), 0);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, TEST_SWAPS);
	KUNIT_EXPECT_EQ(test, t->commits, TEST_SWAPS);
	KUNIT_EXPECT_EQ(test, t->aborts, 0);
}

/* Links are separate objects, each on its own cache lines. */
static void oae_link_cacheline_aligned(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	u32 i;

	KUNIT_ASSERT_EQ(test, oae_link_init(&t->od), 0);
	KUNIT_EXPECT_EQ(test, t->od.nr_links, min_t(u32, nr_cpu_ids, TEST_LINKS));
	KUNIT_EXPECT_EQ(test, sizeof(struct oae_link_ctx) % SMP_CACHE_BYTES, 0);
	for (i = 0; i < t->od.nr_links; i++)
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)t->od.links[i] %
				    SMP_CACHE_BYTES, 0, "link %u", i);
}

struct oae_fault_case {
	enum oae_fault fault;
	enum oae_poll kind;
	const char *name;
};

static const struct oae_fault_case oae_fault_cases[] = {
	{ OAE_FAULT_WRONG_ECHO, OAE_POLL_BAD_REFLECT, "wrong-echo" },
	{ OAE_FAULT_WRONG_EPOCH, OAE_POLL_BAD_DIGEST, "wrong-epoch" },
	{ OAE_FAULT_BAD_STATUS, OAE_POLL_BAD_FIELD, "out-of-range" },
	{ OAE_FAULT_TORN, OAE_POLL_BAD_DIGEST, "torn" },
	{ OAE_FAULT_BAD_SEQ, OAE_POLL_BAD_SEQ, "bad-seq" },
};

static void oae_fault_desc(const struct oae_fault_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(oae_fault, oae_fault_cases, oae_fault_desc);

/*
 * Each --garbage mode of the shared IPU code: the first swap is refused
 * with -EPROTO and counted as its kind; no swap is ever enforced; the IPU
 * reverts everything it staged; a good IPU afterwards swaps cleanly.
 */
static void oae_link_garbage_ipu(struct kunit *test)
{
	const struct oae_fault_case *c = test->param_value;
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx;
	u64 errors = 0;
	int i, ret;

	t->fault = c->fault;
	test_up(test, t);
	ctx = t->od.links[0];
	KUNIT_EXPECT_EQ(test, swap_once(t, 0), -EPROTO);
	KUNIT_EXPECT_EQ(test, ctx->cnt.proto_err[c->kind], 1);
	for (i = 1; i < TEST_SWAPS; i++) {
		ret = swap_once(t, i);
		/* A future-numbered answer may also leave a swap unanswered. */
		KUNIT_EXPECT_TRUE(test, ret == -EPROTO || ret == -ETIMEDOUT);
	}
	for (i = 0; i <= OAE_POLL_MAX; i++)
		errors += ctx->cnt.proto_err[i];
	KUNIT_EXPECT_GE(test, errors, TEST_SWAPS / 2);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 0);
	KUNIT_EXPECT_EQ(test, t->commits, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_UP);
	KUNIT_EXPECT_EQ(test, ctx->phase, OAE_SWAP_IDLE);

	/* The engine is healthy: a fixed IPU in a new epoch commits again. */
	t->fault = OAE_FAULT_NONE;
	test_reattach(test, t);
	KUNIT_EXPECT_EQ(test, swap_once(t, 99), 0);
}

/* Write the IPU's answer line by hand, digest made to match. */
static void forge_answer(struct oae_link_test *t, u64 seq, u32 status, u32 op,
			 u64 reflect)
{
	struct oae_link_ipu *rx = test_rx(&t->od);
	oae_u64 words[OAE_ANSWER_WORDS] = { 1 };
	int i;

	oae_st32(&rx->status, status);
	oae_st32(&rx->op, op);
	oae_st64(&rx->reflect, reflect);
	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		oae_st64(&rx->answer[i], words[i]);
	oae_st64(&rx->digest, oae_answer_digest(t->od.epoch, 0, seq, status, op,
						reflect, words));
	oae_st64_release(&rx->answer_seq, seq);
}

/* Answers a validator must refuse even though their digest is right. */
static void oae_link_forged_answers(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO };
	static const struct {
		u64 seq_add, status, op;
		bool good_reflect;
		enum oae_poll kind;
	} f[] = {
		{ 0, U32_MAX, OAE_OP_ECHO, true, OAE_POLL_BAD_FIELD },
		{ 0, OAE_ANSWER_OK, OAE_OP_MEM_FAULT, true, OAE_POLL_BAD_FIELD },
		{ 0, OAE_ANSWER_OK, U32_MAX, true, OAE_POLL_BAD_FIELD },
		{ 0, OAE_ANSWER_OK, OAE_OP_ECHO, false, OAE_POLL_BAD_REFLECT },
		{ 1, OAE_ANSWER_OK, OAE_OP_ECHO, true, OAE_POLL_BAD_SEQ },
		{ U64_MAX / 2, OAE_ANSWER_OK, OAE_OP_ECHO, true, OAE_POLL_BAD_SEQ },
	};
	struct oae_link_ctx *ctx;
	struct oae_answer a;
	struct oae_ticket tk;
	unsigned int i;

	test_up(test, t);
	ctx = t->od.links[0];
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		u64 before = ctx->cnt.proto_err[f[i].kind];

		KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &tk), 0);
		forge_answer(t, tk.seq + f[i].seq_add, f[i].status, f[i].op,
			     f[i].good_reflect ? ctx->hl.digest :
						 ctx->hl.digest ^ 1);
		KUNIT_EXPECT_EQ_MSG(test, oae_swap_wait(&t->od, &tk, &a,
							TEST_BUDGET_NS, NULL),
				    -EPROTO, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ctx->cnt.proto_err[f[i].kind],
				    before + 1, "case %u", i);
		/* The swap is over: its ticket cannot commit. */
		KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &tk), -ESTALE);
		/* Nobody answered the next offer: the old line is not it. */
		forge_answer(t, 0, 0, 0, 0);
	}
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_UP);
}

/* The link's half and books, to show a refused call changed nothing. */
struct link_snapshot {
	u64 outcome, commit_seq, offer_seq, committed, aborted;
	enum oae_swap_phase phase;
};

static void snapshot(struct oae_link_test *t, struct link_snapshot *s)
{
	struct oae_link_ctx *ctx = t->od.links[0];
	int i;

	s->outcome = oae_ld64(&test_tx(&t->od)->outcome_word);
	s->commit_seq = oae_ld64(&test_tx(&t->od)->commit_seq);
	s->offer_seq = oae_ld64(&test_tx(&t->od)->offer_seq);
	s->committed = ctx->cnt.committed;
	s->aborted = 0;
	for (i = 0; i <= OAE_ABORT_REASON_MAX; i++)
		s->aborted += ctx->cnt.aborted[i];
	s->phase = ctx->phase;
}

static void expect_unchanged(struct kunit *test, struct oae_link_test *t,
			     const struct link_snapshot *before)
{
	struct link_snapshot now;

	snapshot(t, &now);
	KUNIT_EXPECT_EQ(test, now.outcome, before->outcome);
	KUNIT_EXPECT_EQ(test, now.commit_seq, before->commit_seq);
	KUNIT_EXPECT_EQ(test, now.offer_seq, before->offer_seq);
	KUNIT_EXPECT_EQ(test, now.committed, before->committed);
	KUNIT_EXPECT_EQ(test, now.aborted, before->aborted);
	KUNIT_EXPECT_EQ(test, now.phase, before->phase);
}

/*
 * Swaps have owners. A caller whose ticket is spent (its swap committed,
 * or an older swap) cannot abort, commit or poll: it gets -ESTALE and the
 * link is untouched. Without tickets a second caller's give-up path
 * published ABORT over the first caller's COMMIT, or withdrew its swap.
 */
static void oae_link_ticket_owners(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO, .payload = { 1 } };
	struct oae_ticket first, second, forged;
	struct link_snapshot before;
	struct oae_answer a;

	test_up(test, t);
	/* First caller: answered and committed. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &first), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, oae_swap_poll(&t->od, &first, &a, NULL), 0);
	KUNIT_ASSERT_EQ(test, oae_swap_commit(&t->od, &first), 0);
	/* A second holder of that ticket gives up: refused, COMMIT stands. */
	snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &first, OAE_ABORT_WITHDRAWN),
			-ESTALE);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &first), -ESTALE);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &first, &a, NULL), -ESTALE);
	expect_unchanged(test, t, &before);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, t->aborts, 0);

	/* Next swap open: the old ticket cannot withdraw or settle it. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &second), 0);
	snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &first, OAE_ABORT_WITHDRAWN),
			-ESTALE);
	forged = second;
	forged.epoch++;
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &forged, OAE_ABORT_WITHDRAWN),
			-ESTALE);
	forged = second;
	forged.link = 1;
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &forged, OAE_ABORT_WITHDRAWN),
			-ESTALE);
	forged.link = U32_MAX;
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &forged), -ESTALE);
	expect_unchanged(test, t, &before);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->cnt.stale_tickets, 5);
	/* Its holder still owns it: it commits, on both sides. */
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &second, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &second), 0);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 2);
	KUNIT_EXPECT_EQ(test, t->aborts, 0);

	/* Bad reasons are refused and change nothing. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &second), 0);
	snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &second, OAE_ABORT_NONE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &second,
					     OAE_ABORT_REASON_MAX + 1), -EINVAL);
	expect_unchanged(test, t, &before);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &second, OAE_ABORT_WITHDRAWN),
			0);
}

/*
 * An abandoned swap keeps its link busy (-EBUSY), but its holder can
 * always withdraw it, and the next epoch ends it. Without tickets an
 * abandoned start left the link -EBUSY for good, across re-attaches.
 */
static void oae_link_abandoned_swap(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO };
	struct oae_ticket kept, lost, other;
	struct oae_link_ctx *ctx;

	test_up(test, t);
	ctx = t->od.links[0];
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &kept), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, 0, &offer, &other), -EBUSY);
	KUNIT_EXPECT_EQ(test, ctx->cnt.busy, 1);
	/* The holder withdraws, even with the IPU dead meanwhile. */
	WRITE_ONCE(t->od.state, OAE_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &kept, OAE_ABORT_WITHDRAWN), 0);
	WRITE_ONCE(t->od.state, OAE_STATE_UP);
	KUNIT_EXPECT_EQ(test, swap_once(t, 5), 0);

	/* Abandoned for good: the IPU answered, nobody settles it. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &lost), 0);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, 0, &offer, &other), -EBUSY);
	test_reattach(test, t);
	/* The epoch change ended it: the IPU reverted, the link is free. */
	KUNIT_EXPECT_EQ(test, t->aborts, 1);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &lost), -ESTALE);
	KUNIT_EXPECT_EQ(test, swap_once(t, 6), 0);
	KUNIT_EXPECT_EQ(test, t->commits, 2);
}

/*
 * The caller decides the commit: poll is non-blocking (-EAGAIN while
 * pending), a commit before the answer is refused, and a ticket that went
 * stale between poll and commit (epoch change) is refused, so the caller
 * never enforces an answer the IPU then reverts (S1, S2).
 */
static void oae_link_caller_decides(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO, .payload = { 41 } };
	struct link_snapshot before;
	struct oae_answer a;
	struct oae_ticket tk;
	u64 rtt = 0;

	test_up(test, t);
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &tk), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &tk, &a, &rtt), -EAGAIN);
	snapshot(t, &before);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &tk), -EINVAL);
	expect_unchanged(test, t, &before);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &tk, &a, &rtt), 0);
	KUNIT_EXPECT_EQ(test, a.word[0], 42);
	KUNIT_EXPECT_GT(test, rtt, 0);
	/* Polling again returns the same answer. */
	a.word[0] = 0;
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &tk, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, a.word[0], 42);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &tk), 0);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 1);

	/* Answered, then the IPU restarts before the caller commits. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &tk), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, oae_swap_poll(&t->od, &tk, &a, NULL), 0);
	test_reattach(test, t);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &tk), -ESTALE);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, t->aborts, 1);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->cnt.committed, 1);
}

struct sleeping_check {
	struct mutex lock;		/* stands for the PTE or folio lock */
	bool called, irqs_off;
};

static bool check_under_own_lock(void *arg, const struct oae_answer *a)
{
	struct sleeping_check *c = arg;

	c->irqs_off = irqs_disabled();
	mutex_lock(&c->lock);
	c->called = true;
	mutex_unlock(&c->lock);
	return true;
}

/*
 * The callback form's check runs in the caller's context, outside the
 * link's raw spinlock, so it may take sleeping locks. It used to run
 * under the raw spinlock with interrupts off.
 */
static void oae_link_check_outside_lock(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct sleeping_check c = { };
	struct oae_swap_req req = {
		.offer = { .op = OAE_OP_ECHO, .payload = { 7 } },
		.check = check_under_own_lock, .arg = &c,
	};
	int ret;

	mutex_init(&c.lock);
	test_up(test, t);
	ipu_thread_start(test, t);
	ret = oae_swap_sleepable(&t->od, 0, &req);
	ipu_thread_stop(t);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, c.called);
	KUNIT_EXPECT_FALSE(test, c.irqs_off);
	KUNIT_EXPECT_EQ(test, req.answer.word[0], 8);
}

/*
 * A late answer: the IPU answered and staged, the host withdrew without
 * seeing it. The IPU reverts on the withdrawal, and the answer cannot
 * satisfy the next offer.
 */
static void oae_link_late_answer(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO, .payload = { 10 } };
	struct oae_answer a;
	struct oae_ticket tk;

	test_up(test, t);
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &tk), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, t->st.answered, 1);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &tk, OAE_ABORT_WITHDRAWN), 0);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->cnt.aborted[OAE_ABORT_WITHDRAWN], 1);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->aborts, 1);
	KUNIT_EXPECT_EQ(test, t->commits, 0);

	offer.payload[0] = 20;
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &offer, &tk), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &tk, &a, NULL), -EAGAIN);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, oae_swap_poll(&t->od, &tk, &a, NULL), 0);
	KUNIT_EXPECT_EQ(test, a.word[0], 21);
	KUNIT_EXPECT_EQ(test, oae_swap_commit(&t->od, &tk), 0);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, t->aborts, 1);
}

/* Silence, death, misuse: each has a defined result and a counter. */
static void oae_link_defined_outcomes(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_swap_req req = { .offer = { .op = OAE_OP_ECHO } };
	struct oae_link_ctx *ctx;

	test_up(test, t);
	ctx = t->od.links[0];
	/* No answer: withdrawn at the budget. */
	req.budget_ns = TEST_BUDGET_NS;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 1);

	/* Bad arguments. */
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 2 * TEST_LINKS, &req), -EINVAL);
	req.offer.op = OAE_OP_NONE;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EINVAL);
	req.offer.op = OAE_OP_MAX + 1;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EINVAL);
	req.offer.op = OAE_OP_ECHO;
	KUNIT_EXPECT_EQ(test, ctx->cnt.offered, 1);

	/* Dead IPU: a waiting swap is withdrawn, new ones fall back. */
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &req.offer,
					     &req.ticket), 0);
	WRITE_ONCE(t->od.state, OAE_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, oae_swap_wait(&t->od, &req.ticket, &req.answer,
					    TEST_BUDGET_NS, NULL), -ENODEV);
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->cnt.fallbacks, 2);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 2);
	KUNIT_EXPECT_EQ(test, ctx->phase, OAE_SWAP_IDLE);
}

/*
 * Budgets fit the caller. With interrupts and preemption off a full swap
 * completes and a silent IPU costs the per-call budget (or the device's
 * spin_budget_ns), never the sleepable wait bound.
 */
static void oae_link_atomic_budget(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_swap_req req = {
		.offer = { .op = OAE_OP_ECHO }, .budget_ns = 20 * NSEC_PER_USEC,
	};
	u64 took_call, took_default, offered;
	unsigned long flags;
	int ret1, ret2, ret3;

	test_up(test, t);
	t->od.spin_budget_ns = 30 * NSEC_PER_USEC;
	preempt_disable();
	local_irq_save(flags);
	ret1 = swap_once(t, 3);
	took_call = ktime_get_ns();
	ret2 = oae_swap(&t->od, 0, &req);
	took_call = ktime_get_ns() - took_call;
	ipu_poll(t);
	req.budget_ns = 0;
	took_default = ktime_get_ns();
	ret3 = oae_swap(&t->od, 0, &req);
	took_default = ktime_get_ns() - took_default;
	local_irq_restore(flags);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, ret1, 0);
	KUNIT_EXPECT_EQ(test, ret2, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, ret3, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, took_call, 20 * NSEC_PER_USEC);
	KUNIT_EXPECT_GE(test, took_default, 30 * NSEC_PER_USEC);
	/* Far below swap_timeout_ns (50 ms), with room for emulation noise. */
	KUNIT_EXPECT_LT(test, took_call, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_LT(test, took_default, 5 * NSEC_PER_MSEC);

	/* A budget beyond the atomic maximum is refused before any offer. */
	offered = t->od.links[0]->cnt.offered;
	req.budget_ns = OAE_SPIN_BUDGET_MAX_NS + 1;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EINVAL);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->cnt.offered, offered);
}

/*
 * Sleepable waits end on a fatal signal (the holder withdraws: -EINTR),
 * not on an ordinary one, which a fault path must not turn into a failed
 * swap.
 */
static void oae_link_sleepable_signals(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_swap_req req = { .offer = { .op = OAE_OP_ECHO } };
	int ret_plain, ret_fatal;
	u64 took;

	test_up(test, t);
	t->od.swap_timeout_ns = 2 * NSEC_PER_MSEC;
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	ret_plain = oae_swap_sleepable(&t->od, 0, &req);
	disallow_signal(SIGUSR1);

	t->od.swap_timeout_ns = 10 * NSEC_PER_SEC;
	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	took = ktime_get_ns();
	ret_fatal = oae_swap_sleepable(&t->od, 0, &req);
	took = ktime_get_ns() - took;
	disallow_signal(SIGKILL);

	KUNIT_EXPECT_EQ(test, ret_plain, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, ret_fatal, -EINTR);
	KUNIT_EXPECT_LT(test, took, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->cnt.aborted[OAE_ABORT_WITHDRAWN], 2);
	KUNIT_EXPECT_EQ(test, t->od.links[0]->phase, OAE_SWAP_IDLE);
}

/*
 * A hostile ipu_epoch cannot move ours: the next epoch is our previous
 * one plus one. max(ours, U64_MAX) + 1 used to wrap the epoch to 0, which
 * the IPU ignores, and the link never came up again.
 */
static void oae_link_hostile_ipu_epoch(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_dev *od = &t->od;

	oae_st64(&od->host->host_epoch, 7);
	oae_st64(&od->hdr->ipu_epoch, U64_MAX);
	test_up(test, t);
	KUNIT_EXPECT_EQ(test, od->epoch, 8);
	KUNIT_EXPECT_EQ(test, oae_ld64(&od->host->host_epoch), 8);
	KUNIT_EXPECT_EQ(test, swap_once(t, 1), 0);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	/* Again while up: still ours plus one. */
	oae_st64(&od->hdr->ipu_epoch, U64_MAX);
	t->ipu_epoch = U64_MAX;
	test_reattach(test, t);
	KUNIT_EXPECT_EQ(test, od->epoch, 9);
}

/*
 * Our own half carries numbers beyond their bounds (a corrupted window):
 * each restarts, nothing wraps or truncates, and swaps settle on both
 * sides. An offer_seq at 2^56 - 1 used to make the next outcome word
 * (seq << 8) truncate to 0, so the IPU never settled the commit; an
 * epoch at U64_MAX wrapped to 0.
 */
static void oae_link_numbering_bounds(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_dev *od = &t->od;
	u64 args[OAE_EVENT_ARGS] = { 1 };

	oae_st64(&test_tx(od)->offer_seq, OAE_SEQ_LIMIT);
	oae_st64(&od->host->host_epoch, U64_MAX);
	oae_st64(&od->host->ring_base, U64_MAX);
	test_up(test, t);
	KUNIT_EXPECT_EQ(test, od->restarts, 3);
	KUNIT_EXPECT_EQ(test, od->epoch, 1);
	KUNIT_EXPECT_EQ(test, oae_event_post(od, OAE_EV_TEST, 0, args), 0);
	KUNIT_EXPECT_EQ(test, swap_once(t, 1), 0);
	KUNIT_EXPECT_EQ(test, oae_outcome_seq(oae_ld64(&test_tx(od)->outcome_word)),
			od->links[0]->hl.seq);
	KUNIT_EXPECT_EQ(test, t->commits, 1);

	/* A seed just below the bound continues. */
	oae_link_free(od);
	oae_st64(&test_tx(od)->offer_seq, OAE_SEQ_LIMIT - 1);
	KUNIT_ASSERT_EQ(test, oae_link_init(od), 0);
	KUNIT_EXPECT_EQ(test, od->links[0]->hl.seq, OAE_SEQ_LIMIT - 1);
}

/*
 * Attaching is bounded: an IPU that is alive but never acknowledges the
 * epoch is declared dead after dead_threshold ticks, and re-attached with
 * a new epoch while it shows life. It used to stay attaching forever.
 */
static void oae_link_attach_bounded(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_dev *od = &t->od;
	u64 epoch;
	int i;

	KUNIT_ASSERT_EQ(test, oae_link_init(od), 0);
	od->dead_threshold = 5;
	oae_st64(&od->hdr->ipu_state, OAE_IPU_READY);
	ipu_live(t, false);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	epoch = od->epoch;
	for (i = 0; i < 5 && READ_ONCE(od->state) == OAE_STATE_ATTACHING; i++) {
		ipu_live(t, false);
		oae_link_tick(od);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, od->deaths, 1);
	ipu_live(t, false);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	KUNIT_EXPECT_EQ(test, od->epoch, epoch + 1);
	/* This time it answers. */
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_UP);
	KUNIT_EXPECT_EQ(test, swap_once(t, 2), 0);
}

/*
 * The test ioctl's drain is bounded and killable: an IPU whose pool never
 * runs dry gets -EOVERFLOW after a bounded number of swaps, a fatal signal
 * ends it before it offers, and so does a removed device.
 */
static void oae_link_drain_bounded(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx;
	u64 sum, offered;
	s64 ret;

	test_up(test, t);
	ctx = t->od.links[0];
	t->always_more = true;
	ipu_thread_start(test, t);
	ret = oae_ctl_drain(&t->od, 0, &sum);
	KUNIT_EXPECT_EQ(test, ret, -EOVERFLOW);
	KUNIT_EXPECT_LT(test, ctx->cnt.offered, 100);

	offered = ctx->cnt.offered;
	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	ret = oae_ctl_drain(&t->od, 0, &sum);
	disallow_signal(SIGKILL);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	WRITE_ONCE(t->od.gone, true);
	KUNIT_EXPECT_EQ(test, oae_ctl_drain(&t->od, 0, &sum), -ENODEV);
	ipu_thread_stop(t);
	KUNIT_EXPECT_EQ(test, ctx->cnt.offered, offered);
}

/* The IPU's ring_consumed is untrusted: beyond our head is an error. */
static void oae_link_ring_bounds(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	u64 args[OAE_EVENT_ARGS] = { 1 };
	struct oae_post_stats ps;
	int i;

	test_up(test, t);
	KUNIT_EXPECT_EQ(test, oae_event_post(&t->od, OAE_EV_TEST, 0, args), 0);
	oae_st64(&t->od.hdr->ring_consumed, 1000);
	KUNIT_EXPECT_EQ(test, oae_event_post(&t->od, OAE_EV_TEST, 0, args),
			-EPROTO);
	oae_post_stats_sum(&t->od, &ps);
	KUNIT_EXPECT_EQ(test, ps.errors, 1);
	oae_st64(&t->od.hdr->ring_consumed, 0);
	/* A full ring refuses, it never overwrites. */
	for (i = 1; i < TEST_RING; i++)
		KUNIT_EXPECT_EQ(test, oae_event_post(&t->od, OAE_EV_TEST, 0,
						     args), 0);
	KUNIT_EXPECT_EQ(test, oae_event_post(&t->od, OAE_EV_TEST, 0, args),
			-ENOSPC);
	oae_post_stats_sum(&t->od, &ps);
	KUNIT_EXPECT_EQ(test, ps.full, 1);
}

/*
 * ABI 2: an ack proves which attach it answers. A corrupted ipu_epoch
 * equal to ours used to bring the link up in an epoch the IPU never took.
 */
static void oae_link_bare_epoch_is_no_ack(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_dev *od = &t->od;

	KUNIT_ASSERT_EQ(test, oae_link_init(od), 0);
	oae_st64(&od->hdr->ipu_state, OAE_IPU_READY);
	ipu_live(t, false);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	oae_st64(&od->hdr->ipu_epoch, od->epoch);
	oae_st64(&od->hdr->ipu_boot_id, TEST_BOOT_ID);
	ipu_live(t, false);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_UP);
	KUNIT_EXPECT_EQ(test, od->ipu_boot_id, TEST_BOOT_ID);
}

/*
 * An IPU that restarts between two ticks (new boot id, heartbeat still
 * moving, READY) is noticed: a new epoch at once, counted. It used to stay
 * up in an epoch the IPU held no state for.
 */
static void oae_link_restart_noticed(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_dev *od = &t->od;
	u64 epoch;

	test_up(test, t);
	epoch = od->epoch;
	t->boot_id = TEST_BOOT_ID + 1;
	oae_st64(&od->hdr->ipu_boot_id, t->boot_id);
	ipu_live(t, false);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	KUNIT_EXPECT_EQ(test, od->epoch, epoch + 1);
	KUNIT_EXPECT_EQ(test, od->ipu_restarts, 1);
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(od->state), OAE_STATE_UP);
	KUNIT_EXPECT_EQ(test, swap_once(t, 3), 0);
}

/*
 * Classes have their own links: a swap held open on CPU 0's memory link
 * leaves CPU 0's scheduling link free.
 */
static void oae_link_classes_apart(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_offer offer = { .op = OAE_OP_ECHO };
	struct oae_ticket mtk, tk;
	int mem;

	test_up(test, t);
	mem = oae_link_of(&t->od, OAE_CLASS_MEM, 0);
	KUNIT_EXPECT_EQ(test, mem, TEST_LINKS);
	KUNIT_EXPECT_EQ(test, oae_link_of(&t->od, OAE_CLASS_MEM,
					  t->od.nr_links), -EINVAL);
	KUNIT_EXPECT_EQ(test, oae_link_of(&t->od, OAE_NR_CLASSES, 0), -EINVAL);
	KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, mem, &offer, &mtk), 0);
	KUNIT_EXPECT_EQ(test, swap_once(t, 8), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, mem, &offer, &tk), -EBUSY);
	KUNIT_EXPECT_EQ(test, oae_swap_abort(&t->od, &mtk,
					     OAE_ABORT_WITHDRAWN), 0);
	/* A link index no CPU uses is refused. */
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, 2 * TEST_LINKS, &offer,
					     &tk), -EINVAL);
}

static struct kunit_case oae_link_cases[] = {
	KUNIT_CASE(oae_link_good_ipu),
	KUNIT_CASE(oae_link_cacheline_aligned),
	KUNIT_CASE_PARAM(oae_link_garbage_ipu, oae_fault_gen_params),
	KUNIT_CASE(oae_link_forged_answers),
	KUNIT_CASE(oae_link_ticket_owners),
	KUNIT_CASE(oae_link_abandoned_swap),
	KUNIT_CASE(oae_link_caller_decides),
	KUNIT_CASE(oae_link_check_outside_lock),
	KUNIT_CASE(oae_link_late_answer),
	KUNIT_CASE(oae_link_defined_outcomes),
	KUNIT_CASE(oae_link_atomic_budget),
	KUNIT_CASE(oae_link_sleepable_signals),
	KUNIT_CASE(oae_link_hostile_ipu_epoch),
	KUNIT_CASE(oae_link_numbering_bounds),
	KUNIT_CASE(oae_link_attach_bounded),
	KUNIT_CASE(oae_link_drain_bounded),
	KUNIT_CASE(oae_link_ring_bounds),
	KUNIT_CASE(oae_link_bare_epoch_is_no_ack),
	KUNIT_CASE(oae_link_restart_noticed),
	KUNIT_CASE(oae_link_classes_apart),
	{}
};

static struct kunit_suite oae_link_suite = {
	.name = "oae_link",
	.init = oae_link_test_init,
	.exit = oae_link_test_exit,
	.test_cases = oae_link_cases,
};

kunit_test_suite(oae_link_suite);
