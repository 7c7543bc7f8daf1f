// SPDX-License-Identifier: GPL-2.0
/*
 * OAE_IOC_POST_BENCH: what posting a custody event costs when many CPUs
 * post at once (tools/bench/bench_post.c runs one caller per CPU). The
 * lock-free path is the engine's own; OAE_POST_GLOBAL_LOCK adds the one
 * driver-wide lock every post used to take, for a side-by-side baseline.
 */
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "oae_ipu.h"
#include "../uapi/linux/oae_ipu.h"

static DEFINE_RAW_SPINLOCK(oae_post_bench_lock);

static int oae_post_one(struct oae_dev *od, u32 cpu, bool global_lock)
{
	u64 args[OAE_EVENT_ARGS] = { 0 };
	unsigned long flags;
	int ret;

	if (!global_lock)
		return oae_event_post(od, OAE_EV_TEST, cpu, args);
	raw_spin_lock_irqsave(&oae_post_bench_lock, flags);
	ret = oae_event_post(od, OAE_EV_TEST, cpu, args);
	raw_spin_unlock_irqrestore(&oae_post_bench_lock, flags);
	return ret;
}

int oae_ioc_post_bench(struct oae_dev *od, void __user *arg)
{
	struct oae_post_bench b;
	bool global_lock;
	u64 start, i;
	u32 cpu;
	int ret = 0;

	if (copy_from_user(&b, arg, sizeof(b)))
		return -EFAULT;
	if (!b.count || b.count > OAE_POST_MAX_COUNT ||
	    (b.flags & ~OAE_POST_FLAGS)) {
		dev_dbg(od->dev, "post bench: invalid arguments\n");
		return -EINVAL;
	}
	global_lock = b.flags & OAE_POST_GLOBAL_LOCK;
	b.posted = 0;
	b.full_retries = 0;
	/* Events name the posting CPU's link, as real posters do. */
	cpu = raw_smp_processor_id() % od->nr_links;
	start = ktime_get_ns();
	for (i = 0; i < b.count; i++) {
		ret = oae_post_one(od, cpu, global_lock);
		while (ret == -ENOSPC) {
			b.full_retries++;
			ret = oae_ioctl_should_stop(od);
			if (ret)
				goto out;
			cpu_relax();
			ret = oae_post_one(od, cpu, global_lock);
		}
		if (ret)
			goto out;	/* -ENODEV (IPU not up) or -EPROTO */
		b.posted++;
		if (!(i & 4095))
			cond_resched();
	}
out:
	b.elapsed_ns = ktime_get_ns() - start;
	if (copy_to_user(arg, &b, sizeof(b)))
		return -EFAULT;
	return ret;
}
