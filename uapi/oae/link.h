/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * oae-ipu shared window ABI.
 *
 * The window is the memory both sides of the link see: on the QEMU testbed
 * the ivshmem-plain BAR2, on real hardware the host-written regions live in
 * the IPU's BAR and the IPU-written regions in host DMA memory. Every region
 * below has exactly one writer side (design S7), named in its comment:
 *   [IPU]  written only by the IPU, read by the host (untrusted there)
 *   [HOST] written only by the host, read by the IPU (untrusted there)
 * The IPU formats the window and publishes the geometry in its header; the
 * host validates every offset and size before it touches anything else.
 *
 * All integers are little-endian and naturally aligned; padding is explicit
 * (no compiler alignment attributes), so each 64-byte line is one posted
 * write on real hardware and the static asserts below pin every line. Each writer
 * publishes a region by storing its 64-bit publish word last (release);
 * readers load the publish word first (acquire). Payloads carry a digest so
 * a torn or reordered read is detected rather than trusted.
 *
 * This header compiles in the kernel, in the freestanding firmware and in
 * user space; it defines layout only. The protocol logic that runs on it is
 * in proto.h/proto.c beside it.
 */
#ifndef _UAPI_OAE_LINK_H
#define _UAPI_OAE_LINK_H

#ifdef __KERNEL__
#include <linux/types.h>
typedef __le64 oae_le64;
typedef __le32 oae_le32;
typedef __le16 oae_le16;
#define OAE_STATIC_ASSERT(e, msg) _Static_assert(e, msg)
#else
#include <stdint.h>
typedef uint64_t oae_le64;
typedef uint32_t oae_le32;
typedef uint16_t oae_le16;
#define OAE_STATIC_ASSERT(e, msg) _Static_assert(e, msg)
#endif

/* "OAE-IPU\0" read as a little-endian 64-bit word. */
#define OAE_MAGIC		0x005550492d45414fULL

/*
 * ABI version: major in the high 16 bits, minor in the low 16. The reader's
 * rule: accept any minor of its own major (minors only add fields in
 * reserved space or after hdr_size, and a field a reader does not know is
 * zero or ignored); refuse a different major, before reading anything else.
 *
 * 2.0: links per class (nr_classes), the epoch ack proves the attach
 * (host_nonce, ipu_boot_id, ipu_epoch_ack), the event ring has many
 * producers (ring_base replaces ring_produced). 1.x windows are refused.
 * 2.1: the host asks for a scheduling policy and slice per epoch
 * (sched_policy, sched_slice_ns); abort reasons for the scheduler's
 * commit-time check (AFFINITY, PINNED, NOT_QUEUED); the IPU publishes the
 * policy and slice it serves in the epoch it acked (ipu_sched_policy,
 * ipu_sched_slice_ns, in the ipu header's reserved0 space).
 * 2.2: the memory words: OAE_OP_MEM_FAULT offers and answers, the
 * OAE_EV_PAGE_* event arguments (OAE_MEM_*); nothing moves.
 */
#define OAE_ABI_MAJOR		2
#define OAE_ABI_MINOR		2
#define OAE_ABI_VERSION		((OAE_ABI_MAJOR << 16) | OAE_ABI_MINOR)
#define OAE_ABI_MAJOR_OF(v)	((v) >> 16)
#define OAE_ABI_MINOR_OF(v)	((v) & 0xffff)

#define OAE_CACHELINE		64
/* Smallest window the ABI can describe (headers + one link + ring). */
#define OAE_WINDOW_MIN		(64 * 1024)
/* Largest the host maps: a real IPU window is far smaller. */
#define OAE_WINDOW_MAX		0x40000000ULL	/* 1 GiB */
#define OAE_MAX_LINKS		256	/* all classes together */
#define OAE_MAX_IPU_CORES	64
#define OAE_RING_MIN_ENTRIES	64
#define OAE_RING_MAX_ENTRIES	1048576

/*
 * Link classes. Every host CPU has one link per class, so a fault waiting
 * on its swap never makes the scheduler on the same CPU see a busy link.
 * Link index = class * (nr_links / nr_classes) + cpu.
 */
enum oae_link_class {
	OAE_CLASS_SCHED		= 0,	/* sched_ext picks (atomic context) */
	OAE_CLASS_MEM		= 1,	/* page faults (sleepable) */
	OAE_NR_CLASSES		= 2,
};

