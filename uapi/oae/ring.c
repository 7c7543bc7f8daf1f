// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The custody event ring (see proto.h): host→IPU information, never
 * decisions. Positions are never reused, not even across epochs, so a
 * stale entry can never pass for a new one; every entry also digests the
 * epoch. Compiled unchanged into the module, the firmware and ipu-sim.
 */
#include "proto.h"

int oae_ring_room(oae_u64 head, oae_u64 tail, oae_u32 entries)
{
	if (tail > head)
		return -1;
	return head - tail < entries;
}

OAE_EXPORT_FOR_TESTS(oae_ring_room);

void oae_ring_write(struct oae_event *ring, oae_u32 entries, oae_u64 epoch,
		    oae_u64 seq, oae_u32 type, oae_u32 link,
		    const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_event *e = &ring[(seq - 1) & (entries - 1)];
	unsigned int i;

	oae_st32(&e->type, type);
	oae_st32(&e->link, link);
	for (i = 0; i < OAE_EVENT_ARGS; i++)
		oae_st64(&e->args[i], args[i]);
	oae_st64(&e->digest, oae_event_digest(epoch, seq, type, link, args));
	oae_st64_release(&e->seq, seq);
}

OAE_EXPORT_FOR_TESTS(oae_ring_write);

void oae_ring_producer_init(struct oae_ring_producer *p, struct oae_event *ring,
			    oae_u32 entries, const oae_le64 *consumed,
			    oae_u64 epoch, oae_u64 head)
{
	p->ring = ring;
	p->entries = entries;
	p->consumed = consumed;
	p->epoch = epoch;
	p->head = head;
}

OAE_EXPORT_FOR_TESTS(oae_ring_producer_init);

int oae_ring_post(struct oae_ring_producer *p, oae_u32 type, oae_u32 link,
		  const oae_u64 args[OAE_EVENT_ARGS])
{
	/* Acquire: the IPU has finished reading every slot below its tail. */
	int room = oae_ring_room(p->head, oae_ld64_acquire(p->consumed),
				 p->entries);

	if (room <= 0)
		return room < 0 ? -1 : 1;
	p->head++;
	oae_ring_write(p->ring, p->entries, p->epoch, p->head, type, link,
		       args);
	return 0;
}

OAE_EXPORT_FOR_TESTS(oae_ring_post);

void oae_ring_consumer_init(struct oae_ring_consumer *c,
			    const struct oae_event *ring, oae_u32 entries,
			    oae_u32 nr_links, oae_le64 *consumed,
			    oae_u64 epoch, oae_u64 tail)
{
	c->ring = ring;
	c->entries = entries;
	c->nr_links = nr_links;
	c->consumed = consumed;
	c->epoch = epoch;
	c->tail = tail;
	oae_st64_release(consumed, tail);
}

OAE_EXPORT_FOR_TESTS(oae_ring_consumer_init);

oae_u64 oae_ring_consume(struct oae_ring_consumer *c,
			 oae_u32 max, const struct oae_policy *pol,
			 oae_u64 *bad)
{
	oae_u64 args[OAE_EVENT_ARGS], seq, digest;
	const struct oae_event *e;
	oae_u32 type, link, n = 0;
	unsigned int i;

	while (n < max) {
		e = &c->ring[c->tail & (c->entries - 1)];
		seq = oae_ld64_acquire(&e->seq);
		if (seq != c->tail + 1)
			break;	/* not published yet */
		type = oae_ld32(&e->type);
		link = oae_ld32(&e->link);
		for (i = 0; i < OAE_EVENT_ARGS; i++)
			args[i] = oae_ld64(&e->args[i]);
		digest = oae_ld64(&e->digest);
		oae_rmb();
		if (oae_ld64(&e->seq) != seq)
			break;	/* rewritten under us: the host lapped us */
		if (digest != oae_event_digest(c->epoch, seq, type, link, args) ||
		    type == OAE_EV_NONE || type > OAE_EV_MAX ||
		    link >= c->nr_links)
			(*bad)++;
		else
			pol->event(pol->ctx, type, link, args);
		c->tail++;
		n++;
	}
	if (n)
		oae_st64_release(c->consumed, c->tail);
	return c->tail;
}

OAE_EXPORT_FOR_TESTS(oae_ring_consume);
