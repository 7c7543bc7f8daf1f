// SPDX-License-Identifier: GPL-2.0
/*
 * The memory offload: /dev/oae_memN, a device whose mmap'd regions have
 * their page faults decided by the IPU (Documentation/oae_mem.rst).
 *
 * A region is one open file. Each of its pages is ABSENT (no data yet,
 * reads as zero), FAST (its data is in a fast-tier page, counted against
 * the device's budget) or SLOW (in the slow tier, standing for far
 * memory). A fault on a FAST page maps it at once. A fault on any other
 * page asks the memory policy, through a swap on the faulting CPU's
 * memory link, where the page goes, which fast pages leave for the slow
 * tier and which neighbours come into the fast tier with it. The host
 * checks the answer under its own lock (victims still FAST with the
 * version named, not pinned; bounds; the budget), commits, and enforces:
 * it copies, maps and zaps. Every page stays in the host's custody (S3):
 * the policy only ever names pages, by custody version.
 *
 * One mutex per device (md->lock) serialises faults, custody changes and
 * the replay, and is held across the swap: the offer's fast-tier count is
 * then exact when the answer is enforced, and the wait is killable. It is
 * a lock of this device alone; the scheduler never takes it.
 *
 * When the IPU is down, or its answer cannot be enforced, the same policy
 * code (ipu-fw/policy/mem_clock.c, compiled in here) decides locally from
 * the host's own instance, which is fed every custody event we post.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "oae_mem.h"
#include "mem_policy.h"

enum oae_mem_page_tier {
	OAE_PAGE_ABSENT,
	OAE_PAGE_FAST,
	OAE_PAGE_SLOW,
};

struct oae_mem_region;

/* One page of a region. */
struct oae_region_page {
	struct page *page;		/* NULL while ABSENT */
	u64 version;			/* custody version; 0 while ABSENT */
	struct hlist_node node;		/* md->fast, by version, while FAST */
	struct oae_mem_region *region;
	u32 index;
	u8 tier;			/* enum oae_mem_page_tier */
	bool prefetched;		/* brought in ahead, not touched yet */
};

/*
 * An open /dev/oae_memN file. Its own address_space holds its mappings,
 * so a page is unmapped everywhere (forks, second mmaps) with one
 * unmap_mapping_range() of this region alone.
 */
struct oae_mem_region {
	struct oae_mem_dev *md;
	struct address_space as;
	u32 id;				/* 1..OAE_MEM_REGION_MAX */
	u32 nr_pages;			/* 0 until the first mmap */
	struct oae_region_page *pages;
	struct work_struct release_work;	/* oae_mem_release() */
};

/* Region teardowns that found the device's lock held (module-wide). */
static struct workqueue_struct *oae_mem_wq;

#define OAE_MEM_FAST_HASH_BITS	10

struct oae_mem_dev {
	struct oae_dev *od;
	struct mutex lock;		/* everything below but the tunables */
	struct miscdevice misc;
	char name[24];
	bool registered;
	struct ida region_ida;
	struct oae_custody_user custody;
	struct work_struct resync_work;
	u64 version;			/* last custody version given */
	DECLARE_HASHTABLE(fast, OAE_MEM_FAST_HASH_BITS);	/* FAST pages */

	/* The host's instance of the policy: local decisions. */
	struct oae_ipu_policy local;
	struct oae_mem_state *local_state;
	struct oae_mem_tables *local_tables;
	struct oae_lock_stats __percpu *local_locks;	/* policy calls: one writer */

	/* Tunables (sysfs mem_*): read once per fault. */
	u32 budget;
	u32 window;
	u32 evict;			/* enum oae_mem_evict_mode */
	u32 prefetch;			/* enum oae_mem_prefetch_mode */
	u32 mode;			/* enum oae_mem_mode */
	u32 region_max_pages;
	bool sample;

	struct oae_mem_counters st;
	atomic64_t killed;		/* faults given up on a fatal signal */
	atomic64_t samples;		/* access samples posted */
};

/* The policy's view of the host: link 0 stages local decisions. */
#define OAE_MEM_LOCAL_LINK	0

/* ------------------------------------------------------------------ */
/* The local policy instance                                           */

/*
 * Every call into the host's instance runs with preemption off: the
 * policy's spinlock does not disable it, the sampler calls in from a
 * kprobe, and each CPU's lock counters then have a single writer. The
 * memory policy reads no clock (now_ns 0: "none").
 */
static void oae_mem_local_env(struct oae_mem_dev *md,
			      struct oae_policy_env *env)
{
	*env = (struct oae_policy_env){
		.core = smp_processor_id(),
		.locks = this_cpu_ptr(md->local_locks),
	};
}

static void oae_mem_local_event(struct oae_mem_dev *md, u32 type,
				const u64 args[OAE_EVENT_ARGS])
{
	struct oae_policy_env env;

	preempt_disable();
	oae_mem_local_env(md, &env);
	md->local.event(md->local.ctx, &env, type, OAE_MEM_LOCAL_LINK, args);
	preempt_enable();
}

static enum oae_answer_status oae_mem_local_answer(struct oae_mem_dev *md,
						   const struct oae_offer *o,
						   u64 w[OAE_ANSWER_WORDS])
{
	struct oae_policy_env env;
	enum oae_answer_status status;

	preempt_disable();
	oae_mem_local_env(md, &env);
	status = md->local.answer(md->local.ctx, &env, OAE_MEM_LOCAL_LINK, o,
				  w);
	preempt_enable();
	return status;
}

static void oae_mem_local_settle(struct oae_mem_dev *md, bool commit)
{
	struct oae_policy_env env;

	preempt_disable();
	oae_mem_local_env(md, &env);
	if (commit)
		md->local.commit(md->local.ctx, &env, OAE_MEM_LOCAL_LINK);
	else
		md->local.abort(md->local.ctx, &env, OAE_MEM_LOCAL_LINK);
	preempt_enable();
}

/* ------------------------------------------------------------------ */
/* Custody                                                             */

/* The memory link of this CPU, or -EINVAL. */
static int oae_mem_link(struct oae_mem_dev *md)
{
	return oae_link_of(md->od, OAE_CLASS_MEM, raw_smp_processor_id());
}

