/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The IPU runtime: what every IPU core runs, independent of the board and of
 * whether it is bare-metal firmware or ipu-sim. The board code maps the
 * window and calls oae_ipu_init() once, then oae_ipu_poll() in a loop on
 * every core. Nothing here blocks: a poll round does what is ready and
 * returns, so a silent or restarting host never stalls a core.
 *
 * Cores split the links (oae_link_core()); the policy's state is shared,
 * so serving it is serialised by one IPU-local lock. Epoch changes are
 * coordinated: core 0 notices the host's request, every core resets the
 * links it owns, and only then does core 0 reset the policy and ring and
 * acknowledge the epoch to the host.
 */
#ifndef _OAE_IPU_CORE_H
#define _OAE_IPU_CORE_H

#include "proto.h"

struct oae_ipu_config {
	oae_u64 window_size;	/* bytes of the window to format */
	oae_u32 nr_links;	/* links per class to offer (host CPUs) */
	oae_u32 nr_cores;	/* cores that will call oae_ipu_poll() */
	oae_u32 ring_entries;	/* custody event ring size, power of two */
	const struct oae_policy *policy;
	/* Nonzero and new on every boot (the board's counter, a pid...):
	 * the host tells a restarted IPU from the one that acked it. */
	oae_u64 boot_id;
	/* Optional PCIe model: each offer is answered no earlier than
	 * 2 x latency_ns after the IPU first saw it (both crossings). */
	oae_u64 latency_ns;
	oae_u64 (*now_ns)(void);
	/* Tests only: answer every offer malformed this way (enum oae_fault). */
	oae_u32 fault;
	/* Tests only: after this many answers go silent (no answers, no
	 * heartbeat) as a hung IPU would; 0 never. */
	oae_u64 fail_after;
};

/* IPU-local counters (the header's status line mirrors them). */
struct oae_ipu_counters {
	struct oae_ipu_link_stats link;
	oae_u64 bad_events;
	oae_u64 bad_epochs;	/* epoch requests that went backwards */
	oae_u64 epochs;
};

struct oae_ipu {
	unsigned char *win;
	struct oae_ipu_hdr *hdr;
	struct oae_host_hdr *host;
	struct oae_core_status *status;
	struct oae_geometry geo;
	struct oae_ipu_config cfg;

	int lock;			/* IPU-local: policy, ring, links */
	oae_u64 epoch;			/* acknowledged to the host */
	oae_u64 epoch_target;		/* requested by the host, being adopted */
	oae_u64 nonce_target;		/* the request's host nonce */
	oae_u64 bad_epoch_seen;		/* last refused request, counted once */
	oae_u64 cores_up;		/* bitmap of cores that polled */
	oae_u64 cores_up_published;	/* core 0: last value in the header */
	oae_u64 core_epoch[OAE_MAX_IPU_CORES];
	oae_u64 heartbeat;

	struct oae_ring_consumer ring;
	struct oae_ipu_link links[OAE_MAX_LINKS];
	oae_u64 noticed_seq[OAE_MAX_LINKS];	/* latency model */
	oae_u64 noticed_ns[OAE_MAX_LINKS];
	struct oae_ipu_counters cnt;
	int silent;			/* cfg.fail_after reached */
};

/* True once the runtime went silent (oae_ipu_config.fail_after). */
static inline int oae_ipu_silent(const struct oae_ipu *ipu)
{
	return __atomic_load_n(&ipu->silent, __ATOMIC_RELAXED);
}

/* Which core serves @link: links are dealt round-robin. */
static inline oae_u32 oae_link_core(oae_u32 link, oae_u32 nr_cores)
{
	return link % nr_cores;
}

/*
 * Format the IPU side of @win (never the host-written regions) and publish
 * the header in state BOOTING. Returns OAE_HDR_OK or why the requested
 * geometry is impossible.
 */
enum oae_hdr_error oae_ipu_init(struct oae_ipu *ipu, void *win,
				const struct oae_ipu_config *cfg);

/* Start serving: publish READY. */
void oae_ipu_start(struct oae_ipu *ipu);

/* Stop on purpose: publish HALTED so the host falls back at once. */
void oae_ipu_halt(struct oae_ipu *ipu);

/* One poll round on @core (0 <= core < nr_cores). */
void oae_ipu_poll(struct oae_ipu *ipu, unsigned int core);

#endif /* _OAE_IPU_CORE_H */
