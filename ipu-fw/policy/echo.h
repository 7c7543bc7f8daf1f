/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The echo test policy (role test): a deterministic answer function plus a
 * conserved resource, so tests can see every swap property from the host.
 *
 *   event OAE_EV_TEST(args[0] = value, args[1] = tokens):
 *         sum += value; pool += tokens
 *   offer OAE_OP_ECHO(payload[0], payload[1], payload[2] = tokens wanted):
 *         answer[0] = payload[0] ^ OAE_ECHO_XOR   (proves the IPU read it)
 *         answer[1] = payload[1] + link
 *         answer[2] = sum                         (S4: host knows the sum)
 *         answer[3] = granted = min(wanted, pool), reserved out of the pool
 *   commit: the granted tokens stay with the host
 *   abort:  they go back to the pool, exactly (S2, S3)
 *
 * Staging is a reservation: granted[link] holds the tokens taken out of
 * the pool, and abort adds them back. Adding commutes with whatever other
 * links staged or committed meanwhile, so the interleaving rule holds
 * without an undo log. Locking: one spinlock over sum and pool; granted[]
 * is touched only by the core serving that link.
 */
#ifndef _OAE_POLICY_ECHO_H
#define _OAE_POLICY_ECHO_H

#include "policy.h"

struct oae_echo_state {
	struct oae_spinlock lock;
	oae_u64 sum;
	oae_u64 pool;
	oae_u64 granted[OAE_MAX_LINKS];	/* staged per link; 0 none */
	oae_u64 staged[OAE_MAX_LINKS];	/* 1 while a swap is staged */
};

/* Make @pol an echo policy over @st (tests run private instances). */
void oae_echo_policy_init(struct oae_ipu_policy *pol,
			  struct oae_echo_state *st);

/* The registered instance. */
extern const struct oae_ipu_policy oae_echo_policy;

#endif /* _OAE_POLICY_ECHO_H */