/* What an event names as its poster: this CPU, if it has links. */
static u32 oae_mem_poster(struct oae_mem_dev *md)
{
	u32 cpu = raw_smp_processor_id();

	return cpu < md->od->nr_links ? cpu : 0;
}

/*
 * Post one custody event: to our own policy instance always, to the IPU
 * when it is up. A post the ring refuses leaves the IPU behind us: ask
 * for a new epoch, whose replay sets it right. Caller holds md->lock and
 * od->users (read) or knows the device is gone.
 */
static void oae_mem_post(struct oae_mem_dev *md, u32 type, u64 page,
			 u64 version, u64 arg2)
{
	u64 args[OAE_EVENT_ARGS] = { page, version, arg2, 0 };
	struct oae_dev *od = md->od;
	int ret;

	lockdep_assert_held(&md->lock);
	oae_mem_local_event(md, type, args);
	if (READ_ONCE(od->gone))
		return;
	ret = oae_event_post(od, type, oae_mem_poster(md), args);
	if (ret && ret != -ENODEV) {
		md->st.post_failed++;
		schedule_work(&md->resync_work);
	}
}

static void oae_mem_resync(struct work_struct *work)
{
	struct oae_mem_dev *md = container_of(work, struct oae_mem_dev,
					      resync_work);

	/* Being removed: there is no IPU left to set right. */
	if (READ_ONCE(md->od->gone))
		return;
	mutex_lock(&md->lock);
	md->st.resyncs++;
	mutex_unlock(&md->lock);
	dev_warn_ratelimited(md->od->dev,
			     "memory custody event refused by the ring: new epoch to resynchronise\n");
	oae_link_renew(md->od);
}

static u64 oae_mem_page_word(const struct oae_region_page *p)
{
	return OAE_MEM_PAGE(p->region->id, p->index);
}

/* Pages per tier (debugfs, and the offer's resident count). */
static void oae_mem_count(struct oae_mem_dev *md, u8 tier, int delta)
{
	if (tier == OAE_PAGE_FAST)
		md->st.pages_fast += delta;
	else if (tier == OAE_PAGE_SLOW)
		md->st.pages_slow += delta;
}

/*
 * @p changed custody: its tier's count and index, a new version, and the
 * event that says so.
 */
static void oae_mem_set_tier(struct oae_mem_dev *md, struct oae_region_page *p,
			     u8 tier)
{
	if (p->tier == OAE_PAGE_FAST)
		hash_del(&p->node);
	oae_mem_count(md, p->tier, -1);
	oae_mem_count(md, tier, 1);
	p->tier = tier;
	p->version = ++md->version;
	if (tier == OAE_PAGE_FAST)
		hash_add(md->fast, &p->node, p->version);
	oae_mem_post(md, OAE_EV_PAGE_ADD, oae_mem_page_word(p), p->version,
		     tier == OAE_PAGE_FAST ? OAE_MEM_TIER_FAST :
					     OAE_MEM_TIER_SLOW);
}

/* The FAST page whose custody version is @version, or NULL. */
static struct oae_region_page *oae_mem_fast_find(struct oae_mem_dev *md,
						 u64 version)
{
	struct oae_region_page *p;

	hash_for_each_possible(md->fast, p, node, version)
		if (p->version == version && p->tier == OAE_PAGE_FAST)
			return p;
	return NULL;
}

/*
 * Every FAST page, for the IPU's new epoch. Ring space is freed as the
 * IPU applies events, so a full ring is waited out for a while.
 */
static int oae_mem_replay(struct oae_dev *od, struct oae_custody_user *user)
{
	struct oae_mem_dev *md = container_of(user, struct oae_mem_dev,
					      custody);
	unsigned long deadline = jiffies + 2 * HZ;
	u64 args[OAE_EVENT_ARGS];
	struct oae_region_page *p;
	int bkt, ret = 0;

	mutex_lock(&md->lock);
	hash_for_each(md->fast, bkt, p, node) {
		args[0] = oae_mem_page_word(p);
		args[1] = p->version;
		args[2] = OAE_MEM_TIER_FAST;
		args[3] = 0;
		while ((ret = oae_event_replay(od, OAE_EV_PAGE_ADD,
					       oae_mem_poster(md), args)) ==
		       -ENOSPC && time_before(jiffies, deadline))
			usleep_range(100, 200);
		if (ret)
			break;
		md->st.replayed++;
	}
	mutex_unlock(&md->lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Pages and tiers                                                     */

static struct page *oae_mem_alloc_page(struct oae_mem_dev *md)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);

	if (page)
		md->st.pages_allocated++;
	return page;
}

static void oae_mem_free_page(struct oae_mem_dev *md, struct page *page)
{
	md->st.pages_freed++;
	put_page(page);
}

/*
 * Take @p's page away from every mapping and every other user: unmap it,
 * then freeze its count at our one reference, so get_user_pages() can no
 * longer reach it and nothing still holds it. False: it is pinned (or
 * otherwise in use); it stays where it is, unmapped, and refaults.
 */
static bool oae_mem_isolate(struct oae_region_page *p)
{
	unmap_mapping_range(&p->region->as, (loff_t)p->index << PAGE_SHIFT,
			    PAGE_SIZE, 1);
	return folio_ref_freeze(page_folio(p->page), 1);
}

static void oae_mem_release_isolated(struct oae_region_page *p)
{
	folio_ref_unfreeze(page_folio(p->page), 1);
}

/* ------------------------------------------------------------------ */
/* Decisions                                                           */

/* What one answer asks, resolved to our pages and made ready. */
struct oae_mem_plan {
	u32 tier;				/* enum oae_mem_tier */
	u32 nr_victims;
	struct oae_region_page *victim[OAE_MEM_VICTIMS_MAX];
	struct page *victim_dst[OAE_MEM_VICTIMS_MAX];
	bool victim_isolated[OAE_MEM_VICTIMS_MAX];
	u32 nr_prefetch;
	struct oae_region_page *prefetch[OAE_MEM_WINDOW_MAX];	/* NULL: skip */
	struct page *prefetch_dst[OAE_MEM_WINDOW_MAX];
	bool prefetch_isolated[OAE_MEM_WINDOW_MAX];
	struct page *fault_dst;			/* NULL: stays where it is */
	bool fault_isolated;
	struct oae_region_page *pinned;		/* the victim that was pinned */
};

