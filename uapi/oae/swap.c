// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The bilateral swap, both ends (see proto.h and
 * Documentation/oae/protocol.rst). Compiled unchanged into the module, the
 * firmware and ipu-sim.
 */
#include "proto.h"

static oae_u64 oae_digest_words(oae_u64 h, const oae_u64 *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		h = oae_digest_add(h, w[i]);
	return h;
}

oae_u64 oae_offer_digest(oae_u64 epoch, oae_u32 link, oae_u64 seq,
			 oae_u32 op, oae_u32 flags, oae_u64 watermark,
			 const oae_u64 payload[OAE_OFFER_WORDS])
{
	oae_u64 h = oae_digest_add(0x6f666665720a0001ULL, epoch);

	h = oae_digest_add(h, (oae_u64)link << 32 | op);
	h = oae_digest_add(h, seq);
	h = oae_digest_add(h, (oae_u64)flags);
	h = oae_digest_add(h, watermark);
	return oae_digest_words(h, payload, OAE_OFFER_WORDS);
}

OAE_EXPORT_FOR_TESTS(oae_offer_digest);

oae_u64 oae_answer_digest(oae_u64 epoch, oae_u32 link, oae_u64 seq,
			  oae_u32 status, oae_u32 op, oae_u64 reflect,
			  const oae_u64 answer[OAE_ANSWER_WORDS])
{
	oae_u64 h = oae_digest_add(0x616e737765720002ULL, epoch);

	h = oae_digest_add(h, (oae_u64)link << 32 | op);
	h = oae_digest_add(h, seq);
	h = oae_digest_add(h, status);
	h = oae_digest_add(h, reflect);
	return oae_digest_words(h, answer, OAE_ANSWER_WORDS);
}

OAE_EXPORT_FOR_TESTS(oae_answer_digest);

oae_u64 oae_event_digest(oae_u64 epoch, oae_u64 seq, oae_u32 type,
			 oae_u32 link, const oae_u64 args[OAE_EVENT_ARGS])
{
	oae_u64 h = oae_digest_add(0x6576656e74000003ULL, epoch);

	h = oae_digest_add(h, seq);
	h = oae_digest_add(h, (oae_u64)link << 32 | type);
	return oae_digest_words(h, args, OAE_EVENT_ARGS);
}

OAE_EXPORT_FOR_TESTS(oae_event_digest);

static const char *const oae_poll_names[] = {
	[OAE_POLL_PENDING]	= "pending",
	[OAE_POLL_ANSWERED]	= "answered",
	[OAE_POLL_BAD_SEQ]	= "bad_seq",
	[OAE_POLL_BAD_DIGEST]	= "bad_digest",
	[OAE_POLL_BAD_REFLECT]	= "bad_reflect",
	[OAE_POLL_BAD_FIELD]	= "bad_field",
};

const char *oae_poll_name(enum oae_poll p)
{
	if ((unsigned int)p >= OAE_ARRAY_SIZE(oae_poll_names))
		return "invalid";
	return oae_poll_names[p];
}

OAE_EXPORT_FOR_TESTS(oae_poll_name);

/* ------------------------------------------------------------------ */
/* Host side                                                           */

void oae_host_link_init(struct oae_host_link *l, struct oae_link_host *tx,
			const struct oae_link_ipu *rx, oae_u32 index,
			oae_u64 epoch, oae_u64 last_seq)
{
	unsigned int i;

	/*
	 * Numbering may restart in a new epoch (every digest covers the
	 * epoch, and the IPU starts from our offer_seq when it adopts it),
	 * so a number at the limit (no further offer fits), or garbage,
	 * restarts it instead of ever wrapping the outcome word.
	 */
	if (last_seq >= OAE_SEQ_MAX)
		last_seq = 0;
	l->tx = tx;
	l->rx = rx;
	l->index = index;
	l->epoch = epoch;
	l->seq = last_seq;
	l->digest = 0;
	l->op = OAE_OP_NONE;
	l->open = 0;

	/*
	 * Swap numbers continue, so no answer in the IPU's half can be
	 * mistaken for one to a future offer. commit_seq and a published
	 * outcome stay as they are: an IPU still in the old epoch may not
	 * have settled the last swap yet and must settle it as decided (S2).
	 * Only an offer that never got an outcome is withdrawn here.
	 */
	if (oae_outcome_seq(oae_ld64(&tx->outcome_word)) != last_seq)
		oae_st64_release(&tx->outcome_word,
				 oae_outcome_word(last_seq, 0,
						  OAE_ABORT_WITHDRAWN));
	oae_st32(&tx->op, OAE_OP_NONE);
	oae_st32(&tx->flags, 0);
	oae_st64(&tx->watermark, 0);
	oae_st64(&tx->digest, 0);
	for (i = 0; i < OAE_OFFER_WORDS; i++)
		oae_st64(&tx->payload[i], 0);
	oae_st64_release(&tx->offer_seq, last_seq);
}

OAE_EXPORT_FOR_TESTS(oae_host_link_init);

