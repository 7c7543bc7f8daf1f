// SPDX-License-Identifier: GPL-2.0
/*
 * OAE_IOC_CUSTODY_TEST: custody that survives IPU restarts and new epochs.
 *
 * The run hands tokens to the IPU's echo policy (custody events) and takes
 * them back through swaps, keeping the host's view of the policy's state
 * (event sum, tokens in the pool). It registers a custody user whose
 * replay posts that view, so every new epoch starts the IPU's policy from
 * exactly what the host believes it holds. Every committed answer must
 * match the view (else stale), and the final drain must return exactly the
 * view's pool: nothing lost or duplicated across restarts (S3, S4).
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "oae_ipu.h"
#include "../uapi/linux/oae_ipu.h"

/* Drain swaps per attempt and attempts: bounded, whatever the IPU says. */
#define OAE_CUSTODY_DRAIN_SWAPS	64
#define OAE_CUSTODY_DRAIN_TRIES	200

struct oae_custody_run {
	struct oae_custody_user user;
	/* Orders the view against replay snapshots and commits. */
	raw_spinlock_t lock;
	u64 sum;			/* sum of every event value posted */
	u64 pool;			/* tokens the IPU's pool should hold */
	u64 replays;
	u32 cpu;
};

static int oae_custody_replay(struct oae_dev *od, struct oae_custody_user *u)
{
	struct oae_custody_run *run = container_of(u, struct oae_custody_run,
						   user);
	unsigned long flags;
	u64 args[OAE_EVENT_ARGS] = { 0 };
	int ret;

	raw_spin_lock_irqsave(&run->lock, flags);
	args[0] = run->sum;
	args[1] = run->pool;
	ret = oae_event_replay(od, OAE_EV_TEST, run->cpu, args);
	if (!ret)
		run->replays++;
	raw_spin_unlock_irqrestore(&run->lock, flags);
	return ret;
}

/*
 * One swap that takes up to @wanted tokens; returns the tokens granted
 * (0 when not committed). The enforcement contract of oae_ipu.h: under
 * the view's lock, check the answer (it reflects our payload, grants at
 * most what we asked and what the view says the pool holds), commit, and
 * only if the commit succeeded take the tokens out of the view. A replay
 * therefore sees the view either before or after the commit, never half.
 */
static u64 oae_custody_swap(struct oae_dev *od, int link,
			    struct oae_custody_run *run, u64 n, u64 wanted,
			    struct oae_custody_test *t)
{
	struct oae_offer offer = {
		.op = OAE_OP_ECHO,
		.payload = { n * 0x9e3779b97f4a7c15ULL, n, wanted },
	};
	struct oae_answer a;
	struct oae_ticket tk;
	unsigned long flags;
	u64 granted = 0, sum_seen = 0;
	int ret;

	t->swaps++;
	ret = oae_swap_start(od, link, &offer, &tk);
	if (!ret)
		ret = oae_swap_wait_sleepable(od, &tk, &a, NULL);
	if (!ret) {
		raw_spin_lock_irqsave(&run->lock, flags);
		if (a.word[0] != (offer.payload[0] ^ OAE_ECHO_XOR) ||
		    a.word[3] > wanted || a.word[3] > run->pool) {
			if (a.word[3] > run->pool)
				t->drain_mismatch++;
			oae_swap_abort(od, &tk, OAE_ABORT_STALE_OBJECT);
			ret = -ECANCELED;
		} else {
			ret = oae_swap_commit(od, &tk);
			if (!ret) {
				granted = a.word[3];
				run->pool -= granted;
				sum_seen = run->sum;
			}
		}
		raw_spin_unlock_irqrestore(&run->lock, flags);
	}
	if (!ret) {
		t->committed++;
		t->tokens_granted += granted;
		/* S4 across epochs: the answer saw the replayed view. */
		if (a.word[2] != sum_seen) {
			t->stale++;
			oae_count_stale(od, link);
		}
		return granted;
	}
	if (ret == -ENODEV || ret == -ESTALE)
		t->fallbacks++;
	else
		t->aborted++;
	return 0;
}

/* Learning the baseline: any answer that reflects our payload is taken. */
static bool oae_custody_accept(void *arg, const struct oae_answer *a)
{
	return a->word[0] == (*(u64 *)arg ^ OAE_ECHO_XOR);
}