/* One fault, and the offer it makes. */
struct oae_mem_fault_ctx {
	struct oae_mem_region *r;
	struct oae_region_page *p;			/* the faulting page */
	struct oae_offer offer;
	u32 budget;
	u32 resident;
	u32 window;
};

static void oae_mem_build_offer(struct oae_mem_dev *md,
				struct oae_mem_fault_ctx *f, bool write)
{
	f->budget = READ_ONCE(md->budget);
	f->window = READ_ONCE(md->window);
	f->resident = md->st.pages_fast;
	f->offer = (struct oae_offer){ .op = OAE_OP_MEM_FAULT };
	f->offer.payload[OAE_MEM_OFFER_PAGE] = oae_mem_page_word(f->p);
	f->offer.payload[OAE_MEM_OFFER_FLAGS] =
		(write ? OAE_MEM_FAULT_WRITE : 0) |
		(f->p->tier == OAE_PAGE_SLOW ? OAE_MEM_FAULT_SLOW : 0);
	f->offer.payload[OAE_MEM_OFFER_FAST] =
		OAE_MEM_FAST_WORD(f->budget, f->resident);
	f->offer.payload[OAE_MEM_OFFER_KNOBS] =
		OAE_MEM_KNOBS_WORD(f->window, READ_ONCE(md->evict),
				   READ_ONCE(md->prefetch), f->r->nr_pages);
}

/*
 * An answer's words against the ABI and the offer they answer (the page
 * @index of a region of @region_pages, the fast tier's @budget and
 * @resident pages, the prefetch @window): OAE_ABORT_NONE or
 * OAE_ABORT_BAD_ANSWER. The IPU's answer is untrusted input: nothing in
 * it is used before this passed.
 */