oae_u64 oae_host_offer(struct oae_host_link *l, const struct oae_offer *o,
		       oae_u64 watermark)
{
	struct oae_link_host *tx = l->tx;
	unsigned int i;

	l->seq++;
	l->op = o->op;
	l->digest = oae_offer_digest(l->epoch, l->index, l->seq, o->op,
				     o->flags, watermark, o->payload);
	oae_st32(&tx->op, o->op);
	oae_st32(&tx->flags, o->flags);
	oae_st64(&tx->watermark, watermark);
	oae_st64(&tx->digest, l->digest);
	for (i = 0; i < OAE_OFFER_WORDS; i++)
		oae_st64(&tx->payload[i], o->payload[i]);
	oae_st64_release(&tx->offer_seq, l->seq);
	l->open = 1;
	return l->seq;
}

OAE_EXPORT_FOR_TESTS(oae_host_offer);

enum oae_poll oae_host_poll(struct oae_host_link *l, struct oae_answer *a)
{
	const struct oae_link_ipu *rx = l->rx;
	oae_u64 seq, reflect, digest;
	unsigned int i;
	oae_u32 op;

	seq = oae_ld64_acquire(&rx->answer_seq);
	if (!l->open || seq < l->seq)
		return OAE_POLL_PENDING;
	if (seq > l->seq)
		return OAE_POLL_BAD_SEQ;

	/* Copy once; only the copy is checked and used. */
	a->status = oae_ld32(&rx->status);
	op = oae_ld32(&rx->op);
	reflect = oae_ld64(&rx->reflect);
	digest = oae_ld64(&rx->digest);
	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		a->word[i] = oae_ld64(&rx->answer[i]);

	if (digest != oae_answer_digest(l->epoch, l->index, seq, a->status,
					op, reflect, a->word))
		return OAE_POLL_BAD_DIGEST;
	if (reflect != l->digest)
		return OAE_POLL_BAD_REFLECT;
	if (op != l->op || a->status > OAE_ANSWER_STATUS_MAX)
		return OAE_POLL_BAD_FIELD;
	return OAE_POLL_ANSWERED;
}

OAE_EXPORT_FOR_TESTS(oae_host_poll);

void oae_host_settle(struct oae_host_link *l, int commit,
		     enum oae_abort_reason reason)
{
	if (commit)
		oae_st64(&l->tx->commit_seq, l->seq);
	oae_st64_release(&l->tx->outcome_word,
			 oae_outcome_word(l->seq, commit,
					  commit ? OAE_ABORT_NONE : reason));
	l->open = 0;
}

OAE_EXPORT_FOR_TESTS(oae_host_settle);

/* ------------------------------------------------------------------ */
/* IPU side                                                            */

void oae_ipu_link_init(struct oae_ipu_link *l, const struct oae_link_host *rx,
		       struct oae_link_ipu *tx, oae_u32 index, oae_u64 epoch)
{
	unsigned int i;

	l->rx = rx;
	l->tx = tx;
	l->index = index;
	l->epoch = epoch;
	l->fault = OAE_FAULT_NONE;
	/* Offers published before this epoch are not ours to answer. */
	l->seen = oae_ld64_acquire(&rx->offer_seq);
	l->staged_seq = 0;
	oae_st32(&tx->status, 0);
	oae_st32(&tx->op, 0);
	oae_st64(&tx->reflect, 0);
	oae_st64(&tx->digest, 0);
	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		oae_st64(&tx->answer[i], 0);
	oae_st64(&tx->settled_word, 0);
	oae_st64_release(&tx->answer_seq, 0);
}

OAE_EXPORT_FOR_TESTS(oae_ipu_link_init);

static void oae_ipu_publish(struct oae_ipu_link *l, oae_u64 seq,
			    enum oae_answer_status status, oae_u32 op,
			    oae_u64 reflect, const oae_u64 answer[OAE_ANSWER_WORDS])
{
	struct oae_link_ipu *tx = l->tx;
	oae_u64 epoch = l->epoch;
	unsigned int i;

	switch (l->fault) {
	case OAE_FAULT_WRONG_ECHO:
		reflect ^= 1;
		break;
	case OAE_FAULT_WRONG_EPOCH:
		epoch++;
		break;
	case OAE_FAULT_BAD_STATUS:
		status = OAE_ANSWER_STATUS_MAX + 7;
		break;
	case OAE_FAULT_BAD_SEQ:
		seq += 3;
		break;
	}
	oae_st32(&tx->status, status);
	oae_st32(&tx->op, op);
	oae_st64(&tx->reflect, reflect);
	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		oae_st64(&tx->answer[i], answer[i]);
	oae_st64(&tx->digest, oae_answer_digest(epoch, l->index, seq, status,
						op, reflect, answer));
	if (l->fault == OAE_FAULT_TORN)
		oae_st64(&tx->answer[0], answer[0] ^ 0xff00);
	oae_st64_release(&tx->answer_seq, seq);
}

