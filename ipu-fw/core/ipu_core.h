/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The IPU runtime: what every IPU core runs, independent of the board and of
 * whether it is bare-metal firmware or ipu-sim. The board code maps the
 * window and calls oae_ipu_init() once, then oae_ipu_poll() in a loop on
 * every core. Nothing here blocks: a poll round does what is ready and
 * returns, so a silent or restarting host never stalls a core.
 */
#ifndef _OAE_IPU_CORE_H
#define _OAE_IPU_CORE_H

#include "proto.h"

struct oae_ipu {
	unsigned char *win;
	oae_u64 size;
	struct oae_ipu_hdr *hdr;
	struct oae_host_hdr *host;
	struct oae_core_status *status;
	struct oae_geometry geo;
	/* Epoch this IPU serves; only core 0 writes it. */
	oae_u64 epoch;
	oae_u64 heartbeat;
};

struct oae_ipu_config {
	oae_u64 window_size;	/* bytes of the window to format */
	oae_u32 nr_links;	/* links to offer (host CPUs) */
	oae_u32 nr_cores;	/* cores that will call oae_ipu_poll() */
	oae_u32 ring_entries;	/* custody event ring size, power of two */
};

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