VISIBLE_IF_KUNIT int oae_mem_check_words(u32 index, u32 region_pages,
					 u32 budget, u32 resident, u32 window,
					 const u64 w[OAE_ANSWER_WORDS])
{
	u64 d = w[OAE_MEM_ANSWER_DECISION];
	u32 tier = OAE_MEM_DECISION_TIER(d);
	u32 nv = OAE_MEM_DECISION_VICTIMS(d);
	u32 count = OAE_MEM_DECISION_COUNT(d);
	int stride = OAE_MEM_DECISION_STRIDE(d);
	u32 room = budget > resident ? budget - resident : 0;
	s64 last;
	u32 i, j;

	if (tier > OAE_MEM_TIER_MAX || nv > OAE_MEM_VICTIMS_MAX ||
	    count > window)
		return OAE_ABORT_BAD_ANSWER;
	if (count ? !stride || abs(stride) > OAE_MEM_STRIDE_MAX : stride)
		return OAE_ABORT_BAD_ANSWER;
	for (i = 0; i < OAE_MEM_VICTIMS_MAX; i++) {
		u64 v = w[OAE_MEM_ANSWER_VICTIM0 + i];

		if (i < nv ? !v : v)
			return OAE_ABORT_BAD_ANSWER;
		for (j = 0; j < i && i < nv; j++)
			if (w[OAE_MEM_ANSWER_VICTIM0 + j] == v)
				return OAE_ABORT_BAD_ANSWER;
	}
	last = (s64)index + (s64)count * stride;
	if (count && (last < 0 || last >= region_pages))
		return OAE_ABORT_BAD_ANSWER;
	if (count + (tier == OAE_MEM_TIER_FAST ? 1 : 0) > nv + room)
		return OAE_ABORT_BAD_ANSWER;
	return OAE_ABORT_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(oae_mem_check_words);

/* Undo oae_mem_prepare(): nothing moved, every page where it was. */
static void oae_mem_plan_release(struct oae_mem_dev *md,
				 struct oae_mem_fault_ctx *f,
				 struct oae_mem_plan *plan)
{
	u32 i;

	for (i = 0; i < plan->nr_victims; i++) {
		if (plan->victim_isolated[i])
			oae_mem_release_isolated(plan->victim[i]);
		if (plan->victim_dst[i])
			oae_mem_free_page(md, plan->victim_dst[i]);
	}
	for (i = 0; i < plan->nr_prefetch; i++) {
		if (plan->prefetch_isolated[i])
			oae_mem_release_isolated(plan->prefetch[i]);
		if (plan->prefetch_dst[i])
			oae_mem_free_page(md, plan->prefetch_dst[i]);
	}
	if (plan->fault_isolated)
		oae_mem_release_isolated(f->p);
	if (plan->fault_dst)
		oae_mem_free_page(md, plan->fault_dst);
}

/*
 * The commit-time check (S1) and everything enforcement needs, before the
 * commit: 0 (commit, then oae_mem_enforce() cannot fail), an abort reason
 * (nothing changed, *@plan released), or -ENOMEM.
 */
static int oae_mem_prepare(struct oae_mem_dev *md, struct oae_mem_fault_ctx *f,
			   const u64 w[OAE_ANSWER_WORDS],
			   struct oae_mem_plan *plan)
{
	u64 d = w[OAE_MEM_ANSWER_DECISION];
	struct oae_region_page *p = f->p;
	int reason, stride;
	u32 i, count;

	memset(plan, 0, sizeof(*plan));
	reason = oae_mem_check_words(p->index, f->r->nr_pages, f->budget,
				     f->resident, f->window, w);
	if (reason)
		return reason;
	plan->tier = OAE_MEM_DECISION_TIER(d);
	for (i = 0; i < OAE_MEM_DECISION_VICTIMS(d); i++) {
		plan->victim[i] = oae_mem_fast_find(md,
						    w[OAE_MEM_ANSWER_VICTIM0 + i]);
		if (!plan->victim[i])
			return OAE_ABORT_STALE_OBJECT;
		plan->nr_victims++;
	}
	count = OAE_MEM_DECISION_COUNT(d);
	stride = OAE_MEM_DECISION_STRIDE(d);
	for (i = 0; i < count; i++) {
		struct oae_region_page *q = &f->r->pages[p->index +
						      (s64)(i + 1) * stride];

		plan->prefetch[plan->nr_prefetch++] =
			q->tier == OAE_PAGE_FAST ? NULL : q;
	}

	/* Every page enforcement needs, so that it cannot fail. */
	for (i = 0; i < plan->nr_victims; i++) {
		plan->victim_dst[i] = oae_mem_alloc_page(md);
		if (!plan->victim_dst[i])
			goto nomem;
	}
	for (i = 0; i < plan->nr_prefetch; i++) {
		if (!plan->prefetch[i])
			continue;
		plan->prefetch_dst[i] = oae_mem_alloc_page(md);
		if (!plan->prefetch_dst[i])
			goto nomem;
	}
	if (plan->tier == OAE_MEM_TIER_FAST || p->tier == OAE_PAGE_ABSENT) {
		plan->fault_dst = oae_mem_alloc_page(md);
		if (!plan->fault_dst)
			goto nomem;
	}

	/* Pages that move must be nobody's but ours while they do. */
	for (i = 0; i < plan->nr_victims; i++) {
		plan->victim_isolated[i] = oae_mem_isolate(plan->victim[i]);
		if (!plan->victim_isolated[i]) {
			plan->pinned = plan->victim[i];
			reason = OAE_ABORT_PINNED;
			goto release;
		}
	}
	if (plan->tier == OAE_MEM_TIER_FAST && p->tier == OAE_PAGE_SLOW) {
		plan->fault_isolated = oae_mem_isolate(p);
		if (!plan->fault_isolated) {
			reason = OAE_ABORT_PINNED;
			goto release;
		}
	}
	/* A pinned neighbour is simply not prefetched. */
	for (i = 0; i < plan->nr_prefetch; i++) {
		struct oae_region_page *q = plan->prefetch[i];

		if (!q || q->tier != OAE_PAGE_SLOW)
			continue;
		plan->prefetch_isolated[i] = oae_mem_isolate(q);
		if (!plan->prefetch_isolated[i]) {
			oae_mem_free_page(md, plan->prefetch_dst[i]);
			plan->prefetch_dst[i] = NULL;
			plan->prefetch[i] = NULL;
		}
	}
	return 0;

nomem:
	reason = -ENOMEM;
release:
	oae_mem_plan_release(md, f, plan);
	return reason;
}

/* Move isolated @q's data to @dst and drop its old page. */
static void oae_mem_move(struct oae_mem_dev *md, struct oae_region_page *q,
			 struct page *dst)
{
	struct page *old = q->page;

	copy_highpage(dst, old);
	q->page = dst;
	folio_ref_unfreeze(page_folio(old), 1);
	oae_mem_free_page(md, old);
}

/* A committed plan: every step was made ready, none can fail. */
static void oae_mem_enforce(struct oae_mem_dev *md,
			    struct oae_mem_fault_ctx *f,
			    struct oae_mem_plan *plan)
{
	struct oae_region_page *p = f->p;
	u32 i;

	for (i = 0; i < plan->nr_victims; i++) {
		struct oae_region_page *v = plan->victim[i];

		/* Checked under md->lock, held since: cannot have changed. */
		if (WARN_ON_ONCE(v->tier != OAE_PAGE_FAST)) {
			md->st.stale++;
			continue;
		}
		oae_mem_move(md, v, plan->victim_dst[i]);
		v->prefetched = false;
		oae_mem_set_tier(md, v, OAE_PAGE_SLOW);
		md->st.evictions++;
	}

	if (plan->fault_dst) {
		if (p->tier == OAE_PAGE_ABSENT) {
			p->page = plan->fault_dst;
			md->st.zero_fills++;
		} else {
			oae_mem_move(md, p, plan->fault_dst);
			md->st.promotions++;
		}
		oae_mem_set_tier(md, p, plan->tier == OAE_MEM_TIER_FAST ?
				 OAE_PAGE_FAST : OAE_PAGE_SLOW);
	}

	for (i = 0; i < plan->nr_prefetch; i++) {
		struct oae_region_page *q = plan->prefetch[i];

		if (!q)
			continue;
		if (q->tier == OAE_PAGE_ABSENT)
			q->page = plan->prefetch_dst[i];
		else
			oae_mem_move(md, q, plan->prefetch_dst[i]);
		oae_mem_set_tier(md, q, OAE_PAGE_FAST);
		q->prefetched = true;
		md->st.prefetched++;
	}
}

/* A page the policy named could not move: say it is in use. */
static void oae_mem_note_pinned(struct oae_mem_dev *md,
				const struct oae_mem_plan *plan)
{
	if (plan->pinned)
		oae_mem_post(md, OAE_EV_PAGE_ACCESS,
			     oae_mem_page_word(plan->pinned),
			     plan->pinned->version, 0);
}

/*
 * Ask the IPU. 0: decided and enforced; -EAGAIN: decide locally; -EINTR:
 * a fatal signal; -ENOMEM.
 */
static int oae_mem_decide_ipu(struct oae_mem_dev *md,
			      struct oae_mem_fault_ctx *f)
{
	struct oae_dev *od = md->od;
	struct oae_mem_plan plan;
	struct oae_answer a;
	struct oae_ticket t;
	int link, ret;

	if (READ_ONCE(md->mode) != OAE_MEM_MODE_BILATERAL)
		return -EAGAIN;
	if (READ_ONCE(od->gone)) {
		md->st.fallback_down++;
		return -EAGAIN;
	}
	link = oae_mem_link(md);
	ret = link < 0 ? link : oae_swap_start(od, link, &f->offer, &t);
	if (!ret)
		ret = oae_swap_wait_sleepable(od, &t, &a, NULL);
	switch (ret) {
	case 0:
		break;
	case -EINTR:
		return ret;
	case -ENODEV:
		md->st.fallback_down++;
		return -EAGAIN;
	case -EBUSY:
		md->st.fallback_busy++;
		return -EAGAIN;
	case -ETIMEDOUT:
		md->st.fallback_timeout++;
		return -EAGAIN;
	case -ENOENT:
		md->st.fallback_declined++;
		return -EAGAIN;
	default:
		md->st.fallback_error++;
		return -EAGAIN;
	}

	ret = oae_mem_prepare(md, f, a.word, &plan);
	if (ret) {
		oae_swap_abort(od, &t, ret < 0 ? OAE_ABORT_WITHDRAWN : ret);
		if (ret < 0) {
			md->st.oom++;
			return ret;
		}
		md->st.aborted[ret]++;
		oae_mem_note_pinned(md, &plan);
		return -EAGAIN;
	}
	if (oae_swap_commit(od, &t)) {
		/* The epoch ended after the answer: the IPU reverts. */
		oae_mem_plan_release(md, f, &plan);
		md->st.fallback_down++;
		return -EAGAIN;
	}
	oae_mem_enforce(md, f, &plan);
	md->st.ipu_decisions++;
	return 0;
}

/*
 * The same policy code on the host. A second try after a refused answer
 * (the refusal made the policy skip that page); then -EAGAIN.
 */
static int oae_mem_decide_local(struct oae_mem_dev *md,
				struct oae_mem_fault_ctx *f)
{
	u64 w[OAE_ANSWER_WORDS];
	struct oae_mem_plan plan;
	int attempt, ret;

	for (attempt = 0; attempt < 2; attempt++) {
		if (oae_mem_local_answer(md, &f->offer, w) != OAE_ANSWER_OK)
			return -EAGAIN;
		ret = oae_mem_prepare(md, f, w, &plan);
		oae_mem_local_settle(md, !ret);
		if (!ret) {
			oae_mem_enforce(md, f, &plan);
			md->st.local_decisions++;
			return 0;
		}
		if (ret < 0) {
			md->st.oom++;
			return ret;
		}
		md->st.local_aborted++;
		oae_mem_note_pinned(md, &plan);
	}
	return -EAGAIN;
}

/* Nothing held: the page stays in, or starts in, the slow tier. */
static int oae_mem_last_resort(struct oae_mem_dev *md,
			       struct oae_mem_fault_ctx *f)
{
	struct oae_region_page *p = f->p;

	if (p->tier == OAE_PAGE_ABSENT) {
		p->page = oae_mem_alloc_page(md);
		if (!p->page) {
			md->st.oom++;
			return -ENOMEM;
		}
		md->st.zero_fills++;
		oae_mem_set_tier(md, p, OAE_PAGE_SLOW);
	}
	md->st.last_resort++;
	return 0;
}

/*
 * A placement for f->p: the IPU's, else the host's own policy's, else
 * the slow tier in place. md->lock held.
 */
static int oae_mem_decide(struct oae_mem_dev *md, struct oae_mem_fault_ctx *f)
{
	int ret;

	/* The window stays mapped while we may swap (remove() waits). */
	down_read(&md->od->users);
	ret = oae_mem_decide_ipu(md, f);
	if (ret == -EAGAIN)
		ret = oae_mem_decide_local(md, f);
	if (ret == -EAGAIN)
		ret = oae_mem_last_resort(md, f);
	up_read(&md->od->users);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The mapping                                                         */

static vm_fault_t oae_mem_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct oae_mem_region *r = vma->vm_private_data;
	struct oae_mem_dev *md = r->md;
	struct oae_mem_fault_ctx f = { .r = r };
	int ret = 0;

	if (vmf->pgoff >= r->nr_pages)
		return VM_FAULT_SIGBUS;
	/* Killable: a fault queued behind a slow swap never hangs a kill. */
	if (mutex_lock_killable(&md->lock)) {
		atomic64_inc(&md->killed);
		return VM_FAULT_SIGBUS;
	}
	f.p = &r->pages[vmf->pgoff];
	md->st.faults++;
	if (f.p->tier == OAE_PAGE_FAST) {
		md->st.minor++;
		if (f.p->prefetched) {
			f.p->prefetched = false;
			md->st.prefetch_hits++;
		}
	} else {
		md->st.major++;
		oae_mem_build_offer(md, &f, vmf->flags & FAULT_FLAG_WRITE);
		ret = oae_mem_decide(md, &f);
	}
	if (!ret) {
		ret = vm_insert_page(vma, vmf->address & PAGE_MASK, f.p->page);
		if (ret == -EBUSY)	/* another thread mapped it first */
			ret = 0;
	}
	mutex_unlock(&md->lock);

	switch (ret) {
	case 0:
		return VM_FAULT_NOPAGE;
	case -EINTR:
		atomic64_inc(&md->killed);
		return VM_FAULT_SIGBUS;
	case -ENOMEM:
		return VM_FAULT_OOM;
	default:
		return VM_FAULT_SIGBUS;
	}
}

static const struct vm_operations_struct oae_mem_vm_ops = {
	.fault = oae_mem_fault,
};

static int oae_mem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct oae_mem_region *r = file->private_data;
	struct oae_mem_dev *md = r->md;
	unsigned long npages = vma_pages(vma);
	struct oae_region_page *pages;
	u32 i;
	int ret = 0;

	/* VM_MAYSHARE: a read-only file maps MAP_SHARED without VM_SHARED. */
	if (!(vma->vm_flags & VM_MAYSHARE)) {
		pr_warn_ratelimited("%s: mmap refused: MAP_PRIVATE is not supported, map MAP_SHARED\n",
				    md->name);
		return -EINVAL;
	}
	if (vma->vm_pgoff) {
		pr_warn_ratelimited("%s: mmap refused: offset %lu pages, must be 0\n",
				    md->name, vma->vm_pgoff);
		return -EINVAL;
	}
	if (vma->vm_flags & VM_EXEC) {
		pr_warn_ratelimited("%s: mmap refused: PROT_EXEC is not supported\n",
				    md->name);
		return -EPERM;
	}
	if (npages > READ_ONCE(md->region_max_pages)) {
		pr_warn_ratelimited("%s: mmap refused: %lu pages, over mem_region_max_pages %u\n",
				    md->name, npages,
				    READ_ONCE(md->region_max_pages));
		return -EFBIG;
	}

	/* Killable: the lock may be held across a swap for swap_timeout_ns. */
	if (mutex_lock_killable(&md->lock))
		return -EINTR;
	if (!r->nr_pages) {
		pages = kvcalloc(npages, sizeof(*pages), GFP_KERNEL);
		if (!pages) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < npages; i++) {
			pages[i].region = r;
			pages[i].index = i;
		}
		r->pages = pages;
		r->nr_pages = npages;
	} else if (npages > r->nr_pages) {
		pr_warn_ratelimited("%s: mmap refused: %lu pages, region %u has %u\n",
				    md->name, npages, r->id, r->nr_pages);
		ret = -EINVAL;
	}
