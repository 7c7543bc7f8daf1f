// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PSCI calls through the SMC Calling Convention (see psci.h).
 */
#include "arch/arm64/psci.h"

static enum psci_conduit psci_conduit = PSCI_CONDUIT_HVC;
static u32 psci_cpu_on_fn = PSCI_0_2_FN64_CPU_ON;
static bool psci_has_version;

/* SMCCC: arguments in x0-x3, result in x0; x4-x17 may be clobbered. */
#define PSCI_CLOBBERS "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", \
		      "x12", "x13", "x14", "x15", "x16", "x17", "memory"

static s64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (psci_conduit == PSCI_CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 : : PSCI_CLOBBERS);
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 : : PSCI_CLOBBERS);
	return (s64)x0;
}

void psci_init(enum psci_conduit conduit, u32 cpu_on_fn, bool has_version)
{
	psci_conduit = conduit;
	psci_cpu_on_fn = cpu_on_fn;
	psci_has_version = has_version;
}

u32 psci_version(void)
{
	if (!psci_has_version)
		return 0;
	return (u32)psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
}

int psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return (int)psci_call(psci_cpu_on_fn, mpidr, entry, context);
}

const char *psci_strerror(int err)
{
	switch (err) {
	case PSCI_SUCCESS:
		return "success";
	case PSCI_NOT_SUPPORTED:
		return "not supported";
	case PSCI_INVALID_PARAMETERS:
		return "invalid parameters";
	case PSCI_DENIED:
		return "denied";
	case PSCI_ALREADY_ON:
		return "already on";
	case PSCI_ON_PENDING:
		return "on pending";
	case PSCI_INTERNAL_FAILURE:
		return "internal failure";
	case PSCI_NOT_PRESENT:
		return "not present";
	case PSCI_DISABLED:
		return "disabled";
	case PSCI_INVALID_ADDRESS:
		return "invalid address";
	}
	return "unknown error";
}

const char *psci_conduit_name(enum psci_conduit conduit)
{
	return conduit == PSCI_CONDUIT_SMC ? "smc" : "hvc";
}
