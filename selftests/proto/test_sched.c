// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the scheduling policies (ipu-fw/policy/sched_vtime.c,
 * sched_fifo.c, sched_policy.h), called through the policy interface on
 * private instances:
 *  - vtime: picks in proportion to weight, sleeper placement;
 *  - fifo: oldest first, round robin;
 *  - both: affinity, capacity, malformed and stale host input counted and
 *    ignored, abort restores the whole state exactly, a custody event
 *    about a staged task supersedes the staging (no resurrection, no
 *    duplicate, commit keeps a re-queued task), two links aborting in
 *    either order, a new epoch empties, both chosen by name;
 *  - end to end through the IPU runtime on an in-memory window: events
 *    from the ring, picks over links, outcomes, a new epoch;
 *  - per epoch: the slice the host (or the IPU's --sched-slice-us) sets,
 *    the host switching policy (the switch empties the table, the replay
 *    rebuilds it), hostile sched_policy/sched_slice_ns counted in
 *    err_bad_epoch and ignored, and the header words saying what is
 *    served.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ipu_core.h"
#include "ipu_options.h"
#include "sched_policy.h"

#define ALL_CPUS	(~0ULL)
#define SLICE		1000000ULL	/* 1 ms in the private instances */

struct inst {
	struct oae_ipu_policy pol;
	struct oae_sched_state st;
	struct oae_sched_tables tab;
	struct oae_lock_stats locks;
	struct oae_policy_env env;
};

/* A copy of everything the policy owns, for exact comparisons. */
struct snap {
	struct oae_sched_state st;
	struct oae_sched_tables tab;
};

static struct inst *new_inst(int fifo)
{
	struct inst *in = calloc(1, sizeof(*in));

	assert_non_null(in);
	if (fifo)
		oae_sched_fifo_init(&in->pol, &in->st, &in->tab, SLICE);
	else
		oae_sched_vtime_init(&in->pol, &in->st, &in->tab, SLICE);
	in->env.locks = &in->locks;
	in->pol.start(in->pol.ctx, &in->env, 8);
	return in;
}

static void take(const struct inst *in, struct snap *s)
{
	/* Byte copies: padding compares equal too. */
	memcpy(&s->st, &in->st, sizeof(s->st));
	memcpy(&s->tab, &in->tab, sizeof(s->tab));
}

static int same(const struct inst *in, const struct snap *s)
{
	return !memcmp(&s->st, &in->st, sizeof(s->st)) &&
	       !memcmp(&s->tab, &in->tab, sizeof(s->tab));
}

static void ev(struct inst *in, oae_u32 type, oae_u64 a0, oae_u64 a1,
	       oae_u64 a2, oae_u64 a3)
{
	const oae_u64 args[OAE_EVENT_ARGS] = { a0, a1, a2, a3 };

	in->pol.event(in->pol.ctx, &in->env, type, 0, args);
}

static void runnable(struct inst *in, oae_u64 pid, oae_u64 weight,
		     oae_u64 cpus, oae_u64 version)
{
	ev(in, OAE_EV_TASK_RUNNABLE, pid, weight, cpus, version);
}

static void gone(struct inst *in, oae_u64 pid, oae_u64 version)
{
	ev(in, OAE_EV_TASK_GONE, pid, version, 0, 0);
}

/* Offer a pick for @cpu on @link: the pid answered, 0 for EMPTY. */
static oae_u64 pick(struct inst *in, oae_u32 link, oae_u64 cpu)
{
	struct oae_offer o = { .op = OAE_OP_SCHED_PICK, .payload = { cpu } };
	oae_u64 a[OAE_ANSWER_WORDS];
	enum oae_answer_status s;

	s = in->pol.answer(in->pol.ctx, &in->env, link, &o, a);
	if (s == OAE_ANSWER_EMPTY) {
		assert_int_equal(a[0] | a[1] | a[2] | a[3], 0);
		return 0;
	}
	assert_int_equal(s, OAE_ANSWER_OK);
	assert_int_not_equal(a[OAE_PICK_ANSWER_PID], 0);
	assert_int_not_equal(a[OAE_PICK_ANSWER_VERSION], 0);
	assert_int_equal(a[OAE_PICK_ANSWER_SLICE_NS], in->st.slice_ns);
	assert_int_equal(a[3], 0);
	return a[OAE_PICK_ANSWER_PID];
}

static enum oae_settle_report commit(struct inst *in, oae_u32 link)
{
	return in->pol.commit(in->pol.ctx, &in->env, link);
}

static enum oae_settle_report abort_(struct inst *in, oae_u32 link)
{
	return in->pol.abort(in->pol.ctx, &in->env, link);
}

static const struct oae_sched_task *task_of(const struct inst *in,
					    oae_u64 pid)
{
	unsigned int i;

	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		if (in->tab.task[i].state != OAE_TASK_FREE &&
		    in->tab.task[i].pid == pid)
			return &in->tab.task[i];
	return NULL;
}

/* Entries of @pid in @state: never more than one of anything. */
static unsigned int count_state(const struct inst *in, oae_u64 pid,
				oae_u32 state)
{
	unsigned int i, n = 0;

	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		n += in->tab.task[i].pid == pid &&
		     in->tab.task[i].state == state;
	return n;
}

/* Pick on cpu 0 until EMPTY, committing each: the order, 0-terminated. */
static void drain(struct inst *in, oae_u64 *order, unsigned int max)
{
	unsigned int n = 0;

	while ((order[n] = pick(in, 0, 0))) {
		assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
		assert_true(++n < max);
	}
}

/* ---- vtime ------------------------------------------------------------ */

static void test_vtime_fair_by_weight(void **state)
{
	struct inst *in = new_inst(0);
	oae_u64 ver[3] = { 0, 1, 1 }, count[3] = { 0 }, pid;
	unsigned int i;
	double ratio;

	(void)state;
	runnable(in, 1, 1024, ALL_CPUS, 1);
	runnable(in, 2, 335, ALL_CPUS, 1);
	for (i = 0; i < 20000; i++) {
		pid = pick(in, i % 4, i % 64);
		assert_true(pid == 1 || pid == 2);
		assert_int_equal(commit(in, i % 4), OAE_SETTLE_OK);
		count[pid]++;
		runnable(in, pid, pid == 1 ? 1024 : 335, ALL_CPUS, ++ver[pid]);
	}
	ratio = (double)count[1] / (double)count[2];
	assert_true(ratio > 1024.0 / 335 * 0.98 && ratio < 1024.0 / 335 * 1.02);
	assert_int_equal(in->st.stats.bad_events + in->st.stats.stale_events, 0);
	free(in);
}

static void test_vtime_sleeper_placement(void **state)
{
	struct inst *in = new_inst(0);
	oae_u64 va = 1, vb = 1, vc = 1, pid, a_picks = 0, key_a;
	unsigned int i;

	(void)state;
	runnable(in, 1, 1024, ALL_CPUS, va);
	runnable(in, 2, 1024, ALL_CPUS, vb);
	for (i = 0; i < 10; i++) {
		pid = pick(in, 0, 0);
		commit(in, 0);
		runnable(in, pid, 1024, ALL_CPUS, pid == 1 ? ++va : ++vb);
	}
	/* A sleeps while B runs 200 slices alone. */
	gone(in, 1, ++va);
	key_a = task_of(in, 1)->key;
	for (i = 0; i < 200; i++) {
		assert_int_equal(pick(in, 0, 0), 2);
		commit(in, 0);
		runnable(in, 2, 1024, ALL_CPUS, ++vb);
	}
	assert_true(in->st.clock > key_a + SLICE);
	/* A wakes with at most one slice of credit, not 200. */
	runnable(in, 1, 1024, ALL_CPUS, ++va);
	assert_int_equal(task_of(in, 1)->key, in->st.clock - SLICE);
	/* A new task starts at min_vruntime. */
	runnable(in, 3, 1024, ALL_CPUS, vc);
	assert_int_equal(task_of(in, 3)->key, in->st.clock);
	for (i = 0; i < 30; i++) {
		pid = pick(in, 0, 0);
		commit(in, 0);
		a_picks += pid == 1;
		runnable(in, pid, 1024, ALL_CPUS,
			 pid == 1 ? ++va : pid == 2 ? ++vb : ++vc);
	}
	/* Three equal tasks: A gets about a third, B is not starved. */
	assert_true(a_picks >= 9 && a_picks <= 12);
	free(in);
}

/* ---- fifo ------------------------------------------------------------- */

static void test_fifo_order_round_robin(void **state)
{
	struct inst *in = new_inst(1);
	oae_u64 order[8];
	unsigned int round;

	(void)state;
	runnable(in, 30, 1024, ALL_CPUS, 1);
	runnable(in, 10, 88761, ALL_CPUS, 1);	/* weight does not matter */
	runnable(in, 20, 15, ALL_CPUS, 1);
	for (round = 2; round < 5; round++) {
		/* Each ran its slice and comes back: the order goes round. */
		assert_int_equal(pick(in, 0, 0), 30);
		commit(in, 0);
		runnable(in, 30, 1024, ALL_CPUS, round);
		assert_int_equal(pick(in, 0, 0), 10);
		commit(in, 0);
		runnable(in, 10, 88761, ALL_CPUS, round);
		assert_int_equal(pick(in, 0, 0), 20);
		commit(in, 0);
		runnable(in, 20, 15, ALL_CPUS, round);
	}
	/* A weight or affinity change keeps the place in the queue. */
	runnable(in, 10, 1024, ALL_CPUS, 9);
	drain(in, order, 8);
	assert_int_equal(order[0], 30);
	assert_int_equal(order[1], 10);
	assert_int_equal(order[2], 20);
	assert_int_equal(order[3], 0);
	free(in);
}

/* ---- both ------------------------------------------------------------- */

static void affinity(int fifo)
{
	struct inst *in = new_inst(fifo);
	oae_u64 pid, mask[8], ver[8] = { 0 };
	unsigned int i, cpu;

	for (i = 1; i < 8; i++) {
		mask[i] = 0x0101010101010101ULL << i;	/* CPUs i mod 8 */
		runnable(in, i, 1024 * i, mask[i], ++ver[i]);
	}
	/* CPU 0: nobody may run there. */
	assert_int_equal(pick(in, 0, 0), 0);
	for (i = 0; i < 5000; i++) {
		cpu = (i * 7) % 64;
		pid = pick(in, i % 3, cpu);
		if (!pid) {
			assert_int_equal(cpu % 8, 0);
			continue;
		}
		assert_true(mask[pid] >> cpu & 1);
		if (i % 5 == 0) {
			abort_(in, i % 3);
			continue;
		}
		commit(in, i % 3);
		runnable(in, pid, 1024 * pid, mask[pid], ++ver[pid]);
	}
	assert_int_equal(pick(in, 0, 63), 7);
	free(in);
}

static void test_affinity_vtime(void **state)
{
	(void)state;
	affinity(0);
}

static void test_affinity_fifo(void **state)
{
	(void)state;
	affinity(1);
}

static void capacity(int fifo)
{
	struct inst *in = new_inst(fifo);
	unsigned int i;

	for (i = 1; i <= OAE_SCHED_MAX_TASKS; i++)
		runnable(in, i, 1024, ALL_CPUS, 1);
	assert_int_equal(in->st.stats.full, 0);
	runnable(in, 5000, 1024, ALL_CPUS, 1);
	runnable(in, 5001, 1024, ALL_CPUS, 1);
	assert_int_equal(in->st.stats.full, 2);
	assert_null(task_of(in, 5000));
	/* One task leaves custody: its entry is reclaimed for a new one. */
	assert_int_not_equal(pick(in, 0, 3), 0);
	commit(in, 0);
	runnable(in, 5000, 1024, ALL_CPUS, 1);
	assert_int_equal(in->st.stats.full, 2);
	assert_int_equal(in->st.stats.evicted, 1);
	assert_int_equal(count_state(in, 5000, OAE_TASK_QUEUED), 1);
	free(in);
}

static void test_capacity_vtime(void **state)
{
	(void)state;
	capacity(0);
}

static void test_capacity_fifo(void **state)
{
	(void)state;
	capacity(1);
}

static void malformed(int fifo)
{
	struct inst *in = new_inst(fifo);
	struct oae_offer o = { .op = OAE_OP_SCHED_PICK };
	oae_u64 a[OAE_ANSWER_WORDS];
	struct snap before;
	unsigned int i;

	runnable(in, 1, 1024, ALL_CPUS, 5);
	take(in, &before);
	runnable(in, 0, 1024, ALL_CPUS, 1);			/* pid 0 */
	runnable(in, OAE_TASK_PID_MAX + 1, 1024, ALL_CPUS, 1);
	runnable(in, ~0ULL, 1024, ALL_CPUS, 1);
	runnable(in, 2, 0, ALL_CPUS, 1);			/* weight */
	runnable(in, 2, OAE_TASK_WEIGHT_MAX + 1, ALL_CPUS, 1);
	runnable(in, 2, ~0ULL, ALL_CPUS, 1);
	runnable(in, 2, 1024, 0, 1);				/* no cpu */
	runnable(in, 2, 1024, ALL_CPUS, 0);			/* version */
	gone(in, 0, 9);
	gone(in, 1, 0);
	ev(in, OAE_EV_TASK_GONE, 1, 9, 1, 0);			/* reserved */
	ev(in, OAE_EV_TASK_GONE, 1, 9, 0, 1);
	ev(in, OAE_EV_PAGE_ADD, 1, 1024, ALL_CPUS, 9);		/* type */
	ev(in, 0xffffffffu, 1, 1024, ALL_CPUS, 9);
	assert_int_equal(in->st.stats.bad_events, 14);
	/* Stale: not newer than what was applied, or an unknown pid. */
	runnable(in, 1, 2048, 1, 5);
	runnable(in, 1, 2048, 1, 4);
	gone(in, 1, 5);
	gone(in, 77, 9);
	assert_int_equal(in->st.stats.stale_events, 4);
	in->st.stats.bad_events = in->st.stats.stale_events = 0;
	assert_true(same(in, &before));

	/* Offers: cpu out of range, unknown flags, reserved words, op, link. */
	for (i = 0; i < 6; i++) {
		memset(&o, 0, sizeof(o));
		o.op = OAE_OP_SCHED_PICK;
		if (i == 0)
			o.payload[OAE_PICK_OFFER_CPU] = OAE_TASK_CPUS;
		if (i == 1)
			o.payload[OAE_PICK_OFFER_FLAGS] = 1;
		if (i == 2)
			o.payload[2] = 1;
		if (i == 3)
			o.payload[3] = 1ULL << 63;
		if (i == 4)
			o.op = OAE_OP_ECHO;
		memset(a, 0xff, sizeof(a));
		assert_int_equal(in->pol.answer(in->pol.ctx, &in->env,
						i == 5 ? OAE_MAX_LINKS : 0,
						&o, a),
				 OAE_ANSWER_REFUSED);
		assert_int_equal(a[0] | a[1] | a[2] | a[3], 0);
	}
	assert_int_equal(in->st.stats.bad_offers, 6);
	/* Settles of nothing, or of a link out of range. */
	assert_int_equal(commit(in, 0), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 1), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(commit(in, OAE_MAX_LINKS), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 0xffffffffu), OAE_SETTLE_NOT_STAGED);
	in->st.stats.bad_offers = 0;
	assert_true(same(in, &before));
	free(in);
}