out:
	mutex_unlock(&md->lock);
	if (ret)
		return ret;
	/* Normal pages, never grown by mremap, never executable. */
	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND);
	vm_flags_clear(vma, VM_MAYEXEC);
	vma->vm_ops = &oae_mem_vm_ops;
	vma->vm_private_data = r;
	return 0;
}

static int oae_mem_open(struct inode *inode, struct file *file)
{
	struct oae_mem_dev *md = container_of(file->private_data,
					      struct oae_mem_dev, misc);
	struct oae_mem_region *r;
	int id;

	if (READ_ONCE(md->od->gone))
		return -ENODEV;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	id = ida_alloc_range(&md->region_ida, 1, OAE_MEM_REGION_MAX,
			     GFP_KERNEL);
	if (id < 0) {
		pr_warn_ratelimited("%s: open refused: %d regions already\n",
				    md->name, OAE_MEM_REGION_MAX);
		kfree(r);
		return id;
	}
	if (mutex_lock_killable(&md->lock)) {
		ida_free(&md->region_ida, id);
		kfree(r);
		return -EINTR;
	}
	md->st.regions++;
	mutex_unlock(&md->lock);
	r->md = md;
	r->id = id;
	address_space_init_once(&r->as);
	r->as.host = inode;
	r->as.a_ops = &empty_aops;
	kref_get(&md->od->kref);
	file->f_mapping = &r->as;
	file->private_data = r;
	return 0;
}

