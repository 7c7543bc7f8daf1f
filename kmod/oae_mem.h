/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oae_ipu.ko memory offload (oae_mem.c): /dev/oae_memN, whose page faults
 * are decided by the IPU's memory policy. Documentation/oae_mem.rst.
 */
#ifndef _OAE_MEM_H
#define _OAE_MEM_H

#include <linux/types.h>

#include "oae_ipu.h"

struct seq_file;
struct vm_area_struct;

/* Tunables (sysfs mem_*), their bounds and defaults. */
#define OAE_MEM_BUDGET_DEFAULT		256
#define OAE_MEM_WINDOW_DEFAULT		4
#define OAE_MEM_REGION_PAGES_DEFAULT	65536	/* 256 MiB with 4 KiB pages */
#define OAE_MEM_REGION_PAGES_MAX	1048576

enum oae_mem_mode {
	OAE_MEM_MODE_BILATERAL	= 0,	/* the IPU decides, the host enforces */
	OAE_MEM_MODE_LOCAL	= 1,	/* the same policy code, on the host */
};

/*
 * Counters, written under the device's memory lock (killed and samples
 * outside it, atomically); read without it.
 */
struct oae_mem_counters {
	u64 faults;		/* every fault the handler served */
	u64 minor;		/* page already in the fast tier: no decision */
	u64 major;		/* a placement decision was needed */
	u64 ipu_decisions;	/* committed swaps, enforced */
	u64 local_decisions;	/* the host's own policy instance decided */
	u64 last_resort;	/* no policy answer held: slow tier, in place */
	u64 evictions;		/* fast -> slow moves */
	u64 promotions;		/* slow -> fast moves */
	u64 zero_fills;		/* first touch of a page */
	u64 prefetched;		/* pages brought into the fast tier ahead */
	u64 prefetch_hits;	/* ...later touched */
	u64 aborted[OAE_ABORT_REASON_MAX + 1];	/* our aborts of IPU answers */
	u64 local_aborted;	/* local answers the check refused */
	u64 fallback_down;	/* IPU not up, or the epoch ended */
	u64 fallback_busy;	/* the link had a swap open */
	u64 fallback_timeout;	/* withdrawn at swap_timeout_ns */
	u64 fallback_declined;	/* the IPU had no answer */
	u64 fallback_error;	/* malformed answer, or anything else */
	u64 oom;		/* pages for a decision could not be allocated */
	u64 stale;		/* enforced but custody had changed: must be 0 */
	u64 post_failed;	/* custody events the ring refused */
	u64 resyncs;		/* new epochs asked for after a failed post */
	u64 replayed;		/* pages posted in custody replays */
	/* Pages and regions now, and ever. */
	u64 regions;
	u64 pages_fast;
	u64 pages_slow;
	u64 pages_allocated;
	u64 pages_freed;
};

struct oae_mem_dev;

int oae_mem_setup(void);
void oae_mem_cleanup(void);
int oae_mem_init(struct oae_dev *od);
int oae_mem_register(struct oae_dev *od);
void oae_mem_unregister(struct oae_dev *od);
void oae_mem_free(struct oae_dev *od);
void oae_mem_debugfs_show(struct seq_file *m, struct oae_dev *od);

extern const struct attribute_group oae_mem_attr_group;

/* oae_mem_sample.c: the fault-path sampler (sysfs mem_sample). */
int oae_mem_sample_get(void);
void oae_mem_sample_put(void);
/* oae_mem.c, for the sampler: post an access sample for @vma at @addr. */
void oae_mem_sample_fault(struct vm_area_struct *vma, unsigned long addr,
			  unsigned int flags);

#if IS_ENABLED(CONFIG_KUNIT)
int oae_mem_check_words(u32 index, u32 region_pages, u32 budget, u32 resident,
			u32 window, const u64 w[OAE_ANSWER_WORDS]);
#endif

#endif /* _OAE_MEM_H */
