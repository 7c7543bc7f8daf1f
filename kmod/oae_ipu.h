/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oae_ipu.ko internals shared between its source files.
 */
#ifndef _OAE_IPU_H
#define _OAE_IPU_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/sched/signal.h>
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

/*
 * Numbering bounds. The host seeds its epoch, swap numbers and ring
 * position from its own half of the window (never from IPU-written words)
 * and restarts a seed beyond these bounds, so nothing can wrap: swap
 * numbers are packed as seq << 8 in outcome_word (OAE_SEQ_MAX in link.h
 * is the last number offered), and the epoch only ever grows by one per
 * attach.
 */
#define OAE_EPOCH_LIMIT		(OAE_EPOCH_MAX + 1)
#define OAE_SEQ_LIMIT		(OAE_SEQ_MAX + 1)	/* seeds at or above restart */
#define OAE_RING_POS_LIMIT	BIT_ULL(62)

/* Spin budget of atomic-context waits (sysfs spin_budget_ns). */
#define OAE_SPIN_BUDGET_MIN_NS	100
#define OAE_SPIN_BUDGET_MAX_NS	(1000 * NSEC_PER_USEC)

/* Per-link counters; written under the link lock, summed on read. */
struct oae_link_counters {
	u64 offered;
	u64 committed;
	u64 aborted[OAE_ABORT_REASON_MAX + 1];
	u64 fallbacks;
	u64 busy;
	u64 stale;
	u64 stale_tickets;
	u64 proto_err[OAE_POLL_MAX + 1];
	u64 rtt[OAE_RTT_BUCKETS];
};

/* Where a link's open swap is. */
enum oae_swap_phase {
	OAE_SWAP_IDLE,		/* no swap open: a start may offer */
	OAE_SWAP_OFFERED,	/* offer published, no valid answer seen */
	OAE_SWAP_ANSWERED,	/* answer seen; the holder commits or aborts */
};

/*
 * One link: a host CPU's private channel to the IPU. Allocated one per
 * cache line (oae_link_init()), so links never share one.
 */
struct oae_link_ctx {
	raw_spinlock_t lock;		/* serialises our half of the link */
	struct oae_host_link hl;
	enum oae_swap_phase phase;
	u64 offer_ns;
	struct oae_answer answer;	/* valid in OAE_SWAP_ANSWERED */
	u64 rtt_ns;
	struct oae_link_counters cnt;
} ____cacheline_aligned;

/* Event posting, per CPU: no line shared between posters but the head. */
struct oae_post_stats {
	u64 posted;
	u64 full;
	u64 errors;
};

struct oae_dev;
struct oae_mem_dev;

/* Warnings raised with interrupts off, printed later by the heartbeat. */
enum oae_late_warning {
	OAE_WARN_BAD_ANSWER,
	OAE_WARN_RING_TAIL,
};

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

/*
 * One bound IPU: its PCI function, its window and its class device.
 * Reference counted: probe holds one reference, each open /dev/oaeN file
 * another, so an ioctl never finds it freed. remove() sets @gone and waits
 * for every user of the window (@users), which it unmaps on return.
 */
struct oae_dev {
	struct kref kref;
	struct pci_dev *pdev;
	struct device *dev;		/* /sys/class/oae/oaeN */
	int id;
	bool gone;			/* removed: ioctls return -ENODEV */
	struct rw_semaphore users;	/* read: uses the window; write: remove */
	void *win;			/* the shared window (BAR2) */
	u64 win_size;
	struct oae_ipu_hdr *hdr;	/* IPU-written: untrusted */
	struct oae_host_hdr *host;	/* ours */
	struct oae_geometry geo;	/* validated once at probe */

	/*
	 * Link engine (oae_link.c). nr_links: host CPUs with links, one per
	 * class each; links[] is indexed like the window's link arrays,
	 * oae_link_index(&geo, class, cpu), geo.nr_links of them.
	 */
	u32 nr_links;
	struct oae_link_ctx **links;	/* one cache-line-aligned object each */
	struct oae_event *ring;
	struct oae_post_stats __percpu *post_stats;
	int state;			/* enum oae_link_state */
	u64 epoch;			/* ours; never read back from the IPU */
	u64 nonce;			/* of the current epoch request */
	u64 ipu_boot_id;		/* the IPU boot that acked the epoch */
	struct oae_liveness lv;
	u32 attach_ticks;		/* liveness ticks spent attaching */
	unsigned long next_tick;	/* jiffies: next liveness tick */
	u64 last_ipu_heartbeat;		/* recovery: is it moving again? */
	u64 deaths;
	u64 restarts;			/* numbering seeds beyond their bound */
	u64 ipu_restarts;		/* IPU restarts noticed while up */
	u64 replay_failures;		/* epochs abandoned: a replay failed */
	struct list_head custody_users;
	struct delayed_work hb_work;
	unsigned long late_warnings;	/* OAE_WARN_* left for hb_work */
	struct mutex attach_lock;	/* state transitions, custody_users */