/* Every page of @r goes (md->lock held); then oae_mem_region_put(). */
static void oae_mem_region_empty(struct oae_mem_region *r)
{
	struct oae_mem_dev *md = r->md;
	struct oae_dev *od = md->od;
	u32 i;

	lockdep_assert_held(&md->lock);
	down_read(&od->users);
	for (i = 0; i < r->nr_pages; i++) {
		struct oae_region_page *p = &r->pages[i];

		if (p->tier == OAE_PAGE_ABSENT)
			continue;
		if (p->tier == OAE_PAGE_FAST)
			hash_del(&p->node);
		oae_mem_count(md, p->tier, -1);
		/* A pin (O_DIRECT in flight) keeps its own reference. */
		oae_mem_free_page(md, p->page);
	}
	if (r->nr_pages)
		oae_mem_post(md, OAE_EV_PAGE_FREE,
			     OAE_MEM_PAGE(r->id, OAE_MEM_INDEX_REGION),
			     ++md->version, 0);
	md->st.regions--;
	up_read(&od->users);
}

static void oae_mem_region_put(struct oae_mem_region *r)
{
	struct oae_dev *od = r->md->od;

	ida_free(&r->md->region_ida, r->id);
	kvfree(r->pages);
	kfree(r);
	oae_dev_put(od);
}

static void oae_mem_release_work(struct work_struct *work)
{
	struct oae_mem_region *r = container_of(work, struct oae_mem_region,
						release_work);

	mutex_lock(&r->md->lock);
	oae_mem_region_empty(r);
	mutex_unlock(&r->md->lock);
	oae_mem_region_put(r);
}

/*
 * The last mapping and the file are gone. A release cannot fail or be
 * killed, and the device's lock may be held across another process's
 * swap for up to swap_timeout_ns: a dying process does not wait for it,
 * its region is emptied on the module's workqueue instead.
 */
static int oae_mem_release(struct inode *inode, struct file *file)
{
	struct oae_mem_region *r = file->private_data;

	if (!mutex_trylock(&r->md->lock)) {
		INIT_WORK(&r->release_work, oae_mem_release_work);
		queue_work(oae_mem_wq, &r->release_work);
		return 0;
	}
	oae_mem_region_empty(r);
	mutex_unlock(&r->md->lock);
	oae_mem_region_put(r);
	return 0;
}

static const struct file_operations oae_mem_fops = {
	.owner = THIS_MODULE,
	.open = oae_mem_open,
	.release = oae_mem_release,
	.mmap = oae_mem_mmap,
};

/* ------------------------------------------------------------------ */
/* The sampler's callback                                              */

/*
 * From the kprobe on handle_mm_fault (oae_mem_sample.c), preemption off,
 * the fault's mm or VMA lock held: a fault in one of our regions becomes
 * an access sample. No lock of ours: the version read may be a moment
 * old, which a sample tolerates (the policy ignores an unknown one).
 */
void oae_mem_sample_fault(struct vm_area_struct *vma, unsigned long addr,
			  unsigned int flags)
{
	struct oae_mem_region *r;
	struct oae_mem_dev *md;
	u64 args[OAE_EVENT_ARGS];
	struct oae_dev *od;
	pgoff_t index;

	/*
	 * Without ->map_pages our faults are always retried under the mmap
	 * lock (vmf_can_call_fault()): sample that attempt only.
	 */
	if (vma->vm_ops != &oae_mem_vm_ops || flags & FAULT_FLAG_VMA_LOCK)
		return;
	r = vma->vm_private_data;
	md = r->md;
	od = md->od;
	if (!READ_ONCE(md->sample))
		return;
	index = linear_page_index(vma, addr);
	if (index >= READ_ONCE(r->nr_pages))
		return;
	args[0] = OAE_MEM_PAGE(r->id, index);
	args[1] = READ_ONCE(r->pages[index].version);
	args[2] = flags & FAULT_FLAG_WRITE ? OAE_MEM_ACCESS_WRITE : 0;
	args[3] = 0;
	oae_mem_local_event(md, OAE_EV_PAGE_ACCESS, args);
	/* remove() holds it for write while the window goes away. */
	if (!READ_ONCE(od->gone) && down_read_trylock(&od->users)) {
		oae_event_post(od, OAE_EV_PAGE_ACCESS, oae_mem_poster(md),
			       args);
		up_read(&od->users);
	}
	atomic64_inc(&md->samples);
}

