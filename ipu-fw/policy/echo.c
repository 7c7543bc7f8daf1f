// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The echo test policy (see echo.h). */
#include "echo.h"

static void echo_start(void *ctx, const struct oae_policy_env *env,
		       oae_u32 nr_links)
{
	struct oae_echo_state *st = ctx;
	oae_u32 i;

	(void)nr_links;
	oae_spin_lock(&st->lock, env->locks);
	st->sum = 0;
	st->pool = 0;
	for (i = 0; i < OAE_MAX_LINKS; i++) {
		st->granted[i] = 0;
		st->staged[i] = 0;
	}
	oae_spin_unlock(&st->lock);
}

static void echo_event(void *ctx, const struct oae_policy_env *env,
		       oae_u32 type, oae_u32 link,
		       const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_echo_state *st = ctx;

	(void)type;
	(void)link;
	oae_spin_lock(&st->lock, env->locks);
	st->sum += args[0];
	st->pool += args[1];
	oae_spin_unlock(&st->lock);
}

static enum oae_answer_status echo_answer(void *ctx,
					  const struct oae_policy_env *env,
					  oae_u32 link,
					  const struct oae_offer *o,
					  oae_u64 answer[OAE_ANSWER_WORDS])
{
	struct oae_echo_state *st = ctx;
	oae_u64 granted, sum;

	oae_spin_lock(&st->lock, env->locks);
	granted = o->payload[2] < st->pool ? o->payload[2] : st->pool;
	st->pool -= granted;
	sum = st->sum;
	oae_spin_unlock(&st->lock);
	st->granted[link] = granted;
	st->staged[link] = 1;
	answer[0] = o->payload[0] ^ OAE_ECHO_XOR;
	answer[1] = o->payload[1] + link;
	answer[2] = sum;
	answer[3] = granted;
	return OAE_ANSWER_OK;
}

static enum oae_settle_report echo_commit(void *ctx,
					  const struct oae_policy_env *env,
					  oae_u32 link)
{
	struct oae_echo_state *st = ctx;

	(void)env;
	if (!st->staged[link])
		return OAE_SETTLE_NOT_STAGED;
	st->staged[link] = 0;
	st->granted[link] = 0;
	return OAE_SETTLE_OK;
}

static enum oae_settle_report echo_abort(void *ctx,
					 const struct oae_policy_env *env,
					 oae_u32 link)
{
	struct oae_echo_state *st = ctx;

	if (!st->staged[link])
		return OAE_SETTLE_NOT_STAGED;
	oae_spin_lock(&st->lock, env->locks);
	st->pool += st->granted[link];
	oae_spin_unlock(&st->lock);
	st->staged[link] = 0;
	st->granted[link] = 0;
	return OAE_SETTLE_OK;
}

void oae_echo_policy_init(struct oae_ipu_policy *pol,
			  struct oae_echo_state *st)
{
	*pol = oae_echo_policy;
	pol->ctx = st;
	*st = (struct oae_echo_state){ .lock = OAE_SPINLOCK_INIT };
}

static struct oae_echo_state echo_registered;

const struct oae_ipu_policy oae_echo_policy = {
	.name = "echo",
	.summary = "test policy: answer = f(offer), tokens reserved from a pool",
	.role = OAE_ROLE_TEST,
	.ctx = &echo_registered,
	.start = echo_start,
	.event = echo_event,
	.answer = echo_answer,
	.commit = echo_commit,
	.abort = echo_abort,
};