static void test_malformed_vtime(void **state)
{
	(void)state;
	malformed(0);
}

static void test_malformed_fifo(void **state)
{
	(void)state;
	malformed(1);
}

static void abort_exact(int fifo)
{
	struct inst *in = new_inst(fifo);
	oae_u64 pid, first;
	struct snap before;
	unsigned int i;

	for (i = 1; i <= 20; i++)
		runnable(in, 100 + i, 100 * i, ALL_CPUS, 1);
	/* Some history: keys, clock, tickets all moved. */
	for (i = 0; i < 50; i++) {
		pid = pick(in, 0, i % 64);
		commit(in, 0);
		runnable(in, pid, 100 * (pid - 100), ALL_CPUS, 2 + i);
	}
	take(in, &before);
	first = pick(in, 3, 5);
	assert_int_equal(count_state(in, first, OAE_TASK_STAGED), 1);
	assert_false(same(in, &before));
	assert_int_equal(abort_(in, 3), OAE_SETTLE_OK);
	assert_true(same(in, &before));
	/* And the same task is picked again: it is back at its place. */
	assert_int_equal(pick(in, 3, 5), first);
	assert_int_equal(abort_(in, 3), OAE_SETTLE_OK);
	assert_true(same(in, &before));
	free(in);
}

static void test_abort_exact_vtime(void **state)
{
	(void)state;
	abort_exact(0);
}

