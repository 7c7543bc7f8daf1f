// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/oaeN: the root-only control device. OAE_IOC_SWAP_TEST runs echo
 * swaps through the same engine the offloads use and checks every
 * committed answer end to end (see uapi/linux/oae_ipu.h). An open file
 * keeps struct oae_dev alive; once the device is removed every ioctl
 * returns -ENODEV.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "oae_ipu.h"
#include "../uapi/linux/oae_ipu.h"

#define OAE_RTT_SAMPLES		65536

struct oae_echo_check {
	u64 payload0;
	u64 wanted;
	u32 abort_every;
	u64 n;
};

/* Commit-time check: the answer must reflect our payload and be in range. */
static bool oae_echo_check(void *arg, const struct oae_answer *a)
{
	struct oae_echo_check *c = arg;

	if (a->word[0] != (c->payload0 ^ OAE_ECHO_XOR) || a->word[3] > c->wanted)
		return false;
	/* Model a custody change: the named object is no longer ours. */
	return !c->abort_every || c->n % c->abort_every;
}

static int oae_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The ticket form, as a caller that checks under its own locks uses it:
 * start, wait, inspect the answer, then commit or abort. Afterwards the
 * spent ticket must be refused by every call (t->ticket_errors otherwise).
 */
static int oae_test_split(struct oae_dev *od, struct oae_swap_test *t,
			  struct oae_swap_req *req)
{
	struct oae_answer again;
	int ret;

	ret = oae_swap_start(od, t->link, &req->offer, &req->ticket);
	if (ret)
		return ret;
	/* The caller would do other work here before it needs the answer. */
	ret = oae_swap_wait(od, &req->ticket, &req->answer, t->budget_ns,
			    &req->rtt_ns);
	if (!ret && !oae_echo_check(req->arg, &req->answer))
		ret = oae_swap_abort(od, &req->ticket, OAE_ABORT_STALE_OBJECT) ?:
		      -ECANCELED;
	else if (!ret)
		ret = oae_swap_commit(od, &req->ticket);
	if (ret == -ESTALE)
		return -ENODEV;	/* ended with its epoch: decide locally */
	if (oae_swap_commit(od, &req->ticket) != -ESTALE ||
	    oae_swap_abort(od, &req->ticket, OAE_ABORT_WITHDRAWN) != -ESTALE ||
	    oae_swap_poll(od, &req->ticket, &again, NULL) != -ESTALE)
		t->ticket_errors++;
	return ret;
}

static int oae_test_swap(struct oae_dev *od, struct oae_swap_test *t,
			 struct oae_swap_req *req)
{
	if (t->flags & OAE_TEST_SLEEP)
		return oae_swap_sleepable(od, t->link, req);
	if (t->flags & OAE_TEST_SPLIT)
		return oae_test_split(od, t, req);
	req->budget_ns = t->budget_ns;
	return oae_swap(od, t->link, req);
}

/* Withdrawn drains retried: an emulated IPU can miss many wait bounds. */
#define OAE_TEST_DRAIN_TRIES	64
/* One drain empties an honest pool; a second confirms it is empty. */
#define OAE_TEST_DRAIN_ROUNDS	16

/*
 * Take everything left in the IPU's pool: tokens taken, or <0. Bounded
 * and killable, so an IPU that always answers "more" cannot pin the
 * caller: -EOVERFLOW after OAE_TEST_DRAIN_ROUNDS, -EINTR on a fatal
 * signal, -ENODEV once the device is being removed; otherwise the swap's
 * own error.
 */
s64 oae_ctl_drain(struct oae_dev *od, u32 link, u64 *sum)
{
	u64 total = 0;
	int round, try, ret = 0;

	for (round = 0; round < OAE_TEST_DRAIN_ROUNDS; round++) {
		struct oae_echo_check c = { .wanted = U64_MAX };
		struct oae_swap_req req = {
			.offer = { .op = OAE_OP_ECHO,
				   .payload = { 0, 0, U64_MAX } },
			.check = oae_echo_check, .arg = &c,
		};

		for (try = 0; try < OAE_TEST_DRAIN_TRIES; try++) {
			ret = oae_ioctl_should_stop(od);
			if (ret)
				return ret;
			ret = oae_swap_sleepable(od, link, &req);
			if (ret != -ETIMEDOUT)
				break;
		}
		if (ret)
			return ret;
		*sum = req.answer.word[2];
		if (!req.answer.word[3])
			return total;
		total += req.answer.word[3];
	}
	return -EOVERFLOW;
}
EXPORT_SYMBOL_IF_KUNIT(oae_ctl_drain);