/* Epochs and swap numbers stay below these, so nothing wraps (2^48, 2^55). */
#define OAE_EPOCH_MAX		0x0000ffffffffffffULL
#define OAE_SEQ_MAX		0x007fffffffffffffULL

/* ipu_state: the IPU's own view of itself. */
enum oae_ipu_state {
	OAE_IPU_OFF		= 0,	/* window not formatted yet */
	OAE_IPU_BOOTING		= 1,	/* geometry valid, links not served */
	OAE_IPU_READY		= 2,	/* serving links of ipu_epoch */
	OAE_IPU_HALTED		= 3,	/* stopped on purpose (shutdown) */
	OAE_IPU_FAILED		= 4,	/* firmware detected a fatal fault */
	OAE_IPU_STATE_MAX	= OAE_IPU_FAILED,
};

/* host_state: the host's view, published for the IPU and for tools. */
enum oae_host_state {
	OAE_HOST_DETACHED	= 0,	/* no driver bound */
	OAE_HOST_ATTACHING	= 1,	/* new epoch requested, not acked */
	OAE_HOST_ATTACHED	= 2,	/* offering swaps in host_epoch */
	OAE_HOST_STATE_MAX	= OAE_HOST_ATTACHED,
};

/*
 * [IPU] Window header at offset 0. Geometry fields are written once before
 * ipu_state leaves OAE_IPU_OFF and never change while the host is attached.
 */
struct oae_ipu_hdr {
	oae_le64 magic;			/* OAE_MAGIC */
	oae_le32 abi_version;		/* OAE_ABI_VERSION */
	oae_le32 hdr_size;		/* sizeof(struct oae_ipu_hdr) */
	oae_le64 window_size;		/* bytes formatted; <= BAR size */

	/* Geometry: every offset is from the window start. */
	oae_le32 nr_links;		/* links of all classes together */
	oae_le32 nr_cores;		/* IPU cores serving the links */
	oae_le64 host_hdr_offset;	/* struct oae_host_hdr */
	oae_le64 host_links_offset;	/* nr_links x struct oae_link_host */
	oae_le64 ipu_links_offset;	/* nr_links x struct oae_link_ipu */
	oae_le32 link_stride;		/* bytes between links, both arrays */
	oae_le32 ring_entries;		/* power of two */
	oae_le64 ring_offset;		/* ring_entries x struct oae_event */
	oae_le64 fito_offset;		/* FITO transaction area */
	oae_le64 fito_size;
	oae_le64 status_offset;		/* OAE_MAX_IPU_CORES x oae_core_status */
	oae_le32 nr_classes;		/* OAE_NR_CLASSES; divides nr_links */
	oae_le32 reserved0a;
	/*
	 * Not geometry (2.1): the scheduling policy the IPU serves in the
	 * epoch it acks (enum oae_sched_policy_id, 0: none) and that
	 * policy's slice in ns (0: none). Rewritten with every epoch ack,
	 * before ipu_epoch_ack, so they are valid once the ack matches the
	 * host's request: the host's sched_policy/sched_slice_ns if it asked
	 * for values the IPU accepted, else the IPU's own choice. 0 before
	 * the first ack; an IPU older than 2.1 leaves them 0.
	 */
	oae_le64 ipu_sched_policy;
	oae_le64 ipu_sched_slice_ns;
	oae_le64 reserved0[1];

	/* Liveness and epoch, rewritten while running (own cache line). */
	oae_le64 ipu_state;
	oae_le64 ipu_epoch;		/* epoch the IPU serves; acks host_epoch */
	oae_le64 ipu_heartbeat;		/* advances every IPU poll round */
	oae_le64 ipu_hb_echo;		/* last host_heartbeat the IPU saw */
	oae_le64 ring_consumed;		/* events applied: ring tail */
	oae_le64 ipu_boot_id;		/* nonzero, new every time it formats */
	oae_le64 ipu_epoch_ack;		/* oae_epoch_ack_digest(): see below */
	oae_le64 reserved1;

	/* Firmware status: malformed host input, counted, never fatal. */
	oae_le64 err_bad_offer;
	oae_le64 err_bad_event;
	oae_le64 err_bad_outcome;
	oae_le64 err_bad_epoch;
	oae_le64 cores_up;		/* bitmap of cores that reported in */
	oae_le64 swaps_answered;
	oae_le64 swaps_committed;
	oae_le64 swaps_aborted;
};

