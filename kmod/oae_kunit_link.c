// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the host swap engine (oae_link.c) against a malformed
 * IPU. The window is a scratch buffer; the IPU's half is written either by
 * the shared IPU-side link code with a fault injected (as ipu-sim
 * --garbage does) or by hand. Every malformed answer must end the swap
 * with a defined result, count one protocol error of the right kind and
 * enforce nothing; the engine must stay up.
 */
#include <kunit/test.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "oae_ipu.h"

#define TEST_WINDOW	(256 * 1024)
#define TEST_RING	64
#define TEST_EPOCH	5
#define TEST_SWAPS	20

struct oae_link_test {
	struct oae_dev od;
	struct oae_ipu_link il;
	struct oae_ipu_link_stats st;
	struct oae_policy pol;
	unsigned int commits, aborts;
};

static enum oae_answer_status test_answer(void *ctx, oae_u32 link,
					  const struct oae_offer *o,
					  oae_u64 answer[OAE_ANSWER_WORDS],
					  oae_u64 stage[OAE_STAGE_WORDS])
{
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

static struct oae_link_host *test_tx(struct oae_dev *od, u32 i)
{
	return od->win + od->geo.host_links_offset + i * od->geo.link_stride;
}

static struct oae_link_ipu *test_rx(struct oae_dev *od, u32 i)
{
	return od->win + od->geo.ipu_links_offset + i * od->geo.link_stride;
}

/* One link, up, bound to TEST_EPOCH; the IPU side bound to the same. */
static int oae_link_test_init(struct kunit *test)
{
	struct oae_link_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct oae_dev *od;
	struct oae_link_ctx *ctx;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	od = &t->od;
	od->win = kunit_kzalloc(test, TEST_WINDOW, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, od->win);
	KUNIT_ASSERT_EQ(test, oae_geometry_format(od->win, TEST_WINDOW, 1, 1,
						  TEST_RING), OAE_HDR_OK);
	KUNIT_ASSERT_EQ(test, oae_geometry_read(od->win, TEST_WINDOW, &od->geo),
			OAE_HDR_OK);
	od->hdr = od->win;
	od->host = od->win + od->geo.host_hdr_offset;
	od->win_size = TEST_WINDOW;
	od->nr_links = 1;
	od->links = kunit_kcalloc(test, od->geo.nr_links, sizeof(*od->links),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, od->links);
	for (i = 0; i < od->geo.nr_links; i++) {
		ctx = &od->links[i];
		raw_spin_lock_init(&ctx->lock);
		oae_host_link_init(&ctx->hl, test_tx(od, i), test_rx(od, i), i,
				   TEST_EPOCH, 0);
	}
	od->ring = od->win + od->geo.ring_offset;
	od->post_stats = alloc_percpu(struct oae_post_stats);
	KUNIT_ASSERT_TRUE(test, od->post_stats);
	od->epoch = TEST_EPOCH;
	od->state = OAE_STATE_UP;
	od->swap_timeout_ns = 200 * NSEC_PER_USEC;

	t->pol = (struct oae_policy){
		.name = "kunit", .ctx = t, .answer = test_answer,
		.commit = test_commit, .abort = test_abort,
	};
	oae_ipu_link_init(&t->il, test_tx(od, 0), test_rx(od, 0), 0, TEST_EPOCH);
	test->priv = t;
	return 0;
}

static void ipu_poll(struct oae_link_test *t)
{
	oae_ipu_link_poll(&t->il, &t->pol, 0, t->od.geo.ring_entries, &t->st);
}

/* Offer, let the IPU answer, then complete: the deterministic path. */
static int swap_once(struct oae_link_test *t, u64 value)
{
	struct oae_swap_req req = {
		.offer = { .op = OAE_OP_ECHO, .payload = { value } },
	};
	int ret = oae_swap_start(&t->od, 0, &req);

	if (ret)
		return ret;
	ipu_poll(t);
	ret = oae_swap_complete(&t->od, 0, &req);
	ipu_poll(t);		/* settle */
	if (!ret && req.answer.word[0] != value + 1)
		return -EBADMSG;	/* enforced something wrong */
	return ret;
}

static void oae_link_good_ipu(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx = &t->od.links[0];
	int i;

	for (i = 0; i < TEST_SWAPS; i++)
		KUNIT_EXPECT_EQ(test, swap_once(t, i), 0);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, TEST_SWAPS);
	KUNIT_EXPECT_EQ(test, t->commits, TEST_SWAPS);
	KUNIT_EXPECT_EQ(test, t->aborts, 0);
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
	struct oae_link_ctx *ctx = &t->od.links[0];
	u64 errors = 0;
	int i, ret;

	t->il.fault = c->fault;
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
	KUNIT_EXPECT_FALSE(test, ctx->busy);

	/* The engine is healthy: a fixed IPU in a new epoch commits again. */
	oae_host_link_init(&ctx->hl, test_tx(&t->od, 0), test_rx(&t->od, 0), 0,
			   TEST_EPOCH + 1, ctx->hl.seq);
	oae_ipu_link_init(&t->il, test_tx(&t->od, 0), test_rx(&t->od, 0), 0,
			  TEST_EPOCH + 1);
	KUNIT_EXPECT_EQ(test, swap_once(t, 99), 0);
}

