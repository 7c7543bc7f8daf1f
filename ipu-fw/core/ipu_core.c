// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IPU runtime (see ipu_core.h): window formatting, liveness and epochs.
 */
#include "ipu_core.h"

static void oae_zero(void *p, oae_u64 len)
{
	oae_u64 *w = p;
	oae_u64 i;

	/* 64-bit stores only: the window may be mapped as device-like memory. */
	for (i = 0; i < len / 8; i++)
		oae_st64(&w[i], 0);
}

enum oae_hdr_error oae_ipu_init(struct oae_ipu *ipu, void *win,
				const struct oae_ipu_config *cfg)
{
	enum oae_hdr_error err;

	ipu->win = win;
	ipu->size = cfg->window_size;
	ipu->hdr = win;
	ipu->epoch = 0;
	ipu->heartbeat = 0;

	/* Reformatting: withdraw the old header before changing geometry. */
	oae_st64_release(&ipu->hdr->magic, 0);
	oae_zero(&ipu->hdr->ipu_state,
		 sizeof(*ipu->hdr) - __builtin_offsetof(struct oae_ipu_hdr,
							ipu_state));
	err = oae_geometry_format(ipu->hdr, cfg->window_size, cfg->nr_links,
				  cfg->nr_cores, cfg->ring_entries);
	if (err)
		return err;
	err = oae_geometry_read(ipu->hdr, cfg->window_size, &ipu->geo);
	if (err)
		return err;

	ipu->host = (void *)(ipu->win + ipu->geo.host_hdr_offset);
	ipu->status = (void *)(ipu->win + ipu->geo.status_offset);
	oae_zero(ipu->win + ipu->geo.ipu_links_offset,
		 (oae_u64)ipu->geo.nr_links * ipu->geo.link_stride);
	oae_zero(ipu->status, OAE_MAX_IPU_CORES * sizeof(*ipu->status));
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_BOOTING);
	return OAE_HDR_OK;
}

void oae_ipu_start(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_READY);
}

void oae_ipu_halt(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_HALTED);
}

/*
 * Core 0 owns the header's liveness line: it echoes the host's heartbeat
 * (the alternation the host counts) and acknowledges a new epoch.
 */
static void oae_ipu_poll_header(struct oae_ipu *ipu)
{
	oae_u64 host_state, host_epoch;

	oae_st64(&ipu->hdr->ipu_heartbeat, ++ipu->heartbeat);
	oae_st64_release(&ipu->hdr->ipu_hb_echo,
			 oae_ld64_acquire(&ipu->host->host_heartbeat));

	host_state = oae_ld64_acquire(&ipu->host->host_state);
	if (host_state != OAE_HOST_ATTACHING && host_state != OAE_HOST_ATTACHED)
		return;
	host_epoch = oae_ld64(&ipu->host->host_epoch);
	if (!host_epoch || host_epoch == ipu->epoch)
		return;
	/*
	 * A new epoch: nothing from the old one may be applied again. Start
	 * consuming at the host's current ring head; the host posts no
	 * events until it sees this acknowledgement.
	 */
	oae_st64(&ipu->hdr->ring_consumed,
		 oae_ld64(&ipu->host->ring_produced));
	ipu->epoch = host_epoch;
	oae_st64_release(&ipu->hdr->ipu_epoch, host_epoch);
}

void oae_ipu_poll(struct oae_ipu *ipu, unsigned int core)
{
	struct oae_core_status *st;

	if (core >= ipu->geo.nr_cores)
		return;
	st = &ipu->status[core];
	if (core == 0)
		oae_ipu_poll_header(ipu);
	oae_st64(&st->heartbeat, oae_ld64(&st->heartbeat) + 1);
}