/*
 * [HOST] Host header, at ipu_hdr.host_hdr_offset. The host requests a new
 * epoch on every attach (state ATTACHING, a fresh host_nonce, the ring
 * position the epoch starts at); the IPU adopts a request only in state
 * ATTACHING, resets all link, ring and policy state, then acks by writing
 * ipu_epoch and ipu_epoch_ack = oae_epoch_ack_digest(epoch, nonce,
 * ipu_boot_id). The host takes the epoch as acked only if that digest
 * matches, and treats any later change of ipu_boot_id, ipu_epoch or
 * ipu_state as a restart: the IPU lost its state, so the host moves to a
 * new epoch and replays custody. Nothing tagged with another epoch is ever
 * applied by either side (S6).
 */
struct oae_host_hdr {
	oae_le64 host_state;
	oae_le64 host_epoch;
	oae_le64 host_heartbeat;	/* advanced when ipu_hb_echo caught up */
	oae_le64 host_nr_links;		/* links the host uses (<= nr_links) */
	oae_le64 ring_base;		/* ring position this epoch starts at */
	oae_le64 host_nonce;		/* new with every epoch request */
	/*
	 * Scheduling policy the host asks for (enum oae_sched_policy_id) and
	 * the slice it runs, in ns (0: the policy's default, else within
	 * OAE_SCHED_SLICE_MIN_NS..OAE_SCHED_SLICE_MAX_NS). Read by the IPU
	 * only when it adopts an epoch request, so a change takes effect
	 * with a new epoch and its custody replay; a value out of range is
	 * counted in err_bad_epoch and the IPU keeps its own choice.
	 */
	oae_le64 sched_policy;
	oae_le64 sched_slice_ns;
};

enum oae_sched_policy_id {
	OAE_SCHED_POLICY_DEFAULT = 0,	/* whatever the IPU was started with */
	OAE_SCHED_POLICY_VTIME	= 1,	/* weighted vruntime (CFS-like) */
	OAE_SCHED_POLICY_FIFO	= 2,	/* FIFO / round-robin */
	OAE_SCHED_POLICY_MAX	= OAE_SCHED_POLICY_FIFO,
};

#define OAE_SCHED_SLICE_MIN_NS	100000ULL	/* 100 us */
#define OAE_SCHED_SLICE_MAX_NS	1000000000ULL	/* 1 s */

/* Swap operations: what an offer asks. */
enum oae_op {
	OAE_OP_NONE		= 0,
	OAE_OP_ECHO		= 1,	/* test policy: answer is f(payload) */
	OAE_OP_SCHED_PICK	= 2,	/* which task runs next on this CPU */
	OAE_OP_MEM_FAULT	= 3,	/* where a faulting page goes */
	OAE_OP_MAX		= OAE_OP_MEM_FAULT,
};

/*
 * OAE_OP_ECHO's answer[0] is payload[0] ^ OAE_ECHO_XOR: proof the IPU read
 * the offer (ipu-fw/policy/echo.h has the rest of the test policy).
 */
#define OAE_ECHO_XOR		0xa5a5a5a5a5a5a5a5ULL

#define OAE_OFFER_WORDS		4
#define OAE_ANSWER_WORDS	4

/*
 * [HOST] One link's host half. The offer line is published by offer_seq
 * (written last); the outcome line by outcome_word, which packs the swap
 * number with its outcome so a single 64-bit store publishes both.
 *
 * outcome_word only holds the latest outcome: the host may commit swap n,
 * offer n+1 and withdraw it before the IPU looks again. commit_seq, the
 * last swap the host committed (written before outcome_word), settles n in
 * that case: the IPU stages at most one swap per link and the host cannot
 * commit a later one before the IPU has answered it, so commit_seq == n
 * exactly when n was committed.
 */
struct oae_link_host {
	oae_le64 offer_seq;		/* publish word: swap n, 0 = none yet */
	oae_le32 op;			/* enum oae_op */
	oae_le32 flags;
	oae_le64 watermark;		/* ring slots reserved when offered (S4) */
	oae_le64 digest;		/* oae_offer_digest() of this offer */
	oae_le64 payload[OAE_OFFER_WORDS];

