// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the scheduling kfuncs (oae_sched.c), called as C
 * functions with interrupts off, as sched_ext calls them, against an
 * engine on a scratch window where the test plays the IPU: it consumes
 * the event ring into a log, answers picks on the scheduling links with
 * the shared IPU-side link code, and acks epochs by hand.
 *
 * Tasks are scratch task_structs: only the fields the kfuncs read (pid,
 * scx.weight, cpus_ptr, migration_disabled, the CPU) are set, so every
 * commit-time check can be made to fail on purpose. The test thread is
 * pinned to one CPU so a pick's calls all happen there, and turns
 * interrupts off around each call only, so assertions may sleep.
 *
 * Covered: -EPERM with interrupts on; custody table semantics, weights,
 * CPU words and versions; table full; no device and a dead IPU; a pick
 * offered, answered, committed and enforced; each commit-time abort, and
 * a GONE reposted for a task the IPU kept; withdrawal at the budget;
 * malformed and empty answers; an epoch change ending a pick; custody
 * replay, and a task leaving custody during it; stale enforcement
 * detection; the scheduling words of an epoch request.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "oae_ipu.h"
#include "oae_sched.h"
#include "../uapi/linux/oae_sched.h"

#define TEST_WINDOW	(256 * 1024)
#define TEST_MAX_LINKS	64
#define TEST_RING	64
#define TEST_EVENTS	64
#define TEST_BOOT_ID	0x5c4edULL
#define TEST_BUDGET_NS	(50 * NSEC_PER_USEC)
#define TEST_SLICE_NS	(500 * NSEC_PER_USEC)

struct test_event {
	u32 type;
	u64 args[OAE_EVENT_ARGS];
};

struct sched_test {
	struct oae_dev od;
	struct oae_ipu_link il[TEST_MAX_LINKS];
	struct oae_ipu_link_stats st;
	struct oae_ring_consumer rc;
	struct oae_policy pol;
	u64 ipu_epoch;
	/* What the test IPU answers to a pick. */
	u32 status;
	u64 answer[OAE_ANSWER_WORDS];
	unsigned int answers, commits, aborts;
	/* Events applied, in ring order (the first TEST_EVENTS). */
	struct test_event ev[TEST_EVENTS];
	unsigned int nr_ev;
	struct task_struct *tk;		/* scratch task */
	struct cpumask mask;
	/* A custody user replaying after the kfuncs' one. */
	struct oae_custody_user late;
	int late_gone, late_runnable;
};

/* Call a kfunc as sched_ext does: interrupts off. */
#define OFF(call)							\
	({								\
		unsigned long __flags;					\
		s32 __ret;						\
									\
		local_irq_save(__flags);				\
		__ret = (call);						\
		local_irq_restore(__flags);				\
		__ret;							\
	})

static void test_event(void *ctx, oae_u32 type, oae_u32 link,
		       const oae_u64 args[OAE_EVENT_ARGS])
{
	struct sched_test *t = ctx;

	if (t->nr_ev < TEST_EVENTS) {
		t->ev[t->nr_ev].type = type;
		memcpy(t->ev[t->nr_ev].args, args, sizeof(t->ev[0].args));
	}
	t->nr_ev++;
}

static enum oae_answer_status test_answer(void *ctx, oae_u32 link,
					  const struct oae_offer *o,
					  oae_u64 answer[OAE_ANSWER_WORDS],
					  oae_u64 stage[OAE_STAGE_WORDS])
{
	struct sched_test *t = ctx;

	if (o->op != OAE_OP_SCHED_PICK ||
	    o->payload[OAE_PICK_OFFER_CPU] != link)
		return OAE_ANSWER_REFUSED;
	t->answers++;
	memcpy(answer, t->answer, sizeof(t->answer));
	return t->status;
}

static void test_commit(void *ctx, oae_u32 link,
			const oae_u64 stage[OAE_STAGE_WORDS])
{
	((struct sched_test *)ctx)->commits++;
}

static void test_abort(void *ctx, oae_u32 link,
		       const oae_u64 stage[OAE_STAGE_WORDS])
{
	((struct sched_test *)ctx)->aborts++;
}

static void test_reset(void *ctx)
{
}

/* The IPU's round: apply every published event, then serve the links. */
static void ipu_poll(struct sched_test *t)
{
	struct oae_dev *od = &t->od;
	u64 bad = 0, tail;
	u32 i;

	if (!t->ipu_epoch)
		return;
	tail = oae_ring_consume(&t->rc, OAE_RING_MAX_ENTRIES, &t->pol, &bad);
	for (i = 0; i < od->nr_links; i++)
		oae_ipu_link_poll(&t->il[i], &t->pol, tail,
				  tail + od->geo.ring_entries, &t->st);
}