static void test_abort_exact_fifo(void **state)
{
	(void)state;
	abort_exact(1);
}

static void superseded(int fifo)
{
	struct inst *in = new_inst(fifo);
	oae_u64 order[8];

	/* GONE for the staged task: abort does not resurrect it. */
	runnable(in, 1, 1024, ALL_CPUS, 1);
	runnable(in, 2, 1024, ALL_CPUS, 1);
	assert_int_equal(pick(in, 0, 0), 1);
	gone(in, 1, 2);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_int_equal(count_state(in, 1, OAE_TASK_QUEUED), 0);
	assert_int_equal(in->st.stats.superseded, 2);
	drain(in, order, 8);
	assert_int_equal(order[0], 2);
	assert_int_equal(order[1], 0);

	/* Newer RUNNABLE for the staged task: abort does not duplicate. */
	runnable(in, 1, 1024, ALL_CPUS, 3);
	runnable(in, 2, 1024, ALL_CPUS, 3);
	assert_int_equal(pick(in, 5, 0), fifo ? 1 : task_of(in, 1)->key <=
			 task_of(in, 2)->key ? 1 : 2);
	in->st.stats.superseded = 0;
	if (task_of(in, 1)->state == OAE_TASK_STAGED) {
		runnable(in, 1, 1024, ALL_CPUS, 4);
		assert_int_equal(abort_(in, 5), OAE_SETTLE_OK);
		assert_int_equal(count_state(in, 1, OAE_TASK_QUEUED), 1);
		assert_int_equal(task_of(in, 1)->version, 4);
	} else {
		runnable(in, 2, 1024, ALL_CPUS, 4);
		assert_int_equal(abort_(in, 5), OAE_SETTLE_OK);
		assert_int_equal(count_state(in, 2, OAE_TASK_QUEUED), 1);
		assert_int_equal(task_of(in, 2)->version, 4);
	}
	assert_int_equal(in->st.stats.superseded, 2);
	drain(in, order, 8);
	assert_true((order[0] == 1 && order[1] == 2) ||
		    (order[0] == 2 && order[1] == 1));
	assert_int_equal(order[2], 0);

	/* A stale RUNNABLE (old version) for a staged task changes nothing. */
	runnable(in, 1, 1024, ALL_CPUS, 9);
	assert_int_equal(pick(in, 0, 0), 1);
	runnable(in, 1, 1024, ALL_CPUS, 9);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_int_equal(count_state(in, 1, OAE_TASK_QUEUED), 1);
	free(in);
}