/* ------------------------------------------------------------------ */
/* sysfs: mem_*                                                        */

static const char *const oae_mem_mode_names[] = {
	[OAE_MEM_MODE_BILATERAL]	= "bilateral",
	[OAE_MEM_MODE_LOCAL]		= "local",
};

static const char *const oae_mem_evict_names[] = {
	[OAE_MEM_EVICT_CLOCK]		= "clock",
	[OAE_MEM_EVICT_FIFO]		= "fifo",
};

static const char *const oae_mem_prefetch_names[] = {
	[OAE_MEM_PREFETCH_OFF]		= "off",
	[OAE_MEM_PREFETCH_SEQ]		= "sequential",
	[OAE_MEM_PREFETCH_STRIDE]	= "stride",
};

static_assert(ARRAY_SIZE(oae_mem_evict_names) == OAE_MEM_EVICT_MAX + 1);
static_assert(ARRAY_SIZE(oae_mem_prefetch_names) ==
	      OAE_MEM_PREFETCH_MAX + 1);

static struct oae_mem_dev *oae_mem_dev_of(struct device *dev)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return od->mem;
}

static ssize_t oae_mem_reject(struct device *dev, const char *name,
			      const char *buf, const char *why)
{
	dev_warn_ratelimited(dev, "%s: rejected '%.*s': %s\n", name,
			     (int)strcspn(buf, "\n"), buf, why);
	return -EINVAL;
}

/* The tunables live in struct oae_mem_dev. */
static void *oae_mem_tunables(struct device *dev)
{
	return oae_mem_dev_of(dev);
}

#define OAE_MEM_NUM_ATTR(_name, _field, _min, _max)			\
	static struct oae_tunable_attr oae_mem_attr_##_name = {		\
		.attr = __ATTR(_name, 0644, oae_tunable_show,		\
			       oae_tunable_store),			\
		.base = oae_mem_tunables,				\
		.offset = offsetof(struct oae_mem_dev, _field),		\
		.size = sizeof(u32),	/* every one of them */		\
		.min = _min, .max = _max,				\
	}

OAE_MEM_NUM_ATTR(mem_budget_pages, budget, 1, OAE_MEM_BUDGET_MAX);
OAE_MEM_NUM_ATTR(mem_prefetch_window, window, 0, OAE_MEM_WINDOW_MAX);
OAE_MEM_NUM_ATTR(mem_region_max_pages, region_max_pages, 1,
		 OAE_MEM_REGION_PAGES_MAX);

/* A tunable named by a string. */
struct oae_mem_enum_attr {
	struct device_attribute attr;
	size_t offset;
	const char *const *names;
	size_t nr_names;
	const char *why;
};

static ssize_t oae_mem_enum_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct oae_mem_enum_attr *a = container_of(attr,
						   struct oae_mem_enum_attr,
						   attr);
	u32 v = READ_ONCE(*(u32 *)((void *)oae_mem_dev_of(dev) + a->offset));

	if (v >= a->nr_names)
		return -EIO;
	return sysfs_emit(buf, "%s\n", a->names[v]);
}

static ssize_t oae_mem_enum_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct oae_mem_enum_attr *a = container_of(attr,
						   struct oae_mem_enum_attr,
						   attr);
	int v = __sysfs_match_string(a->names, a->nr_names, buf);

	if (v < 0)
		return oae_mem_reject(dev, attr->attr.name, buf, a->why);
	WRITE_ONCE(*(u32 *)((void *)oae_mem_dev_of(dev) + a->offset), v);
	return count;
}

#define OAE_MEM_ENUM_ATTR(_name, _field, _names, _why)			\
	static struct oae_mem_enum_attr oae_mem_attr_##_name = {	\
		.attr = __ATTR(_name, 0644, oae_mem_enum_show,		\
			       oae_mem_enum_store),			\
		.offset = offsetof(struct oae_mem_dev, _field),		\
		.names = oae_mem_##_names,				\
		.nr_names = ARRAY_SIZE(oae_mem_##_names),		\
		.why = _why,						\
	}

OAE_MEM_ENUM_ATTR(mem_mode, mode, mode_names,
		  "not bilateral or local");
OAE_MEM_ENUM_ATTR(mem_evict, evict, evict_names,
		  "not clock or fifo");
OAE_MEM_ENUM_ATTR(mem_prefetch, prefetch, prefetch_names,
		  "not off, sequential or stride");

static ssize_t mem_sample_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(oae_mem_dev_of(dev)->sample));
}

static DEFINE_MUTEX(oae_mem_sample_lock);