/* Heartbeat echo; with @ack adopt the epoch requested, as the runtime does. */
static void ipu_live(struct sched_test *t, bool ack)
{
	struct oae_dev *od = &t->od;
	u64 want = oae_ld64(&od->host->host_epoch);
	u32 i;

	oae_st64(&od->hdr->ipu_heartbeat, oae_ld64(&od->hdr->ipu_heartbeat) + 1);
	oae_st64(&od->hdr->ipu_hb_echo, oae_ld64(&od->host->host_heartbeat));
	if (!ack || oae_ld64(&od->host->host_state) != OAE_HOST_ATTACHING ||
	    want == t->ipu_epoch)
		return;
	for (i = 0; i < od->nr_links; i++) {
		if (t->ipu_epoch)
			oae_ipu_link_drop(&t->il[i], &t->pol);
		oae_ipu_link_init(&t->il[i],
				  oae_geo_host_link(od->win, &od->geo, i),
				  oae_geo_ipu_link(od->win, &od->geo, i), i,
				  want);
	}
	oae_ring_consumer_init(&t->rc, od->ring, od->geo.ring_entries,
			       od->nr_links, &od->hdr->ring_consumed, want,
			       oae_ld64(&od->host->ring_base));
	t->ipu_epoch = want;
	oae_st64(&od->hdr->ipu_boot_id, TEST_BOOT_ID);
	oae_st64(&od->hdr->ipu_epoch, want);
	oae_st64(&od->hdr->ipu_epoch_ack,
		 oae_epoch_ack_digest(want, oae_ld64(&od->host->host_nonce),
				      TEST_BOOT_ID));
}

/* Ack whatever epoch is requested and let the engine go up (and replay). */
static void test_ack(struct kunit *test, struct sched_test *t)
{
	ipu_live(t, true);
	oae_link_tick(&t->od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_UP);
}

static int sched_test_init(struct kunit *test)
{
	struct sched_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	u32 links = min_t(u32, nr_cpu_ids, TEST_MAX_LINKS);
	const struct cpumask *here;
	struct oae_dev *od;

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	od = &t->od;
	od->win = kunit_kzalloc(test, TEST_WINDOW, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, od->win);
	KUNIT_ASSERT_EQ(test, oae_geometry_format(od->win, TEST_WINDOW, links,
						  1, TEST_RING), OAE_HDR_OK);
	KUNIT_ASSERT_EQ(test, oae_geometry_read(od->win, TEST_WINDOW, &od->geo),
			OAE_HDR_OK);
	od->hdr = od->win;
	od->win_size = TEST_WINDOW;
	od->dev = kunit_device_register(test, "oae_kunit_sched");
	KUNIT_ASSERT_FALSE(test, IS_ERR(od->dev));
	t->pol = (struct oae_policy){
		.name = "kunit-sched", .ctx = t, .reset = test_reset,
		.event = test_event, .answer = test_answer,
		.commit = test_commit, .abort = test_abort,
	};
	t->tk = kunit_kzalloc(test, sizeof(*t->tk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->tk);
	cpumask_setall(&t->mask);
	t->tk->cpus_ptr = &t->mask;
	t->tk->scx.weight = 100;
	t->tk->pid = 100;

	oae_sched_test_reset();
	KUNIT_ASSERT_EQ(test, oae_link_init(od), 0);
	KUNIT_ASSERT_EQ(test, od->nr_links, links);
	oae_st64(&od->hdr->ipu_state, OAE_IPU_READY);
	ipu_live(t, true);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_ATTACHING);
	test_ack(test, t);
	KUNIT_ASSERT_EQ(test, oae_sched_bind(od), 0);
	/* Every pick's calls on one CPU (this thread is the test case's). */
	here = cpumask_of(raw_smp_processor_id());
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, here), 0);
	return 0;
}

static void sched_test_exit(struct kunit *test)
{
	struct sched_test *t = test->priv;

	if (!t)
		return;
	oae_sched_unbind(&t->od);
	oae_link_free(&t->od);
	oae_sched_test_reset();
}

static struct oae_sched_stats stats(void)
{
	struct oae_sched_table_stats tab;
	struct oae_sched_stats st;

	oae_sched_stats_sum(&st, &tab);
	return st;
}

static struct oae_sched_table_stats table(void)
{
	struct oae_sched_table_stats tab;
	struct oae_sched_stats st;

	oae_sched_stats_sum(&st, &tab);
	return tab;
}

static s32 enforced(struct sched_test *t, u32 outcome)
{
	return OFF(oae_sched_pick_enforced(t->tk, outcome));
}