static void test_abort_superseded_vtime(void **state)
{
	(void)state;
	superseded(0);
}

static void test_abort_superseded_fifo(void **state)
{
	(void)state;
	superseded(1);
}

static void commit_requeued(int fifo)
{
	struct inst *in = new_inst(fifo);
	oae_u64 key;

	runnable(in, 1, 1024, ALL_CPUS, 1);
	assert_int_equal(pick(in, 2, 7), 1);
	/* The host committed, the task ran and is runnable again, and the
	 * IPU sees that RUNNABLE before the commit. */
	runnable(in, 1, 1024, ALL_CPUS, 2);
	key = task_of(in, 1)->key;
	assert_int_equal(commit(in, 2), OAE_SETTLE_OK);
	assert_int_equal(count_state(in, 1, OAE_TASK_QUEUED), 1);
	assert_int_equal(count_state(in, 1, OAE_TASK_OUT), 0);
	/* It ran: vtime charges it its slice, fifo keeps its new ticket. */
	assert_int_equal(task_of(in, 1)->key, fifo ? key : key + SLICE);
	assert_int_equal(pick(in, 2, 7), 1);
	/* A commit after GONE neither re-queues nor loses the history. */
	gone(in, 1, 3);
	assert_int_equal(commit(in, 2), OAE_SETTLE_OK);
	assert_int_equal(count_state(in, 1, OAE_TASK_OUT), 1);
	assert_int_equal(pick(in, 2, 7), 0);
	free(in);
}

static void test_commit_requeued_vtime(void **state)
{
	(void)state;
	commit_requeued(0);
}

static void test_commit_requeued_fifo(void **state)
{
	(void)state;
	commit_requeued(1);
}

static void two_links(int fifo)
{
	struct inst *in = new_inst(fifo);
	struct snap before;
	oae_u64 a, b;
	int order;

	runnable(in, 1, 1024, ALL_CPUS, 1);
	runnable(in, 2, 2048, ALL_CPUS, 1);
	runnable(in, 3, 512, ALL_CPUS, 1);
	take(in, &before);
	for (order = 0; order < 2; order++) {
		a = pick(in, 0, 1);
		b = pick(in, 1, 2);
		assert_true(a && b && a != b);
		assert_int_equal(abort_(in, order ? 1 : 0), OAE_SETTLE_OK);
		assert_int_equal(abort_(in, order ? 0 : 1), OAE_SETTLE_OK);
		assert_true(same(in, &before));
	}
	/* Commit one, abort the other: only the committed one left. */
	a = pick(in, 0, 1);
	b = pick(in, 1, 2);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_int_equal(commit(in, 1), OAE_SETTLE_OK);
	assert_int_equal(count_state(in, a, OAE_TASK_QUEUED), 1);
	assert_int_equal(count_state(in, b, OAE_TASK_OUT), 1);
	assert_int_equal(in->st.stats.superseded, 0);
	free(in);
}

static void test_two_links_vtime(void **state)
{
	(void)state;
	two_links(0);
}

static void test_two_links_fifo(void **state)
{
	(void)state;
	two_links(1);
}

static void reset(int fifo)
{
	struct inst *in = new_inst(fifo);
	unsigned int i;

	for (i = 1; i < 50; i++)
		runnable(in, i, 1024, ALL_CPUS, 1);
	assert_int_not_equal(pick(in, 4, 0), 0);
	in->pol.start(in->pol.ctx, &in->env, 8);
	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		assert_int_equal(in->tab.task[i].state, OAE_TASK_FREE);
	assert_int_equal(in->st.clock, 0);
	assert_int_equal(pick(in, 0, 0), 0);
	/* The old epoch's staging is gone with it. */
	assert_int_equal(commit(in, 4), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 4), OAE_SETTLE_NOT_STAGED);
	/* The host replays custody; old versions start over. */
	runnable(in, 7, 1024, ALL_CPUS, 1);
	assert_int_equal(pick(in, 4, 0), 7);
	free(in);
}

