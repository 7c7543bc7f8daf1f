// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The echo test policy (see echo.h). */
#include "echo.h"

static void echo_reset(void *ctx)
{
	struct oae_echo_state *st = ctx;

	st->sum = 0;
	st->pool = 0;
}

static void echo_event(void *ctx, oae_u32 type, oae_u32 link,
		       const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_echo_state *st = ctx;

	(void)link;
	if (type != OAE_EV_TEST)
		return;
	st->sum += args[0];
	st->pool += args[1];
}

static enum oae_answer_status echo_answer(void *ctx, oae_u32 link,
					  const struct oae_offer *o,
					  oae_u64 answer[OAE_ANSWER_WORDS],
					  oae_u64 stage[OAE_STAGE_WORDS])
{
	struct oae_echo_state *st = ctx;
	oae_u64 granted;

	if (o->op != OAE_OP_ECHO)
		return OAE_ANSWER_REFUSED;
	granted = o->payload[2] < st->pool ? o->payload[2] : st->pool;
	st->pool -= granted;	/* staged: undone by abort */
	stage[0] = granted;
	answer[0] = o->payload[0] ^ OAE_ECHO_XOR;
	answer[1] = o->payload[1] + link;
	answer[2] = st->sum;
	answer[3] = granted;
	return OAE_ANSWER_OK;
}

static void echo_commit(void *ctx, oae_u32 link,
			const oae_u64 stage[OAE_STAGE_WORDS])
{
	(void)ctx;
	(void)link;
	(void)stage;
}

static void echo_abort(void *ctx, oae_u32 link,
		       const oae_u64 stage[OAE_STAGE_WORDS])
{
	struct oae_echo_state *st = ctx;

	(void)link;
	st->pool += stage[0];
}

void oae_echo_policy_init(struct oae_policy *pol, struct oae_echo_state *st)
{
	*pol = (struct oae_policy){
		.name = "echo",
		.ctx = st,
		.reset = echo_reset,
		.event = echo_event,
		.answer = echo_answer,
		.commit = echo_commit,
		.abort = echo_abort,
	};
	echo_reset(st);
}