static struct oae_link_ctx *my_link(struct sched_test *t)
{
	return t->od.links[oae_link_of(&t->od, OAE_CLASS_SCHED,
				       raw_smp_processor_id())];
}

/* Put t->tk in custody; return the version the IPU saw. */
static u64 make_runnable(struct kunit *test, struct sched_test *t)
{
	unsigned int first = t->nr_ev;

	KUNIT_ASSERT_EQ(test, OFF(oae_sched_runnable(t->tk)), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, t->nr_ev, first + 1);
	KUNIT_ASSERT_LT(test, first, TEST_EVENTS);
	KUNIT_ASSERT_EQ(test, t->ev[first].type, OAE_EV_TASK_RUNNABLE);
	return t->ev[first].args[OAE_TASK_ARG_VERSION];
}

/* Offer a pick, have the IPU answer @pid/@version, complete it. */
static void answered_pick(struct kunit *test, struct sched_test *t, u64 pid,
			  u64 version)
{
	struct oae_sched_pick pick = {};

	t->status = OAE_ANSWER_OK;
	t->answer[OAE_PICK_ANSWER_PID] = pid;
	t->answer[OAE_PICK_ANSWER_VERSION] = version;
	t->answer[OAE_PICK_ANSWER_SLICE_NS] = TEST_SLICE_NS;
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_complete(TEST_BUDGET_NS,
							  &pick)), 0);
	KUNIT_ASSERT_EQ(test, pick.pid, pid);
	KUNIT_ASSERT_EQ(test, pick.version, version);
}

static void sched_needs_irqs_off(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick = {};
	u64 head = atomic64_read(&t->od.ring_head);

	KUNIT_EXPECT_EQ(test, oae_sched_runnable(t->tk), -EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_gone(t->tk), -EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_pick_offer(), -EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_pick_complete(0, &pick), -EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_pick_commit(t->tk), -EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_pick_abort(OAE_ABORT_WITHDRAWN),
			-EPERM);
	KUNIT_EXPECT_EQ(test, oae_sched_pick_enforced(t->tk, 0), -EPERM);
	/* Nothing changed: no post, no offer, nothing in custody. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->od.ring_head), head);
	KUNIT_EXPECT_EQ(test, my_link(t)->cnt.offered, 0);
	KUNIT_EXPECT_EQ(test, table().size, 0);
}

static void sched_runnable_gone(struct kunit *test)
{
	struct sched_test *t = test->priv;
	u64 cpus = 0, v1, v2, v3, head;
	unsigned int c;

	for (c = 0; c < min_t(unsigned int, nr_cpu_ids, OAE_TASK_CPUS); c++)
		cpus |= BIT_ULL(c);
	v1 = make_runnable(test, t);
	KUNIT_EXPECT_EQ(test, t->ev[0].args[OAE_TASK_ARG_PID], 100);
	KUNIT_EXPECT_EQ(test, t->ev[0].args[OAE_TASK_ARG_WEIGHT],
			OAE_TASK_WEIGHT_NICE0);
	KUNIT_EXPECT_EQ(test, t->ev[0].args[OAE_TASK_ARG_CPUS], cpus);
	KUNIT_EXPECT_NE(test, v1, 0);

	/* An update: same entry, newer version, weights clamped. */
	t->tk->scx.weight = 10000;
	v2 = make_runnable(test, t);
	KUNIT_EXPECT_GT(test, v2, v1);
	KUNIT_EXPECT_EQ(test, t->ev[1].args[OAE_TASK_ARG_WEIGHT],
			OAE_TASK_WEIGHT_MAX);
	t->tk->scx.weight = 1;
	v3 = make_runnable(test, t);
	KUNIT_EXPECT_GT(test, v3, v2);
	KUNIT_EXPECT_EQ(test, t->ev[2].args[OAE_TASK_ARG_WEIGHT], 10);
	KUNIT_EXPECT_EQ(test, table().size, 1);

	/* Another pid's version is newer still: one counter. */
	t->tk->pid = 101;
	KUNIT_EXPECT_GT(test, make_runnable(test, t), v3);
	KUNIT_EXPECT_EQ(test, table().size, 2);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);

	/* GONE is a custody change: a newer version, or the IPU ignores it. */
	t->tk->pid = 100;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, t->nr_ev, 6);
	KUNIT_EXPECT_EQ(test, t->ev[5].type, OAE_EV_TASK_GONE);
	KUNIT_EXPECT_EQ(test, t->ev[5].args[OAE_TASK_ARG_PID], 100);
	KUNIT_EXPECT_GT(test, t->ev[5].args[OAE_TASK_GONE_ARG_VERSION], v3);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), -ENOENT);
	KUNIT_EXPECT_EQ(test, table().size, 0);

	/* Tasks the IPU cannot place: refused, nothing posted. */
	head = atomic64_read(&t->od.ring_head);
	t->tk->pid = 0;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ERANGE);
	t->tk->pid = OAE_TASK_PID_MAX + 1;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ERANGE);
	t->tk->pid = 100;
	cpumask_clear(&t->mask);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ERANGE);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->od.ring_head), head);
	KUNIT_EXPECT_EQ(test, table().size, 0);
	KUNIT_EXPECT_EQ(test, stats().runnable, 4);
	KUNIT_EXPECT_EQ(test, stats().gone, 2);
	KUNIT_EXPECT_EQ(test, table().high_water, 2);
}