static void test_reset_vtime(void **state)
{
	(void)state;
	reset(0);
}

static void test_reset_fifo(void **state)
{
	(void)state;
	reset(1);
}

static void test_registry(void **state)
{
	static const char *const names[] = { "vtime", "fifo" };
	struct oae_ipu_options o;
	struct oae_lock_stats locks = { 0 };
	struct oae_policy_env env = { .locks = &locks };
	struct oae_offer off = { .op = OAE_OP_SCHED_PICK, .payload = { 9 } };
	oae_u64 args[OAE_EVENT_ARGS] = { 42, 1024, 1ULL << 9, 1 };
	oae_u64 a[OAE_ANSWER_WORDS];
	const struct oae_ipu_policy *p;
	char err[160], line[64];
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		p = oae_policy_find(names[i]);
		assert_non_null(p);
		assert_int_equal(p->role, OAE_ROLE_SCHED);
		assert_ptr_equal(p, i ? &oae_sched_fifo_policy :
				       &oae_sched_vtime_policy);
		oae_ipu_options_init(&o);
		strcpy(line, "--sched-policy ");
		strcat(line, names[i]);
		assert_int_equal(oae_ipu_options_parse(&o, line, err,
						       sizeof(err)), 0);
		assert_ptr_equal(o.policy[OAE_ROLE_SCHED], p);
		assert_int_equal(oae_ipu_options_parse(&o, i ?
				 "--mem-policy fifo" : "--test-policy vtime",
				 err, sizeof(err)), -1);
		/* The registered instance works, with the default slice. */
		p->start(p->ctx, &env, 4);
		p->event(p->ctx, &env, OAE_EV_TASK_RUNNABLE, 0, args);
		assert_int_equal(p->answer(p->ctx, &env, 3, &off, a),
				 OAE_ANSWER_OK);
		assert_int_equal(a[OAE_PICK_ANSWER_PID], 42);
		assert_int_equal(a[OAE_PICK_ANSWER_VERSION], 1);
		assert_int_equal(a[OAE_PICK_ANSWER_SLICE_NS],
				 OAE_SCHED_SLICE_NS);
		assert_int_equal(p->commit(p->ctx, &env, 3), OAE_SETTLE_OK);
		p->start(p->ctx, &env, 4);
	}
}

/* The slice an instance serves is set per epoch; 0 is its own default. */
static void slice_per_epoch(int fifo)
{
	struct inst *in = new_inst(fifo);
	struct oae_offer o = { .op = OAE_OP_SCHED_PICK };
	oae_u64 a[OAE_ANSWER_WORDS];
	const oae_u64 slice2 = 2 * SLICE;

	assert_int_equal(in->pol.set_slice(in->pol.ctx, &in->env, slice2),
			 slice2);
	in->pol.start(in->pol.ctx, &in->env, 8);
	runnable(in, 1, 1024, ALL_CPUS, 1);
	assert_int_equal(in->pol.answer(in->pol.ctx, &in->env, 0, &o, a),
			 OAE_ANSWER_OK);
	assert_int_equal(a[OAE_PICK_ANSWER_SLICE_NS], slice2);
	assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
	if (!fifo)	/* charged the epoch's slice */
		assert_int_equal(task_of(in, 1)->key, slice2);
	/* Out of range (the runtime checks first): the default, not it. */
	assert_int_equal(in->pol.set_slice(in->pol.ctx, &in->env,
					   OAE_SCHED_SLICE_MAX_NS + 1), SLICE);
	assert_int_equal(in->pol.set_slice(in->pol.ctx, &in->env,
					   OAE_SCHED_SLICE_MIN_NS - 1), SLICE);
	assert_int_equal(in->pol.set_slice(in->pol.ctx, &in->env, 0), SLICE);
	in->pol.start(in->pol.ctx, &in->env, 8);
	runnable(in, 1, 1024, ALL_CPUS, 1);
	assert_int_equal(in->st.slice_ns, SLICE);
	assert_int_equal(pick(in, 0, 0), 1);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	free(in);
}

static void test_slice_per_epoch_vtime(void **state)
{
	(void)state;
	slice_per_epoch(0);
}

static void test_slice_per_epoch_fifo(void **state)
{
	(void)state;
	slice_per_epoch(1);
}

/*
 * vtime with a longer slice: a sleeper's credit is one slice of the
 * epoch's, so it still cannot starve the task that kept running.
 */
static void test_vtime_sleeper_long_slice(void **state)
{
	struct inst *in = new_inst(0);
	const oae_u64 slice = 40 * SLICE;
	oae_u64 va = 1, vb = 1, pid, a_picks = 0;
	unsigned int i;

	(void)state;
	in->pol.set_slice(in->pol.ctx, &in->env, slice);
	in->pol.start(in->pol.ctx, &in->env, 8);
	runnable(in, 1, 1024, ALL_CPUS, va);
	runnable(in, 2, 1024, ALL_CPUS, vb);
	gone(in, 1, ++va);
	for (i = 0; i < 100; i++) {
		assert_int_equal(pick(in, 0, 0), 2);
		commit(in, 0);
		runnable(in, 2, 1024, ALL_CPUS, ++vb);
	}
	runnable(in, 1, 1024, ALL_CPUS, ++va);
	assert_int_equal(task_of(in, 1)->key, in->st.clock - slice);
	for (i = 0; i < 20; i++) {
		pid = pick(in, 0, 0);
		commit(in, 0);
		a_picks += pid == 1;
		runnable(in, pid, 1024, ALL_CPUS, pid == 1 ? ++va : ++vb);
	}
	/* One slice of credit: one pick ahead, then they alternate. */
	assert_true(a_picks >= 10 && a_picks <= 11);
	free(in);
}