static void oae_ipu_settle(struct oae_ipu_link *l, const struct oae_policy *pol,
			   int commit, struct oae_ipu_link_stats *st)
{
	if (commit) {
		pol->commit(pol->ctx, l->index, l->stage);
		st->committed++;
	} else {
		pol->abort(pol->ctx, l->index, l->stage);
		st->aborted++;
	}
	oae_st64_release(&l->tx->settled_word,
			 oae_outcome_word(l->staged_seq, commit, 0));
	l->staged_seq = 0;
}

/*
 * What the host decided for the staged swap: 1 commit, 0 abort, -1 not yet.
 * @offer_seq and @outcome were loaded with acquire, offer_seq first.
 */
static int oae_ipu_host_decision(const struct oae_ipu_link *l,
				 oae_u64 offer_seq, oae_u64 outcome)
{
	oae_u64 out_seq = oae_outcome_seq(outcome);

	if (out_seq == l->staged_seq)
		return !!(outcome & OAE_OUTCOME_COMMIT);
	if (out_seq > l->staged_seq || offer_seq > l->staged_seq)
		/* The host moved on; commit_seq says what it did. */
		return oae_ld64(&l->rx->commit_seq) == l->staged_seq;
	return -1;
}

void oae_ipu_link_drop(struct oae_ipu_link *l, const struct oae_policy *pol)
{
	oae_u64 offer_seq, outcome;

	if (!l->staged_seq)
		return;
	/* Settle as the host decided; a swap it never decided is aborted. */
	offer_seq = oae_ld64_acquire(&l->rx->offer_seq);
	outcome = oae_ld64_acquire(&l->rx->outcome_word);
	if (oae_ipu_host_decision(l, offer_seq, outcome) == 1)
		pol->commit(pol->ctx, l->index, l->stage);
	else
		pol->abort(pol->ctx, l->index, l->stage);
	l->staged_seq = 0;
}

OAE_EXPORT_FOR_TESTS(oae_ipu_link_drop);

void oae_ipu_link_poll(struct oae_ipu_link *l, const struct oae_policy *pol,
		       oae_u64 consumed, oae_u64 watermark_max,
		       struct oae_ipu_link_stats *st)
{
	const struct oae_link_host *rx = l->rx;
	oae_u64 offer_seq, outcome, out_seq, watermark, digest, reflect;
	oae_u64 answer[OAE_ANSWER_WORDS] = { 0 };
	enum oae_answer_status status;
	struct oae_offer o;
	unsigned int i;

	offer_seq = oae_ld64_acquire(&rx->offer_seq);
	outcome = oae_ld64_acquire(&rx->outcome_word);
	out_seq = oae_outcome_seq(outcome);

	/* Step 4, SETTLE, before anything newer. */
	if (l->staged_seq) {
		int decision = oae_ipu_host_decision(l, offer_seq, outcome);

		if (decision < 0)
			return;	/* the host has not decided yet */
		if (out_seq == l->staged_seq && !oae_outcome_well_formed(outcome))
			st->bad_outcome++;
		oae_ipu_settle(l, pol, decision, st);
	}

	if (offer_seq <= l->seen)
		return;
	if (out_seq >= offer_seq) {
		/* Withdrawn before we answered: never stage it. */
		if (out_seq > offer_seq || !oae_outcome_well_formed(outcome))
			st->bad_outcome++;
		l->seen = offer_seq;
		st->skipped++;
		return;
	}

	/* Step 2, REFLECT: read the offer once, then confirm it held still. */
	o.op = oae_ld32(&rx->op);
	o.flags = oae_ld32(&rx->flags);
	watermark = oae_ld64(&rx->watermark);
	digest = oae_ld64(&rx->digest);
	for (i = 0; i < OAE_OFFER_WORDS; i++)
		o.payload[i] = oae_ld64(&rx->payload[i]);
	oae_rmb();
	if (oae_ld64(&rx->offer_seq) != offer_seq)
		return;	/* replaced while we read: take the new one next time */
	reflect = oae_offer_digest(l->epoch, l->index, offer_seq, o.op, o.flags,
				   watermark, o.payload);
	if (reflect != digest || o.op == OAE_OP_NONE || o.op > OAE_OP_MAX ||
	    watermark > watermark_max) {
		/* Refuse at once so the host aborts instead of waiting. */
		st->bad_offer++;
		l->seen = offer_seq;
		oae_ipu_publish(l, offer_seq, OAE_ANSWER_REFUSED, o.op, reflect,
				answer);
		return;
	}
	if (watermark > consumed) {
		/* S4: answer only once every event before the offer is applied. */
		st->waiting_events++;
		return;
	}

	status = pol->answer(pol->ctx, l->index, &o, answer, l->stage);
	l->seen = offer_seq;
	if (status == OAE_ANSWER_OK)
		l->staged_seq = offer_seq;
	oae_ipu_publish(l, offer_seq, status, o.op, reflect, answer);
	st->answered++;
}

OAE_EXPORT_FOR_TESTS(oae_ipu_link_poll);