static void sched_table_full(struct kunit *test)
{
	struct sched_test *t = test->priv;
	int pid, fails = 0;
	u64 head;

	for (pid = 1; pid <= OAE_SCHED_CUSTODY_MAX; pid++) {
		t->tk->pid = pid;
		if (OFF(oae_sched_runnable(t->tk)))
			fails++;
		ipu_poll(t);	/* keep the ring drained */
	}
	KUNIT_EXPECT_EQ(test, fails, 0);
	KUNIT_EXPECT_EQ(test, table().size, OAE_SCHED_CUSTODY_MAX);

	head = atomic64_read(&t->od.ring_head);
	t->tk->pid = OAE_SCHED_CUSTODY_MAX + 1;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->od.ring_head), head);
	KUNIT_EXPECT_EQ(test, table().size, OAE_SCHED_CUSTODY_MAX);
	KUNIT_EXPECT_EQ(test, table().full, 1);
	/* A task already in custody is still updated. */
	t->tk->pid = 5;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), 0);
	/* A slot freed is a slot reused. */
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);
	t->tk->pid = OAE_SCHED_CUSTODY_MAX + 1;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), 0);
	KUNIT_EXPECT_EQ(test, table().size, OAE_SCHED_CUSTODY_MAX);
	KUNIT_EXPECT_EQ(test, table().high_water, OAE_SCHED_CUSTODY_MAX);
}

/* No scheduling device, or a dead IPU: decide locally, custody still drops. */
static void sched_no_device(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick;

	make_runnable(test, t);
	oae_sched_unbind(&t->od);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -ENODEV);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_complete(0, &pick)), -ENODEV);
	t->tk->pid = 200;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ENODEV);
	KUNIT_EXPECT_EQ(test, table().size, 1);
	t->tk->pid = 100;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), -ENODEV);
	KUNIT_EXPECT_EQ(test, table().size, 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), -ENOENT);

	/* Only one scheduling device at a time. */
	KUNIT_ASSERT_EQ(test, oae_sched_bind(&t->od), 0);
	KUNIT_EXPECT_EQ(test, oae_sched_bind(&t->od), -EBUSY);

	/* The IPU stops: runnable refuses without inserting. */
	oae_st64(&t->od.hdr->ipu_state, OAE_IPU_HALTED);
	oae_link_tick(&t->od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ENODEV);
	KUNIT_EXPECT_EQ(test, table().size, 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -ENODEV);
}

static void sched_pick_commit(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick = {};
	u64 v = make_runnable(test, t);
	struct oae_link_ctx *ctx = my_link(t);

	t->status = OAE_ANSWER_OK;
	t->answer[OAE_PICK_ANSWER_PID] = 100;
	t->answer[OAE_PICK_ANSWER_VERSION] = v;
	t->answer[OAE_PICK_ANSWER_SLICE_NS] = TEST_SLICE_NS;
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -EALREADY);
	/* Nothing to commit before the answer. */
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -EINVAL);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->answers, 1);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_complete(TEST_BUDGET_NS,
							  &pick)), 0);
	KUNIT_EXPECT_EQ(test, pick.pid, 100);
	KUNIT_EXPECT_EQ(test, pick.version, v);
	KUNIT_EXPECT_EQ(test, pick.slice_ns, TEST_SLICE_NS);
	KUNIT_EXPECT_EQ(test, pick.reserved, 0);
	KUNIT_EXPECT_GT(test, pick.rtt_ns, 0);
	/* Completing again gives the same answer. */
	memset(&pick, 0, sizeof(pick));
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_complete(0, &pick)), 0);
	KUNIT_EXPECT_EQ(test, pick.pid, 100);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -EALREADY);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 1);
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_DISPATCHED), 0);
	KUNIT_EXPECT_EQ(test, stats().dispatched, 1);
	KUNIT_EXPECT_EQ(test, stats().stale, 0);
	KUNIT_EXPECT_EQ(test, ctx->cnt.stale, 0);

	/* The task runs here and leaves custody before the report: fine. */
	answered_pick(test, t, 100, v);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_DISPATCHED), 0);
	KUNIT_EXPECT_EQ(test, stats().stale, 0);
	KUNIT_EXPECT_EQ(test, stats().committed, 2);
	KUNIT_EXPECT_EQ(test, stats().offered, 2);
	KUNIT_EXPECT_EQ(test, stats().answered, 2);
	/* The next pick starts clean. */
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_WITHDRAWN)), 0);
}