static int oae_ioc_swap_test(struct oae_dev *od, struct oae_swap_test __user *u)
{
	struct oae_swap_test t;
	u64 *rtt, nr_rtt = 0, base_sum = 0, posted_sum = 0;
	u64 start, i;
	bool fresh_ok;
	s64 drained;
	int ret = 0;

	if (copy_from_user(&t, u, sizeof(t)))
		return -EFAULT;
	if (!oae_link_valid(od, t.link) || !t.count || t.count > OAE_TEST_MAX_COUNT ||
	    (t.flags & ~OAE_TEST_FLAGS) ||
	    (t.flags & OAE_TEST_SPLIT && t.flags & OAE_TEST_SLEEP) ||
	    (t.flags & OAE_TEST_ABORT_EVERY && !t.abort_every) ||
	    t.budget_ns > OAE_TEST_MAX_BUDGET_NS) {
		dev_dbg(od->dev, "swap test: invalid arguments\n");
		return -EINVAL;
	}
	rtt = kvmalloc_array(OAE_RTT_SAMPLES, sizeof(*rtt), GFP_KERNEL);
	if (!rtt)
		return -ENOMEM;
	memset(&t.committed, 0, sizeof(t) - offsetof(struct oae_swap_test, committed));

	/* Start from an empty pool and learn the IPU's event sum. */
	drained = oae_ctl_drain(od, t.link, &base_sum);
	fresh_ok = drained >= 0;
	t.tokens_found = max_t(s64, drained, 0);

	start = ktime_get_ns();
	for (i = 0; i < t.count; i++) {
		struct oae_echo_check c = {
			.payload0 = i * 0x9e3779b97f4a7c15ULL, .wanted = t.tokens_wanted,
			.abort_every = t.flags & OAE_TEST_ABORT_EVERY ? t.abort_every : 0,
			.n = i + 1,
		};
		u64 args[OAE_EVENT_ARGS] = { i + 1, t.tokens_per_swap };
		struct oae_swap_req req = {
			.offer = { .op = OAE_OP_ECHO,
				   .payload = { c.payload0, i, t.tokens_wanted } },
			.check = oae_echo_check, .arg = &c,
		};

		if (READ_ONCE(od->gone)) {
			ret = -ENODEV;
			goto out;
		}
		if (!oae_event_post(od, OAE_EV_TEST,
				    t.link % od->geo.links_per_class, args)) {
			posted_sum += i + 1;
			t.tokens_posted += t.tokens_per_swap;
		}
		ret = oae_test_swap(od, &t, &req);
		if (req.rtt_ns && nr_rtt < OAE_RTT_SAMPLES)
			rtt[nr_rtt++] = req.rtt_ns;
		switch (ret) {
		case 0:
			t.committed++;
			t.tokens_granted += req.answer.word[3];
			/* S4/S1 end to end: the answer saw every event we posted. */
			if (fresh_ok && req.answer.word[2] != base_sum + posted_sum) {
				t.stale++;
				oae_count_stale(od, t.link);
			}
			break;
		case -ECANCELED:
			t.aborted++;
			break;
		case -ETIMEDOUT:
			t.withdrawn++;
			break;
		case -ENODEV:
			t.fallbacks++;
			fresh_ok = false;	/* the IPU may restart empty */
			break;
		case -EPROTO:
			t.protocol_errors++;
			break;
		case -ENOENT:
			t.declined++;
			break;
		default:	/* -EINTR, or a misuse the engine refused */
			goto out;
		}
		/* A swap may spin for a millisecond: let the liveness tick run. */
		cond_resched();
		if (signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
	}
	/* Conservation: whatever is left in the pool comes back now. */
	drained = oae_ctl_drain(od, t.link, &base_sum);
	if (drained > 0)
		t.tokens_granted += drained;
	/* A dead or slow IPU keeps its pool (found by the next run). */
	if (drained == -EOVERFLOW || drained == -EINTR)
		ret = drained;
	else if (READ_ONCE(od->gone))
		ret = -ENODEV;
	else
		ret = 0;
out:
	t.elapsed_ns = ktime_get_ns() - start;
	if (nr_rtt) {
		sort(rtt, nr_rtt, sizeof(*rtt), oae_cmp_u64, NULL);
		t.rtt_median_ns = rtt[nr_rtt / 2];
		t.rtt_p99_ns = rtt[nr_rtt * 99 / 100];
	}
	kvfree(rtt);
	if (copy_to_user(u, &t, sizeof(t)))
		return -EFAULT;
	return ret;
}

/* Each open file holds a reference: od outlives a removed device. */
static int oae_ctl_open(struct inode *inode, struct file *file)
{
	struct oae_dev *od = container_of(file->private_data, struct oae_dev,
					  ctl);

	kref_get(&od->kref);
	file->private_data = od;
	return 0;
}

static int oae_ctl_release(struct inode *inode, struct file *file)
{
	oae_dev_put(file->private_data);
	return 0;
}

static long oae_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct oae_dev *od = file->private_data;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* remove() waits for us before the window goes away. */
	down_read(&od->users);
	if (READ_ONCE(od->gone)) {
		ret = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case OAE_IOC_SWAP_TEST:
		ret = oae_ioc_swap_test(od, (void __user *)arg);
		break;
	case OAE_IOC_CUSTODY_TEST:
		ret = oae_ioc_custody_test(od, (void __user *)arg);
		break;
	case OAE_IOC_POST_BENCH:
		ret = oae_ioc_post_bench(od, (void __user *)arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
out:
	up_read(&od->users);
	return ret;
}

static const struct file_operations oae_ctl_fops = {
	.owner = THIS_MODULE,
	.open = oae_ctl_open,
	.release = oae_ctl_release,
	.unlocked_ioctl = oae_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int oae_ctl_init(struct oae_dev *od)
{
	snprintf(od->ctl_name, sizeof(od->ctl_name), "oae%d", od->id);
	od->ctl.minor = MISC_DYNAMIC_MINOR;
	od->ctl.name = od->ctl_name;
	od->ctl.fops = &oae_ctl_fops;
	od->ctl.mode = 0600;
	od->ctl.parent = od->dev;
	return misc_register(&od->ctl);
}

void oae_ctl_exit(struct oae_dev *od)
{
	misc_deregister(&od->ctl);
}
