/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The echo test policy: a deterministic answer function plus a conserved
 * resource, so tests can see every swap property from the host.
 *
 *   event OAE_EV_TEST(args[0] = value, args[1] = tokens):
 *         sum += value; pool += tokens
 *   offer OAE_OP_ECHO(payload[0], payload[1], payload[2] = tokens wanted):
 *         answer[0] = payload[0] ^ OAE_ECHO_XOR   (proves the IPU read it)
 *         answer[1] = payload[1] + link
 *         answer[2] = sum                         (S4: host knows the sum)
 *         answer[3] = granted = min(wanted, pool), staged out of the pool
 *   commit: the granted tokens stay with the host
 *   abort:  they go back to the pool, exactly (S2, S3)
 */
#ifndef _OAE_POLICY_ECHO_H
#define _OAE_POLICY_ECHO_H

#include "proto.h"

struct oae_echo_state {
	oae_u64 sum;
	oae_u64 pool;
};

void oae_echo_policy_init(struct oae_policy *pol, struct oae_echo_state *st);

#endif /* _OAE_POLICY_ECHO_H */