enum commit_case {
	CC_NEW_VERSION,
	CC_OTHER_TASK,
	CC_LEFT_CUSTODY,
	CC_AFFINITY,
	CC_PINNED,
	CC_PINNED_HERE,
	CC_MAX,
};

static const struct {
	const char *name;
	int ret;
	enum oae_abort_reason reason;
} commit_cases[CC_MAX] = {
	[CC_NEW_VERSION]  = { "new_version", -ESTALE, OAE_ABORT_STALE_OBJECT },
	[CC_OTHER_TASK]   = { "other_task", -ESTALE, OAE_ABORT_STALE_OBJECT },
	[CC_LEFT_CUSTODY] = { "left_custody", -ESTALE, OAE_ABORT_STALE_OBJECT },
	[CC_AFFINITY]	  = { "affinity", -EACCES, OAE_ABORT_AFFINITY },
	[CC_PINNED]	  = { "pinned_elsewhere", -EXDEV, OAE_ABORT_PINNED },
	[CC_PINNED_HERE]  = { "pinned_here", 0, OAE_ABORT_NONE },
};

/* Each commit-time check on its own: it aborts with its reason, or commits. */
static void sched_commit_checks(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct task_struct *other;
	int c, ret, cpu;
	u64 v, before;

	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	*other = *t->tk;
	other->pid = 101;
	for (c = 0; c < CC_MAX; c++) {
		kunit_info(test, "case %s\n", commit_cases[c].name);
		cpumask_setall(&t->mask);
		t->tk->migration_disabled = 0;
		v = make_runnable(test, t);
		answered_pick(test, t, 100, v);
		cpu = raw_smp_processor_id();
		before = my_link(t)->cnt.aborted[commit_cases[c].reason];
		switch (c) {
		case CC_NEW_VERSION:
			make_runnable(test, t);
			break;
		case CC_LEFT_CUSTODY:
			KUNIT_ASSERT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);
			break;
		case CC_AFFINITY:
			cpumask_clear_cpu(cpu, &t->mask);
			break;
		case CC_PINNED:
			t->tk->migration_disabled = 1;
			task_thread_info(t->tk)->cpu = cpu + 1;
			break;
		case CC_PINNED_HERE:
			t->tk->migration_disabled = 1;
			task_thread_info(t->tk)->cpu = cpu;
			break;
		}
		ret = OFF(oae_sched_pick_commit(c == CC_OTHER_TASK ? other :
							       t->tk));
		KUNIT_EXPECT_EQ(test, ret, commit_cases[c].ret);
		if (commit_cases[c].reason == OAE_ABORT_NONE)
			KUNIT_EXPECT_EQ(test, my_link(t)->cnt.committed, 1);
		else
			KUNIT_EXPECT_EQ(test,
					my_link(t)->cnt.aborted[commit_cases[c].reason],
					before + 1);
		if (!ret)
			KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_LOST_RACE), 0);
		/* Settled on both sides; the CPU may offer again. */
		ipu_poll(t);
		KUNIT_EXPECT_EQ(test, t->commits + t->aborts, c + 1);
		KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), 0);
		KUNIT_EXPECT_EQ(test,
				OFF(oae_sched_pick_abort(OAE_ABORT_WITHDRAWN)), 0);
		ipu_poll(t);
	}
	KUNIT_EXPECT_EQ(test, t->commits, 1);
	KUNIT_EXPECT_EQ(test, stats().lost_race, 1);
	KUNIT_EXPECT_EQ(test, stats().stale, 0);
}

/*
 * The IPU picks a task the host no longer holds (its GONE was lost): the
 * abort is followed by a new GONE so the IPU stops offering it. A task
 * still held under a newer version needs nothing of the kind.
 */