	/* Tunables (sysfs). */
	u64 swap_timeout_ns;		/* sleepable wait bound */
	u64 spin_budget_ns;		/* default atomic wait budget */
	u32 heartbeat_ms;		/* liveness tick */
	u32 dead_threshold;		/* missed alternations before dead */
	/*
	 * Scheduling policy and slice asked of the IPU (sysfs sched_policy,
	 * sched_slice_us), written to the host header with every epoch
	 * request. Changed only under attach_lock.
	 */
	u32 sched_policy;		/* enum oae_sched_policy_id */
	u64 sched_slice_ns;		/* 0: the IPU's default */

	struct oae_mem_dev *mem;	/* oae_mem.c: /dev/oae_memN */

	struct dentry *debugfs;
	struct miscdevice ctl;
	char ctl_name[16];

	/* Every poster reserves here: kept off the lines above. */
	atomic64_t ring_head ____cacheline_aligned;
};

extern const struct attribute_group *oae_dev_groups[];

/*
 * A sysfs tunable: a u32 or u64 field at @offset in the struct @base
 * returns for the device (oae_tunable_in_dev(): struct oae_dev), and
 * its valid range. A write out of range is logged and refused (EINVAL).
 */
struct oae_tunable_attr {
	struct device_attribute attr;
	void *(*base)(struct device *dev);
	size_t offset;
	size_t size;
	u64 min;
	u64 max;
};

void *oae_tunable_in_dev(struct device *dev);
ssize_t oae_tunable_show(struct device *dev, struct device_attribute *attr,
			 char *buf);
ssize_t oae_tunable_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count);

void oae_dev_put(struct oae_dev *od);

/*
 * Swaps.
 *
 * A swap is a ticket: oae_swap_start() offers and returns one. Only the
 * holder of the link's current ticket can poll, commit or abort the swap;
 * any other ticket (already settled, withdrawn, ended by an epoch change,
 * or never issued) is refused with -ESTALE and changes nothing. A ticket is
 * plain data: store it anywhere (a BPF map, a per-CPU slot) and finish the
 * swap from another callback on the same device.
 *
 * One swap is open per link. A start on a link with a swap open returns
 * -EBUSY, even if its holder abandoned it: only the holder's commit or
 * abort, or the next epoch (the IPU's death and recovery, or a driver
 * reload), ends it. A holder can always abort, whatever the link's state.
 *
 * Sequence (all non-blocking, safe with interrupts off and under the rq
 * lock; the link's raw spinlock is held only inside each call):
 *   oae_swap_start()    offer: 0 and a ticket, or why not
 *   oae_swap_poll()     -EAGAIN while pending; 0 with the answer, which
 *                       reflects exactly the offer; or the swap is over
 *   (the caller checks the answer under its own locks)
 *   oae_swap_commit()   publish COMMIT; or oae_swap_abort() with a reason
 *
 * Enforcement contract (S1): enforce an answer only after oae_swap_commit()
 * returned 0 for its ticket, and keep the objects it names locked by your
 * own locks from your check until you enforced:
 *   lock; check the answer; if (!oae_swap_commit()) enforce; else abort
 *   or fall back; unlock.
 * commit returns -ESTALE if the ticket ended after the poll (epoch
 * change): then the IPU reverts, and the caller must not enforce. COMMIT is
 * published only for exactly the ticket given.
 *
 * Every call needs the device bound: remove() unmaps the window once the
 * ioctls it waits for are done, so in-kernel users stop before that.
 */
struct oae_ticket {
	u32 link;
	u64 epoch;
	u64 seq;
};

/*
 * Start: 0 and *@t; -EINVAL bad link or op; -ENODEV the IPU is not up
 * (decide locally); -EBUSY the link has a swap open.
 */
int oae_swap_start(struct oae_dev *od, u32 link, const struct oae_offer *offer,
		   struct oae_ticket *t);
/*
 * Poll once: 0 answered (*@a valid; commit or abort next; polling again
 * returns the same answer); -EAGAIN pending. The swap is over (aborted,
 * counted) on -ENOENT the IPU had nothing to decide; -EPROTO malformed
 * answer; -ENODEV the IPU is not up (withdrawn). -ESTALE: not the current
 * ticket. @rtt_ns, if not NULL, gets the round trip once answered.
 */
int oae_swap_poll(struct oae_dev *od, const struct oae_ticket *t,
		  struct oae_answer *a, u64 *rtt_ns);
/* 0: COMMIT published, enforce. -ESTALE: do not; -EINVAL: not answered yet. */
int oae_swap_commit(struct oae_dev *od, const struct oae_ticket *t);
/*
 * Abort with @reason (OAE_ABORT_WITHDRAWN before an answer, any reason
 * after): 0, -ESTALE, or -EINVAL for OAE_ABORT_NONE or an unknown reason.
 */