	oae_le64 outcome_word;		/* publish word: latest outcome */
	oae_le64 commit_seq;		/* last swap committed */
	oae_le64 reserved[6];
};

/* outcome_word = seq << 8 | reason << 1 | committed */
#define OAE_OUTCOME_COMMIT	1ULL
#define OAE_OUTCOME_SEQ_SHIFT	8
#define OAE_OUTCOME_REASON_SHIFT 1
#define OAE_OUTCOME_REASON_MASK	0x7f

/* Why the host aborted a swap (outcome reason). */
enum oae_abort_reason {
	OAE_ABORT_NONE		= 0,	/* committed */
	OAE_ABORT_WITHDRAWN	= 1,	/* host stopped waiting */
	OAE_ABORT_BAD_REFLECT	= 2,	/* reflection != offer */
	OAE_ABORT_STALE_OBJECT	= 3,	/* named object changed custody */
	OAE_ABORT_BAD_ANSWER	= 4,	/* answer failed validation */
	OAE_ABORT_DECLINED	= 5,	/* IPU had no answer */
	/* Scheduler commit-time check (Documentation/scx_oae.rst) */
	OAE_ABORT_AFFINITY	= 6,	/* task may no longer run on that CPU */
	/*
	 * Pinned where it is: a task migration-disabled on another CPU, a
	 * page held by get_user_pages() (the memory commit-time check).
	 */
	OAE_ABORT_PINNED	= 7,
	OAE_ABORT_NOT_QUEUED	= 8,	/* in custody but not waiting to run */
	OAE_ABORT_REASON_MAX	= OAE_ABORT_NOT_QUEUED,
};

/* Answer status: how the IPU answered. */
enum oae_answer_status {
	OAE_ANSWER_OK		= 0,	/* answer[] holds a decision */
	OAE_ANSWER_EMPTY	= 1,	/* nothing to decide (e.g. no task) */
	OAE_ANSWER_REFUSED	= 2,	/* offer invalid in the IPU's eyes */
	OAE_ANSWER_STATUS_MAX	= OAE_ANSWER_REFUSED,
};

/*
 * [IPU] One link's IPU half. answer_seq is the publish word of the answer
 * line; reflect is the digest of the offer exactly as the IPU read it.
 * settled_word echoes the last outcome_word the IPU has settled, so the
 * host (and tests) can see both sides agree.
 */
struct oae_link_ipu {
	oae_le64 answer_seq;		/* publish word: answers swap n */
	oae_le32 status;		/* enum oae_answer_status */
	oae_le32 op;			/* echo of the offer's op */
	oae_le64 reflect;		/* == offer digest if read intact */
	oae_le64 digest;		/* oae_answer_digest() of this answer */
	oae_le64 answer[OAE_ANSWER_WORDS];

	oae_le64 settled_word;
	oae_le64 reserved[7];
};

/*
 * [IPU] Per-core status, one cache line per core so cores never share a
 * line: each core advances its own heartbeat and counts what it served.
 */
struct oae_core_status {
	oae_le64 heartbeat;
	oae_le64 links_served;		/* links this core polls */
	oae_le64 swaps_answered;
	oae_le64 errors;		/* malformed host input seen */
	oae_le64 reserved[4];
};

/* Custody events: information only, never decisions. */
enum oae_event_type {
	OAE_EV_NONE		= 0,
	OAE_EV_TASK_RUNNABLE	= 1,	/* pid, weight, cpumask word, version */
	OAE_EV_TASK_GONE	= 2,	/* pid, version */
	OAE_EV_PAGE_ADD		= 3,
	OAE_EV_PAGE_FREE	= 4,
	OAE_EV_PAGE_ACCESS	= 5,
	OAE_EV_TEST		= 6,	/* test policy: accumulate arg[0] */
	OAE_EV_MAX		= OAE_EV_TEST,
};

#define OAE_EVENT_ARGS		4

/*
 * Scheduling words (role sched, ipu-fw/policy/sched.h). The IPU checks
 * every word: an event with a word out of range is ignored and counted,
 * an offer with one is answered OAE_ANSWER_REFUSED.
 *
 * OAE_EV_TASK_RUNNABLE args[]: the task entered (or changed within) the
 * IPU's custody. OAE_EV_TASK_GONE args[]: it left custody (dequeued,
 * asleep, exited); args[2] and args[3] are zero. version is the task's
 * custody version: nonzero, bumped by the host on every custody change of
 * the task and strictly increasing per pid within an epoch (one global
 * counter will do); an event whose version is not newer than the last one
 * the IPU applied for that pid is stale and ignored.
 */