/*
 * Start the view from what the IPU holds now: empty its pool (tokens a
 * previous run left there are not ours) and learn its event sum. Bounded
 * like the final drain.
 */
static int oae_custody_baseline(struct oae_dev *od, int link,
				struct oae_custody_run *run)
{
	u64 payload0 = 0x6261736500000000ULL;
	int try;

	for (try = 0; try < OAE_CUSTODY_DRAIN_TRIES; try++) {
		struct oae_swap_req req = {
			.offer = { .op = OAE_OP_ECHO,
				   .payload = { payload0, 0, U64_MAX } },
			.check = oae_custody_accept, .arg = &payload0,
		};
		int ret = oae_swap_sleepable(od, link, &req);
		int stop = oae_ioctl_should_stop(od);

		if (!ret && !req.answer.word[3]) {
			run->sum = req.answer.word[2];
			return 0;
		}
		if (stop)
			return stop;
		if (ret)	/* the IPU is down or slow: give it time */
			msleep_interruptible(20);
	}
	return -ETIMEDOUT;
}

int oae_ioc_custody_test(struct oae_dev *od, void __user *arg)
{
	struct oae_custody_run run = { .user.replay = oae_custody_replay };
	struct oae_custody_test t;
	unsigned long flags, end;
	int link, ret = 0, try;
	u64 n = 0;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	link = oae_link_of(od, OAE_CLASS_SCHED, t.cpu);
	if (link < 0 || !t.duration_ms || t.duration_ms > OAE_CUSTODY_MAX_MS ||
	    t.tokens_per_post > U32_MAX) {
		dev_dbg(od->dev, "custody test: invalid arguments\n");
		return -EINVAL;
	}
	memset(&t.swaps, 0, sizeof(t) - offsetof(struct oae_custody_test, swaps));
	raw_spin_lock_init(&run.lock);
	run.cpu = t.cpu;
	/*
	 * The view starts from the IPU's state, learned before the user is
	 * registered; a new epoch in between resets that state, so then it
	 * is learned again.
	 */
	for (;;) {
		t.epoch_first = READ_ONCE(od->epoch);
		ret = oae_custody_baseline(od, link, &run);
		if (ret)
			goto out_unregistered;
		oae_custody_register(od, &run.user);
		if (READ_ONCE(od->epoch) == t.epoch_first &&
		    READ_ONCE(od->state) == OAE_STATE_UP)
			break;
		oae_custody_unregister(od, &run.user);
	}

	end = jiffies + msecs_to_jiffies(t.duration_ms);
	while (time_before(jiffies, end)) {
		u64 args[OAE_EVENT_ARGS] = { ++n, t.tokens_per_post };

		raw_spin_lock_irqsave(&run.lock, flags);
		if (oae_event_post(od, OAE_EV_TEST, t.cpu, args)) {
			t.posts_refused++;
		} else {
			run.sum += n;
			run.pool += t.tokens_per_post;
			t.tokens_posted += t.tokens_per_post;
		}
		raw_spin_unlock_irqrestore(&run.lock, flags);
		oae_custody_swap(od, link, &run, n, t.tokens_per_post, &t);
		if (!(n & 255))
			cond_resched();
		ret = oae_ioctl_should_stop(od);
		if (ret)
			goto out;
	}

	/*
	 * Drain, bounded: an IPU that is down gets time to come back, one
	 * that keeps granting (a lie) cannot pin this thread.
	 */
	for (try = 0; try < OAE_CUSTODY_DRAIN_TRIES && READ_ONCE(run.pool);
	     try++) {
		u64 got = 0;
		int i;

		for (i = 0; i < OAE_CUSTODY_DRAIN_SWAPS && READ_ONCE(run.pool);
		     i++) {
			got = oae_custody_swap(od, link, &run, ++n, U64_MAX, &t);
			if (!got)
				break;
		}
		ret = oae_ioctl_should_stop(od);
		if (ret)
			goto out;
		if (!got)
			msleep_interruptible(20);
	}
out:
	oae_custody_unregister(od, &run.user);
out_unregistered:
	t.pool_left = run.pool;
	t.replays = run.replays;
	t.epoch_last = READ_ONCE(od->epoch);
	if (copy_to_user(arg, &t, sizeof(t)))
		return -EFAULT;
	return ret;
}