/* Write the IPU's answer line by hand, digest made to match. */
static void forge_answer(struct oae_link_test *t, u64 seq, u32 status, u32 op,
			 u64 reflect)
{
	struct oae_link_ipu *rx = test_rx(&t->od, 0);
	oae_u64 words[OAE_ANSWER_WORDS] = { 1 };
	int i;

	oae_st32(&rx->status, status);
	oae_st32(&rx->op, op);
	oae_st64(&rx->reflect, reflect);
	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		oae_st64(&rx->answer[i], words[i]);
	oae_st64(&rx->digest, oae_answer_digest(TEST_EPOCH, 0, seq, status, op,
						reflect, words));
	oae_st64_release(&rx->answer_seq, seq);
}

/* Answers a validator must refuse even though their digest is right. */
static void oae_link_forged_answers(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx = &t->od.links[0];
	struct oae_swap_req req = { .offer = { .op = OAE_OP_ECHO } };
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
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		u64 before = ctx->cnt.proto_err[f[i].kind];
		u64 seq;

		KUNIT_ASSERT_EQ(test, oae_swap_start(&t->od, 0, &req), 0);
		seq = ctx->hl.seq;
		forge_answer(t, seq + f[i].seq_add, f[i].status, f[i].op,
			     f[i].good_reflect ? ctx->hl.digest :
						 ctx->hl.digest ^ 1);
		KUNIT_EXPECT_EQ_MSG(test, oae_swap_complete(&t->od, 0, &req),
				    -EPROTO, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ctx->cnt.proto_err[f[i].kind],
				    before + 1, "case %u", i);
		/* Nobody answered the next offer: the old line is not it. */
		forge_answer(t, 0, 0, 0, 0);
	}
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_UP);
}