enum oae_task_arg {
	OAE_TASK_ARG_PID	= 0,	/* 1..OAE_TASK_PID_MAX */
	OAE_TASK_ARG_WEIGHT	= 1,	/* RUNNABLE: 1..OAE_TASK_WEIGHT_MAX */
	OAE_TASK_ARG_CPUS	= 2,	/* RUNNABLE: bit c = may run on CPU c */
	OAE_TASK_ARG_VERSION	= 3,	/* RUNNABLE: custody version */
	OAE_TASK_GONE_ARG_VERSION = 1,	/* GONE: custody version */
};

#define OAE_TASK_PID_MAX	4194304	/* the kernel's PID_MAX_LIMIT */
#define OAE_TASK_WEIGHT_NICE0	1024	/* CFS load weight of nice 0 */
#define OAE_TASK_WEIGHT_MAX	88761	/* CFS load weight of nice -20 */
/*
 * The allowed-CPU word covers host CPUs 0..63; a task with no bit set
 * there is one the IPU cannot place (the host keeps it local).
 */
#define OAE_TASK_CPUS		64

/*
 * OAE_OP_SCHED_PICK: "which task runs next on this CPU". Offer payload[]:
 * the CPU (< OAE_TASK_CPUS) and flags (none defined yet: must be zero);
 * payload[2] and payload[3] are zero. Answer OAE_ANSWER_OK: answer[] =
 * the chosen task's pid and custody version (the host commits only if
 * the task is still in custody with that version) and the slice it may
 * run, in ns; answer[3] is zero. OAE_ANSWER_EMPTY: no runnable task may
 * run on that CPU; answer[] is all zero.
 */
enum oae_pick_word {
	OAE_PICK_OFFER_CPU	= 0,	/* payload[]: host CPU asking */
	OAE_PICK_OFFER_FLAGS	= 1,	/* payload[]: OAE_PICK_F_*, zero */
	OAE_PICK_ANSWER_PID	= 0,	/* answer[] */
	OAE_PICK_ANSWER_VERSION	= 1,	/* answer[] */
	OAE_PICK_ANSWER_SLICE_NS = 2,	/* answer[] */
};

#define OAE_PICK_F_KNOWN	0	/* mask of defined offer flags */

/*
 * Memory words (role mem, ipu-fw/policy/mem_policy.h). The host's offloaded
 * memory device (Documentation/oae_mem.rst) has two tiers: a fast tier of
 * at most a budget of pages, and a slow tier standing for far memory.
 *
 * A page is named by one word: its region (1..OAE_MEM_REGION_MAX, the
 * host's number for one mmap'd region) and its index in the region
 * (< OAE_MEM_INDEX_REGION), OAE_MEM_PAGE(region, index). Its custody
 * version is nonzero and taken from one counter per device, strictly
 * increasing within an epoch and bumped by the host on every custody
 * change of the page: a version therefore names one page in one custody
 * state, and an answer names its victims by version alone. An event whose
 * version is not newer than the last one the IPU applied for the page is
 * stale and ignored.
 *
 * OAE_EV_PAGE_ADD args[]: page, version, tier; args[3] zero. The page now
 * holds data in that tier (it was faulted in, prefetched, or moved).
 * OAE_EV_PAGE_FREE args[]: page, version; args[2..3] zero. The page holds
 * no data any more. Index OAE_MEM_INDEX_REGION frees every page of the
 * region whose version is older than the event's (the region was
 * released).
 * OAE_EV_PAGE_ACCESS args[]: page, version (0: unknown), flags
 * (OAE_MEM_ACCESS_*); args[3] zero. A sample: the page was accessed
 * (information for the policy's referenced bits and prefetcher, never a
 * custody change: it bumps nothing).
 */
#define OAE_MEM_REGION_MAX	65535
#define OAE_MEM_INDEX_REGION	0xffffffffULL	/* FREE: the whole region */
#define OAE_MEM_PAGE(region, index) \
	((unsigned long long)(region) << 32 | (unsigned long long)(index))