int oae_swap_abort(struct oae_dev *od, const struct oae_ticket *t,
		   enum oae_abort_reason reason);
/*
 * Wait for the answer by spinning (atomic context): at most @budget_ns
 * (0: the device's spin_budget_ns; above OAE_SPIN_BUDGET_MAX_NS: -EINVAL,
 * nothing changed), then withdraw: -ETIMEDOUT. Otherwise as oae_swap_poll()
 * without -EAGAIN. Never spins for the sleepable wait bound.
 */
int oae_swap_wait(struct oae_dev *od, const struct oae_ticket *t,
		  struct oae_answer *a, u64 budget_ns, u64 *rtt_ns);
/*
 * Wait sleeping between polls, up to swap_timeout_ns after the offer
 * (-ETIMEDOUT) or a fatal signal (-EINTR); both withdraw.
 */
int oae_swap_wait_sleepable(struct oae_dev *od, const struct oae_ticket *t,
			    struct oae_answer *a, u64 *rtt_ns);

/*
 * The callback form, for callers that need no lock of their own around
 * the commit: start, wait, check, commit or abort, in one call.
 */
struct oae_swap_req {
	struct oae_offer offer;
	/*
	 * Commit-time check (S1), called in the caller's context, outside
	 * the link lock (it may sleep in oae_swap_sleepable()), with the
	 * answer that reflects exactly our offer: true to commit, false to
	 * abort (the named objects changed custody). NULL accepts. The
	 * caller enforces only when the call returns 0.
	 */
	bool (*check)(void *arg, const struct oae_answer *a);
	void *arg;
	u64 budget_ns;			/* oae_swap(): spin budget, 0 default */
	/* Filled in. */
	struct oae_ticket ticket;
	struct oae_answer answer;
	enum oae_abort_reason reason;	/* OAE_ABORT_NONE when committed */
	u64 rtt_ns;
};

/*
 * Results: 0 committed (enforce the answer); -ECANCELED aborted by the
 * check; -ENOENT the IPU had nothing to decide; -ETIMEDOUT withdrawn at the
 * budget or wait bound; -ENODEV the IPU is not up or the epoch changed
 * (decide locally); -EPROTO malformed answer (aborted, counted); -EBUSY the
 * link has a swap open; -EINTR withdrawn on a fatal signal (sleepable
 * only); -EINVAL bad arguments.
 */
int oae_swap(struct oae_dev *od, u32 link, struct oae_swap_req *req);
int oae_swap_sleepable(struct oae_dev *od, u32 link, struct oae_swap_req *req);

/* An enforced answer proved wrong afterwards (must never happen). */
void oae_count_stale(struct oae_dev *od, u32 link);

/*
 * Post a custody event (information only): 0, -ENOSPC, -ENODEV, -EPROTO,
 * -EINVAL. Lock-free: many CPUs post at once (any context, IRQs on or off).
 * @link names the posting CPU.
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

int oae_link_cache_init(void);
void oae_link_cache_exit(void);
int oae_link_init(struct oae_dev *od);
void oae_link_start(struct oae_dev *od);
void oae_link_tick(struct oae_dev *od);
void oae_link_renew(struct oae_dev *od);
void oae_link_renew_locked(struct oae_dev *od);
void oae_link_stop(struct oae_dev *od);
void oae_link_free(struct oae_dev *od);
const char *oae_link_state_name(int state);
void oae_link_counters_sum(struct oae_dev *od, struct oae_link_counters *sum);
void oae_link_class_counters_sum(struct oae_dev *od, u32 cls,
				 struct oae_link_counters *sum);

const char *oae_abort_name(u32 reason);
void oae_debugfs_setup(void);
void oae_debugfs_cleanup(void);
int oae_debugfs_init(struct oae_dev *od);
void oae_debugfs_exit(struct oae_dev *od);
int oae_ctl_init(struct oae_dev *od);
void oae_ctl_exit(struct oae_dev *od);
s64 oae_ctl_drain(struct oae_dev *od, u32 link, u64 *sum);

/*
 * Long test ioctls stop between steps when their caller is killed
 * (-EINTR) or the device is being removed (-ENODEV: remove() waits for
 * them); 0 to go on.
 */
static inline int oae_ioctl_should_stop(struct oae_dev *od)
{
	if (fatal_signal_pending(current))
		return -EINTR;
	if (READ_ONCE(od->gone))
		return -ENODEV;
	return 0;
}

int oae_ioc_custody_test(struct oae_dev *od, void __user *arg);
int oae_ioc_post_bench(struct oae_dev *od, void __user *arg);

#endif /* _OAE_IPU_H */