/* ---- through the runtime ---------------------------------------------- */

#define WIN_SIZE	(1 << 20)
#define RIG_LINKS	2
#define RIG_NONCE(e)	((e) ^ 0x5363686564000000ULL)

static oae_u64 rig_now;

static oae_u64 rig_clock(void)
{
	return rig_now;
}

struct rig {
	void *win;
	struct oae_ipu ipu;
	struct inst *in;
	struct oae_geometry geo;
	struct oae_host_hdr *hh;
	struct oae_host_link hl[RIG_LINKS];
	struct oae_ring_producer ring;
};

static void rig_poll(struct rig *r)
{
	rig_now += 100000;
	oae_ipu_poll(&r->ipu, 0);
}

static void rig_attach(struct rig *r, oae_u64 epoch)
{
	oae_u64 boot_id;
	unsigned int i;

	/* What the host asks of this epoch: rig_ask() sets it beforehand. */
	for (i = 0; i < RIG_LINKS; i++)
		oae_host_link_init(&r->hl[i],
				   oae_geo_host_link(r->win, &r->geo, i),
				   oae_geo_ipu_link(r->win, &r->geo, i), i,
				   epoch, r->hl[i].seq);
	oae_ring_producer_init(&r->ring,
			       (void *)((char *)r->win + r->geo.ring_offset),
			       r->geo.ring_entries, &r->ipu.hdr->ring_consumed,
			       epoch, r->ring.head);
	oae_host_request_epoch(r->hh, epoch, RIG_NONCE(epoch), RIG_LINKS,
			       r->ring.head);
	for (i = 0; i < 10 && !oae_host_epoch_acked(r->ipu.hdr, epoch,
						    RIG_NONCE(epoch),
						    &boot_id); i++)
		rig_poll(r);
	assert_true(oae_host_epoch_acked(r->ipu.hdr, epoch, RIG_NONCE(epoch),
					 &boot_id));
	oae_host_set_state(r->hh, OAE_HOST_ATTACHED);
}

/* The host's scheduling words for the next epoch request. */
static void rig_ask(struct rig *r, oae_u64 policy, oae_u64 slice_ns)
{
	oae_st64(&r->hh->sched_policy, policy);
	oae_st64(&r->hh->sched_slice_ns, slice_ns);
}

/* What the IPU says it serves. */
static void rig_serves(struct rig *r, oae_u64 policy, oae_u64 slice_ns)
{
	assert_int_equal(oae_ld64(&r->ipu.hdr->ipu_sched_policy), policy);
	assert_int_equal(oae_ld64(&r->ipu.hdr->ipu_sched_slice_ns), slice_ns);
}

static struct rig *rig_new(void)
{
	struct rig *r = aligned_alloc(64, sizeof(*r));
	struct oae_ipu_config cfg = {
		.window_size = WIN_SIZE, .nr_links = RIG_LINKS, .nr_cores = 1,
		.ring_entries = 64, .now_ns = rig_clock,
	};

	assert_non_null(r);
	memset(r, 0, sizeof(*r));
	r->win = aligned_alloc(4096, WIN_SIZE);
	assert_non_null(r->win);
	memset(r->win, 0, WIN_SIZE);
	rig_now = 1;
	r->in = new_inst(0);
	cfg.policy[OAE_ROLE_SCHED] = &r->in->pol;
	assert_int_equal(oae_ipu_init(&r->ipu, r->win, &cfg), OAE_HDR_OK);
	oae_ipu_start(&r->ipu);
	assert_int_equal(oae_geometry_read(r->win, WIN_SIZE, &r->geo),
			 OAE_HDR_OK);
	r->hh = (void *)((char *)r->win + r->geo.host_hdr_offset);
	return r;
}

static void rig_post(struct rig *r, oae_u32 type, oae_u64 a0, oae_u64 a1,
		     oae_u64 a2, oae_u64 a3)
{
	oae_u64 args[OAE_EVENT_ARGS] = { a0, a1, a2, a3 };

	assert_int_equal(oae_ring_post(&r->ring, type, 0, args), 0);
}

static struct oae_answer rig_pick(struct rig *r, int link, oae_u64 cpu)
{
	struct oae_offer o = { .op = OAE_OP_SCHED_PICK, .payload = { cpu } };
	struct oae_answer a;

	oae_host_offer(&r->hl[link], &o, r->ring.head);
	rig_poll(r);
	assert_int_equal(oae_host_poll(&r->hl[link], &a), OAE_POLL_ANSWERED);
	return a;
}

static void rig_settle(struct rig *r, int link, int commit)
{
	oae_host_settle(&r->hl[link], commit,
			commit ? OAE_ABORT_NONE : OAE_ABORT_STALE_OBJECT);
	rig_poll(r);
}