#define OAE_MEM_PAGE_REGION(page)	((page) >> 32)
#define OAE_MEM_PAGE_INDEX(page)	((page) & 0xffffffffULL)

enum oae_mem_tier {
	OAE_MEM_TIER_FAST	= 0,	/* counted against the budget */
	OAE_MEM_TIER_SLOW	= 1,	/* far memory */
	OAE_MEM_TIER_MAX	= OAE_MEM_TIER_SLOW,
};

enum oae_page_arg {
	OAE_PAGE_ARG_PAGE	= 0,	/* OAE_MEM_PAGE() */
	OAE_PAGE_ARG_VERSION	= 1,	/* custody version */
	OAE_PAGE_ARG_TIER	= 2,	/* ADD: enum oae_mem_tier */
	OAE_PAGE_ARG_FLAGS	= 2,	/* ACCESS: OAE_MEM_ACCESS_* */
};

#define OAE_MEM_ACCESS_WRITE	0x1ULL	/* the access was a store */
#define OAE_MEM_ACCESS_F_KNOWN	0x1ULL

/*
 * OAE_OP_MEM_FAULT: "a page of a region faulted: where does it go, what
 * leaves the fast tier, what comes with it". Offer payload[]:
 *   [0] the page (OAE_MEM_PAGE())
 *   [1] flags: OAE_MEM_FAULT_WRITE, OAE_MEM_FAULT_SLOW (its data is in
 *       the slow tier; without it the page holds no data yet)
 *   [2] the fast tier: budget (bits 32..63) and pages resident (0..31)
 *   [3] knobs and bounds: prefetch window (bits 0..7, at most
 *       OAE_MEM_WINDOW_MAX), eviction mode (8..15, enum
 *       oae_mem_evict_mode), prefetch mode (16..23, enum
 *       oae_mem_prefetch_mode), the region's size in pages (32..63)
 * Answer OAE_ANSWER_OK: answer[0] is the decision word
 *   tier (bits 0..7, enum oae_mem_tier), victims (8..15, at most
 *   OAE_MEM_VICTIMS_MAX), prefetch count (16..31, at most the window),
 *   prefetch stride in pages (32..63, signed, nonzero with a count,
 *   |stride| <= OAE_MEM_STRIDE_MAX);
 * answer[1..3] the victims' versions, the first `victims` of them
 * nonzero and distinct, the rest zero. The host prefetches the pages
 * index + k * stride, k = 1..count, all inside the region, that hold no
 * data in the fast tier. The pages the answer brings into the fast tier
 * (the faulting page if tier is fast, and the prefetched ones) may not
 * exceed the victims plus the room under the budget:
 *   (tier == fast) + count <= victims + max(0, budget - resident).
 * OAE_ANSWER_EMPTY: the policy declines; the host decides locally.
 */
enum oae_mem_fault_word {
	OAE_MEM_OFFER_PAGE	= 0,
	OAE_MEM_OFFER_FLAGS	= 1,
	OAE_MEM_OFFER_FAST	= 2,
	OAE_MEM_OFFER_KNOBS	= 3,
	OAE_MEM_ANSWER_DECISION	= 0,
	OAE_MEM_ANSWER_VICTIM0	= 1,	/* ..3 */
};

#define OAE_MEM_FAULT_WRITE	0x1ULL
#define OAE_MEM_FAULT_SLOW	0x2ULL
#define OAE_MEM_FAULT_F_KNOWN	0x3ULL

enum oae_mem_evict_mode {
	OAE_MEM_EVICT_CLOCK	= 0,	/* second chance */
	OAE_MEM_EVICT_FIFO	= 1,	/* oldest first, no second chance */
	OAE_MEM_EVICT_MAX	= OAE_MEM_EVICT_FIFO,
};

enum oae_mem_prefetch_mode {
	OAE_MEM_PREFETCH_OFF	= 0,
	OAE_MEM_PREFETCH_SEQ	= 1,	/* ascending runs */
	OAE_MEM_PREFETCH_STRIDE	= 2,	/* any constant stride */
	OAE_MEM_PREFETCH_MAX	= OAE_MEM_PREFETCH_STRIDE,
};

#define OAE_MEM_WINDOW_MAX	16
#define OAE_MEM_VICTIMS_MAX	3
#define OAE_MEM_STRIDE_MAX	64
#define OAE_MEM_BUDGET_MAX	4096	/* fast-tier pages an IPU tracks */