static void sched_ghost_forgotten(struct kunit *test)
{
	struct sched_test *t = test->priv;
	unsigned int first;
	u64 v;

	t->tk->pid = 777;
	v = make_runnable(test, t);
	answered_pick(test, t, 777, v);
	/* Out of custody with its GONE lost. */
	KUNIT_ASSERT_EQ(test, OFF(oae_custody_gone(NULL, 0, 777)), -ENODEV);
	first = t->nr_ev;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -ESTALE);
	ipu_poll(t);
	KUNIT_ASSERT_EQ(test, t->nr_ev, first + 1);
	KUNIT_EXPECT_EQ(test, t->ev[first].type, OAE_EV_TASK_GONE);
	KUNIT_EXPECT_EQ(test, t->ev[first].args[OAE_TASK_ARG_PID], 777);
	KUNIT_EXPECT_GT(test, t->ev[first].args[OAE_TASK_GONE_ARG_VERSION], v);
	KUNIT_EXPECT_EQ(test, table().forgotten, 1);
	KUNIT_EXPECT_EQ(test, table().size, 0);

	v = make_runnable(test, t);
	answered_pick(test, t, 777, v);
	make_runnable(test, t);
	first = t->nr_ev;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -ESTALE);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->nr_ev, first);
	KUNIT_EXPECT_EQ(test, table().forgotten, 1);
}

/* The caller's own reasons, and calls out of order. */
static void sched_abort_and_misuse(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick;
	u64 v = make_runnable(test, t);

	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_complete(0, &pick)), -EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_NOT_QUEUED)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, enforced(t, 0), -EINVAL);
	answered_pick(test, t, 100, v);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_NONE)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			OFF(oae_sched_pick_abort(OAE_ABORT_REASON_MAX + 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_NOT_QUEUED)),
			0);
	KUNIT_EXPECT_EQ(test, my_link(t)->cnt.aborted[OAE_ABORT_NOT_QUEUED], 1);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->aborts, 1);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -EINVAL);

	/* Before an answer only a withdrawal. */
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_AFFINITY)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_WITHDRAWN)), 0);

	/* Bad outcome, and a report with nothing committed. */
	answered_pick(test, t, 100, v);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), 0);
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_OUTCOME_MAX + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_DISPATCHED), 0);
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_DISPATCHED), -EINVAL);
	KUNIT_EXPECT_EQ(test, stats().dispatched, 1);
}

/* A silent IPU costs the budget, and the swap counts as withdrawn. */
static void sched_withdraw(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_link_ctx *ctx = my_link(t);
	struct oae_sched_pick pick;
	u64 took;
	int ret;

	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	took = ktime_get_ns();
	ret = OFF(oae_sched_pick_complete(20 * NSEC_PER_USEC, &pick));
	took = ktime_get_ns() - took;
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, took, 20 * NSEC_PER_USEC);
	KUNIT_EXPECT_LT(test, took, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 1);

	/* Budget 0: one look. */
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_complete(0, &pick)),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 2);

	/* A budget beyond the maximum changes nothing: the pick stays open. */
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test,
			OFF(oae_sched_pick_complete(OAE_SCHED_BUDGET_MAX_NS + 1,
						    &pick)), -EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -EALREADY);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_WITHDRAWN)), 0);
	KUNIT_EXPECT_EQ(test, ctx->cnt.aborted[OAE_ABORT_WITHDRAWN], 3);
	KUNIT_EXPECT_EQ(test, stats().withdrawn, 2);
	KUNIT_EXPECT_EQ(test, ctx->cnt.committed, 0);
	/* The IPU never answers what was withdrawn before it looked. */
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->answers, 0);
}

static const struct {
	const char *name;
	u32 status;
	u64 pid, version, slice;
	int ret;
	enum oae_abort_reason reason;
} answer_cases[] = {
	{ "pid_zero", OAE_ANSWER_OK, 0, 1, TEST_SLICE_NS, -EPROTO,
	  OAE_ABORT_BAD_ANSWER },
	{ "pid_too_large", OAE_ANSWER_OK, OAE_TASK_PID_MAX + 1, 1,
	  TEST_SLICE_NS, -EPROTO, OAE_ABORT_BAD_ANSWER },
	{ "version_zero", OAE_ANSWER_OK, 100, 0, TEST_SLICE_NS, -EPROTO,
	  OAE_ABORT_BAD_ANSWER },
	{ "slice_short", OAE_ANSWER_OK, 100, 1, OAE_SCHED_SLICE_MIN_NS - 1,
	  -EPROTO, OAE_ABORT_BAD_ANSWER },
	{ "slice_long", OAE_ANSWER_OK, 100, 1, OAE_SCHED_SLICE_MAX_NS + 1,
	  -EPROTO, OAE_ABORT_BAD_ANSWER },
	{ "empty", OAE_ANSWER_EMPTY, 0, 0, 0, -ENOENT, OAE_ABORT_DECLINED },
	{ "slice_min", OAE_ANSWER_OK, 100, 1, OAE_SCHED_SLICE_MIN_NS, 0,
	  OAE_ABORT_NONE },
};