static void test_through_runtime(void **state)
{
	struct rig *r = rig_new();
	struct oae_answer a;
	struct snap before;

	(void)state;
	rig_attach(r, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 11, 1024, 1ULL << 1, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 12, 2048, ALL_CPUS, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 13, 0, ALL_CPUS, 1);	/* bad */
	/* S4: the answer accounts for the events posted before the offer. */
	a = rig_pick(r, 0, 1);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 11);	/* tie: first */
	assert_int_equal(a.word[OAE_PICK_ANSWER_VERSION], 1);
	assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS], SLICE);
	assert_int_equal(r->in->st.stats.bad_events, 1);
	/* The other link, on CPU 5, gets the other task. */
	a = rig_pick(r, 1, 5);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 12);
	assert_int_equal(count_state(r->in, 11, OAE_TASK_STAGED), 1);
	rig_settle(r, 1, 0);
	rig_settle(r, 0, 0);
	/* Both aborted: the next pick is the same, abort leaves it all. */
	take(r->in, &before);
	a = rig_pick(r, 1, 1);
	rig_settle(r, 1, 0);
	assert_true(same(r->in, &before));
	a = rig_pick(r, 1, 5);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 12);
	rig_settle(r, 1, 1);
	assert_int_equal(count_state(r->in, 12, OAE_TASK_OUT), 1);
	/* A malformed offer is refused, a CPU nobody may use is EMPTY. */
	a = rig_pick(r, 0, 64);
	assert_int_equal(a.status, OAE_ANSWER_REFUSED);
	rig_settle(r, 0, 0);
	a = rig_pick(r, 0, 7);
	assert_int_equal(a.status, OAE_ANSWER_EMPTY);
	rig_settle(r, 0, 0);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	/* A new epoch empties the policy. */
	rig_attach(r, 2);
	assert_null(task_of(r->in, 11));
	a = rig_pick(r, 0, 1);
	assert_int_equal(a.status, OAE_ANSWER_EMPTY);
	rig_settle(r, 0, 0);
	free(r->in);
	free(r->win);
	free(r);
}

/*
 * The host asks for a slice per epoch; 0 is the IPU's own choice (here
 * the instance's SLICE), and the header says which is served.
 */
static void test_runtime_slice_per_epoch(void **state)
{
	struct rig *r = rig_new();
	struct oae_answer a;

	(void)state;
	rig_serves(r, 0, 0);	/* before any epoch */
	rig_ask(r, OAE_SCHED_POLICY_VTIME, 3 * SLICE);
	rig_attach(r, 1);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, 3 * SLICE);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 11, 1024, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 11);
	assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS], 3 * SLICE);
	rig_settle(r, 0, 1);
	assert_int_equal(task_of(r->in, 11)->key, 3 * SLICE);
	/* 0: the IPU's own choice again; the replay rebuilds the table. */
	rig_ask(r, OAE_SCHED_POLICY_DEFAULT, 0);
	rig_attach(r, 2);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, SLICE);
	assert_null(task_of(r->in, 11));
	rig_post(r, OAE_EV_TASK_RUNNABLE, 11, 1024, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 11);
	assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS], SLICE);
	rig_settle(r, 0, 0);
	/* The IPU's own slice (--sched-slice-us) when the host asks none. */
	r->ipu.cfg.sched_slice_ns = 7 * SLICE;
	rig_attach(r, 3);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, 7 * SLICE);
	rig_ask(r, OAE_SCHED_POLICY_VTIME, 2 * SLICE);
	rig_attach(r, 4);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, 2 * SLICE);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), 0);
	free(r->in);
	free(r->win);
	free(r);
}

static const struct oae_sched_state *registered_fifo(void)
{
	return oae_sched_fifo_policy.ctx;
}

static unsigned int queued_in(const struct oae_sched_task *task)
{
	unsigned int i, n = 0;

	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		n += task[i].state == OAE_TASK_QUEUED;
	return n;
}

/*
 * The host switches policy across epochs: the switch empties the table
 * (the old policy's too), the custody replay rebuilds it in the new one,
 * and 0 goes back to the IPU's start-up policy, empty again.
 */
static void test_runtime_policy_switch(void **state)
{
	struct rig *r = rig_new();
	struct oae_answer a;
	unsigned int i;

	(void)state;
	rig_attach(r, 1);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, SLICE);
	for (i = 1; i <= 3; i++)
		rig_post(r, OAE_EV_TASK_RUNNABLE, i, 1024 * i, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	/* Left staged: the new epoch settles it with the policy that staged
	 * it, before the switch. */
	rig_ask(r, OAE_SCHED_POLICY_FIFO, 0);
	rig_attach(r, 2);
	rig_serves(r, OAE_SCHED_POLICY_FIFO, OAE_SCHED_SLICE_NS);
	assert_int_equal(queued_in(r->in->tab.task), 0);
	assert_null(task_of(r->in, 1));
	assert_int_equal(queued_in(registered_fifo()->task), 0);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	/* Replay, in the host's order: fifo serves it oldest first. */
	rig_post(r, OAE_EV_TASK_RUNNABLE, 3, 3072, ALL_CPUS, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 1, 1024, ALL_CPUS, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 2, 2048, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(queued_in(registered_fifo()->task), 2);
	assert_null(task_of(r->in, 3));
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 3);
	assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS], OAE_SCHED_SLICE_NS);
	rig_settle(r, 0, 1);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 3, 3072, ALL_CPUS, 2);
	a = rig_pick(r, 1, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 1);
	rig_settle(r, 1, 0);	/* abort: 1 is back at the head */
	a = rig_pick(r, 1, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 1);
	rig_settle(r, 1, 1);
	a = rig_pick(r, 1, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 2);
	rig_settle(r, 1, 1);
	a = rig_pick(r, 1, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 3);	/* the tail */
	/* Staged across the switch back: settled by fifo, then emptied. */
	rig_ask(r, OAE_SCHED_POLICY_DEFAULT, 4 * SLICE);
	rig_attach(r, 3);
	rig_serves(r, OAE_SCHED_POLICY_VTIME, 4 * SLICE);
	assert_int_equal(queued_in(registered_fifo()->task), 0);
	assert_int_equal(registered_fifo()->stats.bad_offers, 0);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 5, 1024, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 5);
	assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS], 4 * SLICE);
	assert_non_null(task_of(r->in, 5));
	rig_settle(r, 0, 1);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), 0);
	free(r->in);
	free(r->win);
	free(r);
}