/* Silence, death, misuse: each has a defined result and a counter. */
static void oae_link_defined_outcomes(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_link_ctx *ctx = &t->od.links[0];
	struct oae_swap_req req = { .offer = { .op = OAE_OP_ECHO } };
	struct oae_swap_req mreq = { .offer = { .op = OAE_OP_ECHO } };
	int mem;

	/* No answer: withdrawn at the wait bound. */
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 1);
	/* The late answer settles nothing and cannot satisfy the next. */
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 0);
	KUNIT_EXPECT_EQ(test, swap_once(t, 7), 0);

	/* Open split-phase swap: a second offer on the link is refused. */
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, 0, &req), 0);
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EBUSY);
	KUNIT_EXPECT_EQ(test, ctx->cnt.busy, 1);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, oae_swap_complete(&t->od, 0, &req), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_complete(&t->od, 0, &req), -EINVAL);

	/*
	 * Classes have their own links: a swap held open on CPU 0's memory
	 * link leaves CPU 0's scheduling link free.
	 */
	mem = oae_link_of(&t->od, OAE_CLASS_MEM, 0);
	KUNIT_EXPECT_EQ(test, mem, 1);
	KUNIT_EXPECT_EQ(test, oae_link_of(&t->od, OAE_CLASS_MEM, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, oae_link_of(&t->od, OAE_NR_CLASSES, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, mem, &mreq), 0);
	KUNIT_EXPECT_EQ(test, swap_once(t, 8), 0);
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, mem, &req), -EBUSY);
	KUNIT_EXPECT_EQ(test, oae_swap_complete(&t->od, mem, &mreq),
			-ETIMEDOUT);

	/* Bad arguments. */
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, t->od.geo.nr_links, &req),
			-EINVAL);
	req.offer.op = OAE_OP_NONE;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EINVAL);
	req.offer.op = OAE_OP_MAX + 1;
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -EINVAL);
	req.offer.op = OAE_OP_ECHO;

	/*
	 * Re-attached (new epoch) between start and complete: the open swap
	 * ended with its epoch; complete falls back at once, no wait.
	 */
	KUNIT_EXPECT_EQ(test, oae_swap_start(&t->od, 0, &req), 0);
	oae_host_link_init(&ctx->hl, test_tx(&t->od, 0), test_rx(&t->od, 0), 0,
			   TEST_EPOCH + 1, ctx->hl.seq);
	KUNIT_EXPECT_EQ(test, oae_swap_complete(&t->od, 0, &req), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->cnt.fallbacks, 1);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 1);
	KUNIT_EXPECT_FALSE(test, ctx->busy);

	/* Dead IPU: fall back at once, counted. */
	WRITE_ONCE(t->od.state, OAE_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, oae_swap(&t->od, 0, &req), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->cnt.fallbacks, 2);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 3);
}

/*
 * oae_swap() is for callers that cannot sleep: with interrupts off and
 * preemption disabled a full swap and a withdrawal at the wait bound both
 * complete (CONFIG_DEBUG_ATOMIC_SLEEP would catch any sleep).
 */
static void oae_link_atomic_context(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	struct oae_swap_req req = { .offer = { .op = OAE_OP_ECHO } };
	unsigned long flags;
	u64 start;
	int ret1, ret2;

	preempt_disable();
	local_irq_save(flags);
	ret1 = swap_once(t, 3);
	start = ktime_get_ns();
	ret2 = oae_swap(&t->od, 0, &req);
	start = ktime_get_ns() - start;
	local_irq_restore(flags);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, ret1, 0);
	KUNIT_EXPECT_EQ(test, ret2, -ETIMEDOUT);
	/* Bounded: the wait bound plus scheduling noise, not more. */
	KUNIT_EXPECT_GE(test, start, t->od.swap_timeout_ns);
	KUNIT_EXPECT_LT(test, start, 100 * NSEC_PER_MSEC);
}

/* The IPU's ring_consumed is untrusted: beyond our head is an error. */
static void oae_link_ring_bounds(struct kunit *test)
{
	struct oae_link_test *t = test->priv;
	u64 args[OAE_EVENT_ARGS] = { 1 };
	struct oae_post_stats ps;
	int i;

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

static struct kunit_case oae_link_cases[] = {
	KUNIT_CASE(oae_link_good_ipu),
	KUNIT_CASE_PARAM(oae_link_garbage_ipu, oae_fault_gen_params),
	KUNIT_CASE(oae_link_forged_answers),
	KUNIT_CASE(oae_link_defined_outcomes),
	KUNIT_CASE(oae_link_atomic_context),
	KUNIT_CASE(oae_link_ring_bounds),
	{}
};

static void oae_link_test_exit(struct kunit *test)
{
	struct oae_link_test *t = test->priv;

	free_percpu(t->od.post_stats);
}

static struct kunit_suite oae_link_suite = {
	.name = "oae_link",
	.init = oae_link_test_init,
	.exit = oae_link_test_exit,
	.test_cases = oae_link_cases,
};

kunit_test_suite(oae_link_suite);