/* Malformed answers are aborted and counted, never handed to BPF. */
static void sched_bad_answers(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick;
	unsigned int i;
	u64 before;
	int ret;

	for (i = 0; i < ARRAY_SIZE(answer_cases); i++) {
		kunit_info(test, "case %s\n", answer_cases[i].name);
		t->status = answer_cases[i].status;
		t->answer[OAE_PICK_ANSWER_PID] = answer_cases[i].pid;
		t->answer[OAE_PICK_ANSWER_VERSION] = answer_cases[i].version;
		t->answer[OAE_PICK_ANSWER_SLICE_NS] = answer_cases[i].slice;
		before = my_link(t)->cnt.aborted[answer_cases[i].reason];
		memset(&pick, 0, sizeof(pick));
		KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
		ipu_poll(t);
		ret = OFF(oae_sched_pick_complete(TEST_BUDGET_NS, &pick));
		KUNIT_EXPECT_EQ(test, ret, answer_cases[i].ret);
		if (ret) {
			KUNIT_EXPECT_EQ(test, pick.pid, 0);
			KUNIT_EXPECT_EQ(test,
					my_link(t)->cnt.aborted[answer_cases[i].reason],
					before + 1);
		} else {
			KUNIT_EXPECT_EQ(test,
					OFF(oae_sched_pick_abort(OAE_ABORT_STALE_OBJECT)),
					0);
		}
		ipu_poll(t);
	}
	KUNIT_EXPECT_EQ(test, stats().bad_answer, 5);
	KUNIT_EXPECT_EQ(test, stats().empty, 1);
	KUNIT_EXPECT_EQ(test, t->commits, 0);
}

/* An epoch change ends the pick in every phase: nothing is enforced. */
static void sched_epoch_ends_pick(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_sched_pick pick;
	u64 v = make_runnable(test, t);

	answered_pick(test, t, 100, v);
	oae_link_renew(&t->od);
	KUNIT_EXPECT_EQ(test, READ_ONCE(t->od.state), OAE_STATE_ATTACHING);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -ENODEV);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), -EINVAL);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), -ENODEV);
	test_ack(test, t);

	/* Offered, then the epoch changes before the answer. */
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	oae_link_renew(&t->od);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_complete(0, &pick)), -ENODEV);
	test_ack(test, t);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_offer()), 0);
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_pick_abort(OAE_ABORT_WITHDRAWN)), 0);
	KUNIT_EXPECT_EQ(test, my_link(t)->cnt.committed, 0);
	KUNIT_EXPECT_EQ(test, stats().epoch_ended, 2);
}

/* A new epoch gets every task in custody again, with its version. */
static void sched_replay(struct kunit *test)
{
	struct sched_test *t = test->priv;
	u64 v[3], seen[3] = {};
	unsigned int i, j;

	for (i = 0; i < 3; i++) {
		t->tk->pid = 300 + i;
		v[i] = make_runnable(test, t);
	}
	t->tk->pid = 301;
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_gone(t->tk)), 0);
	oae_link_renew(&t->od);
	/* Refused while attaching: the caller runs it locally. */
	t->tk->pid = 400;
	KUNIT_EXPECT_EQ(test, OFF(oae_sched_runnable(t->tk)), -ENODEV);
	t->nr_ev = 0;
	test_ack(test, t);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->nr_ev, 2);
	for (i = 0; i < min_t(unsigned int, t->nr_ev, TEST_EVENTS); i++) {
		KUNIT_EXPECT_EQ(test, t->ev[i].type, OAE_EV_TASK_RUNNABLE);
		j = t->ev[i].args[OAE_TASK_ARG_PID] - 300;
		if (j < 3)
			seen[j] = t->ev[i].args[OAE_TASK_ARG_VERSION];
	}
	KUNIT_EXPECT_EQ(test, seen[0], v[0]);
	KUNIT_EXPECT_EQ(test, seen[1], 0);
	KUNIT_EXPECT_EQ(test, seen[2], v[2]);
	KUNIT_EXPECT_EQ(test, table().replayed, 2);
	/* Posts resume in the new epoch. */
	t->tk->pid = 400;
	make_runnable(test, t);
	KUNIT_EXPECT_EQ(test, table().size, 3);
}

/* Runs while the engine replays, after the kfuncs' table was replayed. */
static int late_replay(struct oae_dev *od, struct oae_custody_user *user)
{
	struct sched_test *t = container_of(user, struct sched_test, late);

	t->tk->pid = 100;
	t->late_gone = OFF(oae_sched_gone(t->tk));
	t->tk->pid = 500;
	t->late_runnable = OFF(oae_sched_runnable(t->tk));
	return 0;
}

/*
 * A task leaving custody after the replay but before the epoch is up
 * still reaches the IPU, or the IPU would keep a task the host dropped.
 */
