// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The policy registry: every policy ipu-sim's --sched-policy/--mem-policy/
 * --test-policy and the firmware's boot arguments can name. A new policy
 * is one file in this directory plus one line here.
 */
#include "echo.h"
#include "sched_policy.h"
#include "mem_policy.h"

static const struct oae_ipu_policy *const oae_policies[] = {
	&oae_echo_policy,
	&oae_sched_vtime_policy,
	&oae_sched_fifo_policy,
	&oae_mem_clock_policy,
};

static const char *const oae_role_names[OAE_NR_ROLES] = {
	[OAE_ROLE_TEST]		= "test",
	[OAE_ROLE_SCHED]	= "sched",
	[OAE_ROLE_MEM]		= "mem",
};

const char *oae_role_name(enum oae_policy_role role)
{
	return (unsigned int)role < OAE_NR_ROLES ? oae_role_names[role] : "?";
}

unsigned int oae_policy_count(void)
{
	return OAE_ARRAY_SIZE(oae_policies);
}

const struct oae_ipu_policy *oae_policy_at(unsigned int i)
{
	return i < OAE_ARRAY_SIZE(oae_policies) ? oae_policies[i] :
						  (const void *)0;
}

const struct oae_ipu_policy *oae_policy_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < OAE_ARRAY_SIZE(oae_policies); i++) {
		const char *a = oae_policies[i]->name, *b = name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*a == *b)
			return oae_policies[i];
	}
	return (const void *)0;
}

const struct oae_ipu_policy *oae_policy_find_abi(enum oae_policy_role role,
						 oae_u32 abi_id)
{
	unsigned int i;

	if (!abi_id)
		return (const void *)0;
	for (i = 0; i < OAE_ARRAY_SIZE(oae_policies); i++)
		if (oae_policies[i]->role == role &&
		    oae_policies[i]->abi_id == abi_id)
			return oae_policies[i];
	return (const void *)0;
}