/*
 * A hostile host: every out-of-range sched_policy or sched_slice_ns is
 * counted in err_bad_epoch and replaced by the IPU's own choice; the
 * epoch is still served, and a good word beside a bad one still counts.
 */
static void test_runtime_hostile_sched_request(void **state)
{
	static const struct {
		oae_u64 policy, slice;
		unsigned int bad;
		oae_u64 serves, serves_slice;
	} req[] = {
		{ OAE_SCHED_POLICY_MAX + 1, 0, 1, OAE_SCHED_POLICY_VTIME, SLICE },
		{ ~0ULL, ~0ULL, 2, OAE_SCHED_POLICY_VTIME, SLICE },
		{ 1ULL << 32 | OAE_SCHED_POLICY_FIFO, 0, 1,
		  OAE_SCHED_POLICY_VTIME, SLICE },
		{ 0, OAE_SCHED_SLICE_MIN_NS - 1, 1, OAE_SCHED_POLICY_VTIME,
		  SLICE },
		{ 0, OAE_SCHED_SLICE_MAX_NS + 1, 1, OAE_SCHED_POLICY_VTIME,
		  SLICE },
		{ OAE_SCHED_POLICY_FIFO, 1, 1, OAE_SCHED_POLICY_FIFO,
		  OAE_SCHED_SLICE_NS },
		{ 77, OAE_SCHED_SLICE_MIN_NS, 1, OAE_SCHED_POLICY_VTIME,
		  OAE_SCHED_SLICE_MIN_NS },
		{ OAE_SCHED_POLICY_FIFO, OAE_SCHED_SLICE_MAX_NS, 0,
		  OAE_SCHED_POLICY_FIFO, OAE_SCHED_SLICE_MAX_NS },
	};
	struct rig *r = rig_new();
	struct oae_answer a;
	oae_u64 bad = 0;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		rig_ask(r, req[i].policy, req[i].slice);
		rig_attach(r, i + 1);
		bad += req[i].bad;
		assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), bad);
		rig_serves(r, req[i].serves, req[i].serves_slice);
		/* Served, with what it says. */
		rig_post(r, OAE_EV_TASK_RUNNABLE, 40 + i, 1024, ALL_CPUS, 1);
		a = rig_pick(r, 0, 0);
		assert_int_equal(a.status, OAE_ANSWER_OK);
		assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 40 + i);
		assert_int_equal(a.word[OAE_PICK_ANSWER_SLICE_NS],
				 req[i].serves_slice);
		rig_settle(r, 0, i & 1);
	}
	/* Counted once per request, not once per poll round. */
	for (i = 0; i < 10; i++)
		rig_poll(r);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), bad);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	rig_ask(r, 0, 0);
	rig_attach(r, 100);	/* leave the registered fifo empty */
	free(r->in);
	free(r->win);
	free(r);
}

/*
 * An IPU started with no scheduling policy refuses picks, unless the host
 * names one for the epoch: then it serves that one, and says so.
 */
static void test_runtime_sched_none_until_asked(void **state)
{
	struct rig *r = rig_new();
	struct oae_answer a;

	(void)state;
	r->ipu.cfg.policy[OAE_ROLE_SCHED] = NULL;
	r->ipu.policy[OAE_ROLE_SCHED] = NULL;
	r->ipu.sched_target = NULL;
	rig_attach(r, 1);
	rig_serves(r, 0, 0);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.status, OAE_ANSWER_REFUSED);
	rig_settle(r, 0, 0);
	rig_ask(r, OAE_SCHED_POLICY_FIFO, 0);
	rig_attach(r, 2);
	rig_serves(r, OAE_SCHED_POLICY_FIFO, OAE_SCHED_SLICE_NS);
	rig_post(r, OAE_EV_TASK_RUNNABLE, 9, 1024, ALL_CPUS, 1);
	a = rig_pick(r, 0, 0);
	assert_int_equal(a.word[OAE_PICK_ANSWER_PID], 9);
	rig_settle(r, 0, 1);
	rig_ask(r, 0, 0);
	rig_attach(r, 3);
	rig_serves(r, 0, 0);
	assert_int_equal(queued_in(registered_fifo()->task), 0);
	assert_int_equal(oae_ld64(&r->ipu.hdr->err_bad_epoch), 0);
	free(r->in);
	free(r->win);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtime_fair_by_weight),
		cmocka_unit_test(test_vtime_sleeper_placement),
		cmocka_unit_test(test_fifo_order_round_robin),
		cmocka_unit_test(test_affinity_vtime),
		cmocka_unit_test(test_affinity_fifo),
		cmocka_unit_test(test_capacity_vtime),
		cmocka_unit_test(test_capacity_fifo),
		cmocka_unit_test(test_malformed_vtime),
		cmocka_unit_test(test_malformed_fifo),
		cmocka_unit_test(test_abort_exact_vtime),
		cmocka_unit_test(test_abort_exact_fifo),
		cmocka_unit_test(test_abort_superseded_vtime),
		cmocka_unit_test(test_abort_superseded_fifo),
		cmocka_unit_test(test_commit_requeued_vtime),
		cmocka_unit_test(test_commit_requeued_fifo),
		cmocka_unit_test(test_two_links_vtime),
		cmocka_unit_test(test_two_links_fifo),
		cmocka_unit_test(test_reset_vtime),
		cmocka_unit_test(test_reset_fifo),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_through_runtime),
		cmocka_unit_test(test_slice_per_epoch_vtime),
		cmocka_unit_test(test_slice_per_epoch_fifo),
		cmocka_unit_test(test_vtime_sleeper_long_slice),
		cmocka_unit_test(test_runtime_slice_per_epoch),
		cmocka_unit_test(test_runtime_policy_switch),
		cmocka_unit_test(test_runtime_hostile_sched_request),
		cmocka_unit_test(test_runtime_sched_none_until_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
