/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oae_ipu.ko internals shared between its source files.
 */
#ifndef _OAE_IPU_H
#define _OAE_IPU_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "proto.h"

/* The host's view of the link (sysfs "state"). */
enum oae_link_state {
	OAE_STATE_ATTACHING,	/* new epoch requested, waiting for the ack */
	OAE_STATE_REPLAYING,	/* acked: users replay custody, no swaps yet */
	OAE_STATE_UP,		/* swaps are offered to the IPU */
	OAE_STATE_DEAD,		/* IPU silent or stopped: local fallback */
	OAE_STATE_ERROR,	/* IPU came back with another geometry */
};

#define OAE_RTT_BUCKETS		40	/* log2(ns) histogram */

/* Per-link counters; written under the link lock, summed on read. */
struct oae_link_counters {
	u64 offered;
	u64 committed;
	u64 aborted[OAE_ABORT_REASON_MAX + 1];
	u64 fallbacks;
	u64 busy;
	u64 stale;
	u64 proto_err[OAE_POLL_MAX + 1];
	u64 rtt[OAE_RTT_BUCKETS];
};

/* One link: a host CPU's private channel to the IPU. */
struct oae_link_ctx {
	raw_spinlock_t lock;		/* serialises our half of the link */
	struct oae_host_link hl;
	bool busy;			/* a swap is open (split or sleeping) */
	u64 offer_epoch;		/* epoch the open swap was offered in */
	u64 offer_ns;
	struct oae_link_counters cnt;
} ____cacheline_aligned;

/* Event posting, per CPU: no line shared between posters but the head. */
struct oae_post_stats {
	u64 posted;
	u64 full;
	u64 errors;
};

struct oae_dev;

/*
 * A user of the engine that hands objects (tasks, pages, test tokens) to
 * the IPU's policy. After every new epoch is acked, and before any swap
 * is offered in it, the engine calls replay() in process context: the
 * user posts, with oae_event_replay(), every object the policy should
 * hold, because the IPU starts each epoch with an empty policy (S3).
 * Ordinary posts (oae_event_post()) are refused until replay is over, so
 * an object is posted either in the replay or after it, never twice; a
 * user serialises its own bookkeeping against its replay.
 */
struct oae_custody_user {
	struct list_head node;
	/* 0, or an errno: the engine then starts a new epoch (and replay). */
	int (*replay)(struct oae_dev *od, struct oae_custody_user *user);
};

/* One bound IPU: its PCI function, its window and its class device. */
struct oae_dev {
	struct pci_dev *pdev;
	struct device *dev;		/* /sys/class/oae/oaeN */
	int id;
	void *win;			/* the shared window (BAR2) */
	u64 win_size;
	struct oae_ipu_hdr *hdr;	/* IPU-written: untrusted */
	struct oae_host_hdr *host;	/* ours */
	struct oae_geometry geo;	/* validated once at probe */

	/*
	 * Link engine (oae_link.c). nr_links: links per class in use (host
	 * CPUs served); links[] is indexed like the window's link arrays,
	 * oae_link_index(&geo, class, cpu).
	 */
	u32 nr_links;
	struct oae_link_ctx *links;
	struct oae_event *ring;
	struct oae_post_stats __percpu *post_stats;
	int state;			/* enum oae_link_state */
	u64 epoch;
	u64 nonce;			/* of the current epoch request */
	u64 ipu_boot_id;		/* the IPU boot that acked the epoch */
	unsigned long attach_deadline;	/* jiffies: give up ATTACHING */
	struct oae_liveness lv;
	u64 last_ipu_heartbeat;		/* recovery: is it moving again? */
	u64 deaths;
	u64 restarts;			/* IPU restarts noticed while up */
	u64 replay_failures;		/* epochs abandoned: a replay failed */
	struct list_head custody_users;
	struct delayed_work hb_work;
	struct mutex attach_lock;	/* state transitions, custody_users */

	/* Tunables (sysfs). */
	u64 swap_timeout_ns;		/* wait bound before withdrawal */
	u32 heartbeat_ms;		/* liveness tick */
	u32 dead_threshold;		/* missed alternations before dead */

	struct dentry *debugfs;
	struct miscdevice ctl;
	char ctl_name[16];

	/* Every poster reserves here: kept off the lines above. */
	atomic64_t ring_head ____cacheline_aligned;
};

extern const struct attribute_group *oae_dev_groups[];

/* Swap requests from in-kernel users (scheduling, memory, tests). */
struct oae_swap_req {
	struct oae_offer offer;
	/*
	 * Commit-time check (S1), called under the link lock with the answer
	 * that reflects exactly our offer: true to enforce and commit, false
	 * to abort (the named objects changed custody). NULL accepts.
	 */
	bool (*check)(void *arg, const struct oae_answer *a);
	void *arg;
	/* Filled in. */
	struct oae_answer answer;
	enum oae_abort_reason reason;
	u64 rtt_ns;
};

/*
 * Results: 0 committed (answer enforced); -ECANCELED aborted by the check;
 * -ENOENT the IPU had nothing to decide; -ETIMEDOUT withdrawn at the wait
 * bound; -ENODEV the IPU is not up (decide locally); -EPROTO malformed
 * answer (aborted, counted); -EBUSY the link has a swap open; -EINTR
 * withdrawn on a signal (sleepable only).
 */
int oae_swap(struct oae_dev *od, u32 link, struct oae_swap_req *req);
int oae_swap_sleepable(struct oae_dev *od, u32 link, struct oae_swap_req *req);
int oae_swap_start(struct oae_dev *od, u32 link, struct oae_swap_req *req);
int oae_swap_complete(struct oae_dev *od, u32 link, struct oae_swap_req *req);

/* An enforced answer proved wrong afterwards (must never happen). */
void oae_count_stale(struct oae_dev *od, u32 link);

/*
 * Post a custody event (information only): 0, -ENOSPC, -ENODEV, -EPROTO.
 * Lock-free: many CPUs post at once (any context, IRQs on or off).
 */
int oae_event_post(struct oae_dev *od, u32 type, u32 link,
		   const u64 args[OAE_EVENT_ARGS]);
/* The same from a custody_user's replay(); allowed only while replaying. */
int oae_event_replay(struct oae_dev *od, u32 type, u32 link,
		     const u64 args[OAE_EVENT_ARGS]);
void oae_custody_register(struct oae_dev *od, struct oae_custody_user *user);
void oae_custody_unregister(struct oae_dev *od, struct oae_custody_user *user);
/* The window link of @cls for @cpu, or -EINVAL. */
int oae_link_of(struct oae_dev *od, u32 cls, u32 cpu);
/* Does @link name a link this host uses? */
bool oae_link_valid(struct oae_dev *od, u32 link);
void oae_post_stats_sum(struct oae_dev *od, struct oae_post_stats *sum);

int oae_link_init(struct oae_dev *od);
void oae_link_start(struct oae_dev *od);
void oae_link_exit(struct oae_dev *od);
const char *oae_link_state_name(int state);
void oae_link_counters_sum(struct oae_dev *od, struct oae_link_counters *sum);

void oae_debugfs_setup(void);
void oae_debugfs_cleanup(void);
int oae_debugfs_init(struct oae_dev *od);
void oae_debugfs_exit(struct oae_dev *od);
int oae_ioc_custody_test(struct oae_dev *od, void __user *arg);
int oae_ioc_post_bench(struct oae_dev *od, void __user *arg);
int oae_ctl_init(struct oae_dev *od);
void oae_ctl_exit(struct oae_dev *od);

#endif /* _OAE_IPU_H */