static void sched_gone_while_replaying(struct kunit *test)
{
	struct sched_test *t = test->priv;
	u64 v = make_runnable(test, t);

	t->late.replay = late_replay;
	oae_custody_register(&t->od, &t->late);
	oae_link_renew(&t->od);
	t->nr_ev = 0;
	test_ack(test, t);
	oae_custody_unregister(&t->od, &t->late);
	ipu_poll(t);
	KUNIT_EXPECT_EQ(test, t->late_gone, 0);
	/* Nothing new enters custody before the epoch is up. */
	KUNIT_EXPECT_EQ(test, t->late_runnable, -ENODEV);
	KUNIT_ASSERT_EQ(test, t->nr_ev, 2);
	KUNIT_EXPECT_EQ(test, t->ev[0].type, OAE_EV_TASK_RUNNABLE);
	KUNIT_EXPECT_EQ(test, t->ev[0].args[OAE_TASK_ARG_VERSION], v);
	KUNIT_EXPECT_EQ(test, t->ev[1].type, OAE_EV_TASK_GONE);
	KUNIT_EXPECT_EQ(test, t->ev[1].args[OAE_TASK_ARG_PID], 100);
	KUNIT_EXPECT_GT(test, t->ev[1].args[OAE_TASK_GONE_ARG_VERSION], v);
	KUNIT_EXPECT_EQ(test, table().size, 0);
}

/* A committed pick whose custody changed before enforcement is stale. */
static void sched_stale_counted(struct kunit *test)
{
	struct sched_test *t = test->priv;
	u64 v = make_runnable(test, t);

	answered_pick(test, t, 100, v);
	KUNIT_ASSERT_EQ(test, OFF(oae_sched_pick_commit(t->tk)), 0);
	make_runnable(test, t);		/* custody changed under the caller */
	KUNIT_EXPECT_EQ(test, enforced(t, OAE_SCHED_DISPATCHED), 0);
	KUNIT_EXPECT_EQ(test, stats().stale, 1);
	KUNIT_EXPECT_EQ(test, my_link(t)->cnt.stale, 1);
}

/* Policy and slice go out with the next epoch request, and only then. */
static void sched_policy_words(struct kunit *test)
{
	struct sched_test *t = test->priv;
	struct oae_dev *od = &t->od;
	u64 epoch = od->epoch;

	mutex_lock(&od->attach_lock);
	od->sched_policy = OAE_SCHED_POLICY_FIFO;
	od->sched_slice_ns = 2 * NSEC_PER_MSEC;
	oae_link_renew_locked(od);
	mutex_unlock(&od->attach_lock);
	KUNIT_EXPECT_EQ(test, od->epoch, epoch + 1);
	KUNIT_EXPECT_EQ(test, oae_ld64(&od->host->sched_policy),
			OAE_SCHED_POLICY_FIFO);
	KUNIT_EXPECT_EQ(test, oae_ld64(&od->host->sched_slice_ns),
			2 * NSEC_PER_MSEC);
	test_ack(test, t);

	/* A dead link keeps its epoch; the words wait for the recovery. */
	oae_st64(&od->hdr->ipu_state, OAE_IPU_HALTED);
	oae_link_tick(od);
	KUNIT_ASSERT_EQ(test, READ_ONCE(od->state), OAE_STATE_DEAD);
	mutex_lock(&od->attach_lock);
	od->sched_policy = OAE_SCHED_POLICY_VTIME;
	oae_link_renew_locked(od);
	mutex_unlock(&od->attach_lock);
	KUNIT_EXPECT_EQ(test, od->epoch, epoch + 1);
	KUNIT_EXPECT_EQ(test, oae_ld64(&od->host->sched_policy),
			OAE_SCHED_POLICY_FIFO);
}

static struct kunit_case oae_sched_cases[] = {
	KUNIT_CASE(sched_needs_irqs_off),
	KUNIT_CASE(sched_runnable_gone),
	KUNIT_CASE(sched_table_full),
	KUNIT_CASE(sched_no_device),
	KUNIT_CASE(sched_pick_commit),
	KUNIT_CASE(sched_commit_checks),
	KUNIT_CASE(sched_ghost_forgotten),
	KUNIT_CASE(sched_abort_and_misuse),
	KUNIT_CASE(sched_withdraw),
	KUNIT_CASE(sched_bad_answers),
	KUNIT_CASE(sched_epoch_ends_pick),
	KUNIT_CASE(sched_replay),
	KUNIT_CASE(sched_gone_while_replaying),
	KUNIT_CASE(sched_stale_counted),
	KUNIT_CASE(sched_policy_words),
	{}
};

static struct kunit_suite oae_sched_suite = {
	.name = "oae_sched",
	.init = sched_test_init,
	.exit = sched_test_exit,
	.test_cases = oae_sched_cases,
};

kunit_test_suite(oae_sched_suite);