static ssize_t mem_sample_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct oae_mem_dev *md = oae_mem_dev_of(dev);
	u32 on;
	int ret = 0;

	if (kstrtou32(buf, 0, &on) || on > 1)
		return oae_mem_reject(dev, "mem_sample", buf, "not 0 or 1");
	mutex_lock(&oae_mem_sample_lock);
	if (on && !md->sample)
		ret = oae_mem_sample_get();
	else if (!on && md->sample)
		oae_mem_sample_put();
	if (!ret)
		WRITE_ONCE(md->sample, on);
	mutex_unlock(&oae_mem_sample_lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(mem_sample);

static struct attribute *oae_mem_attrs[] = {
	&oae_mem_attr_mem_budget_pages.attr.attr,
	&oae_mem_attr_mem_prefetch_window.attr.attr,
	&oae_mem_attr_mem_region_max_pages.attr.attr,
	&oae_mem_attr_mem_mode.attr.attr,
	&oae_mem_attr_mem_evict.attr.attr,
	&oae_mem_attr_mem_prefetch.attr.attr,
	&dev_attr_mem_sample.attr,
	NULL,
};

const struct attribute_group oae_mem_attr_group = {
	.attrs = oae_mem_attrs,
};

/* ------------------------------------------------------------------ */
/* debugfs                                                             */

#define OAE_MEM_COUNTER(f)	{ #f, offsetof(struct oae_mem_counters, f) }

/* The counters of the debugfs file, in its order. */
static const struct {
	const char *name;
	size_t offset;
} oae_mem_counter_names[] = {
	OAE_MEM_COUNTER(regions),
	OAE_MEM_COUNTER(pages_fast),
	OAE_MEM_COUNTER(pages_slow),
	OAE_MEM_COUNTER(pages_allocated),
	OAE_MEM_COUNTER(pages_freed),
	OAE_MEM_COUNTER(faults),
	OAE_MEM_COUNTER(minor),
	OAE_MEM_COUNTER(major),
	OAE_MEM_COUNTER(ipu_decisions),
	OAE_MEM_COUNTER(local_decisions),
	OAE_MEM_COUNTER(last_resort),
	OAE_MEM_COUNTER(evictions),
	OAE_MEM_COUNTER(promotions),
	OAE_MEM_COUNTER(zero_fills),
	OAE_MEM_COUNTER(prefetched),
	OAE_MEM_COUNTER(prefetch_hits),
	OAE_MEM_COUNTER(local_aborted),
	OAE_MEM_COUNTER(fallback_down),
	OAE_MEM_COUNTER(fallback_busy),
	OAE_MEM_COUNTER(fallback_timeout),
	OAE_MEM_COUNTER(fallback_declined),
	OAE_MEM_COUNTER(fallback_error),
	OAE_MEM_COUNTER(oom),
	OAE_MEM_COUNTER(stale),
	OAE_MEM_COUNTER(post_failed),
	OAE_MEM_COUNTER(resyncs),
	OAE_MEM_COUNTER(replayed),
};

void oae_mem_debugfs_show(struct seq_file *m, struct oae_dev *od)
{
	struct oae_mem_dev *md = od->mem;
	const void *s = &md->st;
	int i;

	for (i = 0; i < ARRAY_SIZE(oae_mem_counter_names); i++)
		seq_printf(m, "%s %llu\n", oae_mem_counter_names[i].name,
			   READ_ONCE(*(const u64 *)(s +
				oae_mem_counter_names[i].offset)));
	for (i = OAE_ABORT_WITHDRAWN; i <= OAE_ABORT_REASON_MAX; i++)
		seq_printf(m, "aborted_%s %llu\n", oae_abort_name(i),
			   READ_ONCE(md->st.aborted[i]));
	seq_printf(m, "killed %lld\n", atomic64_read(&md->killed));
	seq_printf(m, "samples %lld\n", atomic64_read(&md->samples));
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

/* Module load: the workqueue region teardowns may need. */
int oae_mem_setup(void)
{
	oae_mem_wq = alloc_workqueue("oae_mem", 0, 0);
	return oae_mem_wq ? 0 : -ENOMEM;
}

/* Module unload: every teardown queued is done (none can be queued now). */
void oae_mem_cleanup(void)
{
	destroy_workqueue(oae_mem_wq);
}

/* Before sysfs can show the tunables. */
int oae_mem_init(struct oae_dev *od)
{
	struct oae_policy_env env;
	struct oae_mem_dev *md;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->local_state = kvzalloc(sizeof(*md->local_state), GFP_KERNEL);
	md->local_tables = kvzalloc(sizeof(*md->local_tables), GFP_KERNEL);
	md->local_locks = alloc_percpu(struct oae_lock_stats);
	if (!md->local_state || !md->local_tables || !md->local_locks) {
		free_percpu(md->local_locks);
		kvfree(md->local_state);
		kvfree(md->local_tables);
		kfree(md);
		return -ENOMEM;
	}
	md->od = od;
	mutex_init(&md->lock);
	ida_init(&md->region_ida);
	hash_init(md->fast);
	INIT_WORK(&md->resync_work, oae_mem_resync);
	atomic64_set(&md->killed, 0);
	atomic64_set(&md->samples, 0);
	md->budget = OAE_MEM_BUDGET_DEFAULT;
	md->window = OAE_MEM_WINDOW_DEFAULT;
	md->evict = OAE_MEM_EVICT_CLOCK;
	md->prefetch = OAE_MEM_PREFETCH_STRIDE;
	md->mode = OAE_MEM_MODE_BILATERAL;
	md->region_max_pages = OAE_MEM_REGION_PAGES_DEFAULT;
	oae_mem_clock_init(&md->local, md->local_state, md->local_tables);
	preempt_disable();
	oae_mem_local_env(md, &env);
	md->local.start(md->local.ctx, &env, 1);
	preempt_enable();
	od->mem = md;
	return 0;
}

/* /dev/oae_memN and the custody replay. */
int oae_mem_register(struct oae_dev *od)
{
	struct oae_mem_dev *md = od->mem;
	int ret;

	snprintf(md->name, sizeof(md->name), "oae_mem%d", od->id);
	md->misc = (struct miscdevice){
		.minor = MISC_DYNAMIC_MINOR,
		.name = md->name,
		.fops = &oae_mem_fops,
		.parent = od->dev,
		.mode = 0600,
	};
	md->custody.replay = oae_mem_replay;
	oae_custody_register(od, &md->custody);
	ret = misc_register(&md->misc);
	if (ret) {
		oae_custody_unregister(od, &md->custody);
		return ret;
	}
	md->registered = true;
	return 0;
}

/*
 * remove(): no new region; open ones keep working on the host's own
 * policy (od->gone), their pages intact until they are released.
 */
void oae_mem_unregister(struct oae_dev *od)
{
	struct oae_mem_dev *md = od->mem;

	if (!md || !md->registered)
		return;
	misc_deregister(&md->misc);
	oae_custody_unregister(od, &md->custody);
	cancel_work_sync(&md->resync_work);
	mutex_lock(&oae_mem_sample_lock);
	if (md->sample) {
		WRITE_ONCE(md->sample, false);
		oae_mem_sample_put();
	}
	mutex_unlock(&oae_mem_sample_lock);
	md->registered = false;
}

/* The last reference to the device: no region is left. */
void oae_mem_free(struct oae_dev *od)
{
	struct oae_mem_dev *md = od->mem;

	if (!md)
		return;
	/* A post racing remove() may have queued one after unregister. */
	cancel_work_sync(&md->resync_work);
	ida_destroy(&md->region_ida);
	free_percpu(md->local_locks);
	kvfree(md->local_state);
	kvfree(md->local_tables);
	kfree(md);
	od->mem = NULL;
}