#define OAE_MEM_FAST_WORD(budget, resident) \
	((unsigned long long)(budget) << 32 | (unsigned long long)(resident))
#define OAE_MEM_FAST_BUDGET(w)		((w) >> 32)
#define OAE_MEM_FAST_RESIDENT(w)	((w) & 0xffffffffULL)
#define OAE_MEM_KNOBS_WORD(window, evict, prefetch, region_pages) \
	((unsigned long long)(window) | (unsigned long long)(evict) << 8 | \
	 (unsigned long long)(prefetch) << 16 | (unsigned long long)(region_pages) << 32)
#define OAE_MEM_KNOBS_WINDOW(w)		((w) & 0xff)
#define OAE_MEM_KNOBS_EVICT(w)		((w) >> 8 & 0xff)
#define OAE_MEM_KNOBS_PREFETCH(w)	((w) >> 16 & 0xff)
#define OAE_MEM_KNOBS_RESERVED(w)	((w) >> 24 & 0xff)	/* zero */
#define OAE_MEM_KNOBS_PAGES(w)		((w) >> 32)
#define OAE_MEM_DECISION(tier, victims, count, stride) \
	((unsigned long long)(tier) | (unsigned long long)(victims) << 8 | \
	 (unsigned long long)(count) << 16 | (unsigned long long)(unsigned int)(stride) << 32)
#define OAE_MEM_DECISION_TIER(d)	((d) & 0xff)
#define OAE_MEM_DECISION_VICTIMS(d)	((d) >> 8 & 0xff)
#define OAE_MEM_DECISION_COUNT(d)	((d) >> 16 & 0xffff)
#define OAE_MEM_DECISION_STRIDE(d)	((int)(unsigned int)((d) >> 32))

/*
 * [HOST] Event ring entry. seq is the publish word: the event's ring
 * position plus one, written last; a consumer that reads any other value
 * has either caught up or seen a torn entry. digest covers type, seq and
 * args. Many host CPUs post at once: each reserves a position with a
 * host-local atomic and publishes its slot alone, so there is no shared
 * "produced" word; the consumer applies slots in position order as their
 * seq words appear, and an offer's watermark is the number of positions
 * reserved when it was made (S4: the IPU answers only after applying all
 * of them).
 */
struct oae_event {
	oae_le64 seq;
	oae_le32 type;			/* enum oae_event_type */
	oae_le32 link;			/* link (host CPU) that posted it */
	oae_le64 args[OAE_EVENT_ARGS];
	oae_le64 digest;
	oae_le64 reserved;
};

OAE_STATIC_ASSERT(sizeof(struct oae_ipu_hdr) == 4 * OAE_CACHELINE,
		  "ipu header layout");
OAE_STATIC_ASSERT(sizeof(struct oae_host_hdr) == OAE_CACHELINE,
		  "host header layout");
OAE_STATIC_ASSERT(sizeof(struct oae_link_host) == 2 * OAE_CACHELINE,
		  "host link layout");
OAE_STATIC_ASSERT(sizeof(struct oae_link_ipu) == 2 * OAE_CACHELINE,
		  "ipu link layout");
OAE_STATIC_ASSERT(sizeof(struct oae_core_status) == OAE_CACHELINE,
		  "core status layout");
OAE_STATIC_ASSERT(sizeof(struct oae_event) == OAE_CACHELINE,
		  "event layout");
OAE_STATIC_ASSERT(__builtin_offsetof(struct oae_ipu_hdr, ipu_sched_policy) == 104,
		  "ipu header 2.1 words in the old reserved0 space");
OAE_STATIC_ASSERT(__builtin_offsetof(struct oae_ipu_hdr, ipu_state) == 128,
		  "ipu header liveness line");
OAE_STATIC_ASSERT(__builtin_offsetof(struct oae_ipu_hdr, err_bad_offer) == 192,
		  "ipu header status line");
OAE_STATIC_ASSERT(__builtin_offsetof(struct oae_link_host, outcome_word) == 64,
		  "host link outcome line");
OAE_STATIC_ASSERT(__builtin_offsetof(struct oae_link_ipu, settled_word) == 64,
		  "ipu link settle line");

#endif /* _UAPI_OAE_LINK_H */
