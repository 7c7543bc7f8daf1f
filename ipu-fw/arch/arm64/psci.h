/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * PSCI client: just enough to start secondary cores. The conduit (HVC or
 * SMC) and, for PSCI 0.1, the CPU_ON function id come from the board.
 */
#ifndef _FW_ARM64_PSCI_H
#define _FW_ARM64_PSCI_H

#include "lib/types.h"

enum psci_conduit {
	PSCI_CONDUIT_HVC,	/* documented default when the DT is silent */
	PSCI_CONDUIT_SMC,
};

#define PSCI_0_2_FN_PSCI_VERSION	0x84000000U
#define PSCI_0_2_FN64_CPU_ON		0xc4000003U

/* PSCI return codes */
#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		-1
#define PSCI_INVALID_PARAMETERS		-2
#define PSCI_DENIED			-3
#define PSCI_ALREADY_ON			-4
#define PSCI_ON_PENDING			-5
#define PSCI_INTERNAL_FAILURE		-6
#define PSCI_NOT_PRESENT		-7
#define PSCI_DISABLED			-8
#define PSCI_INVALID_ADDRESS		-9

void psci_init(enum psci_conduit conduit, u32 cpu_on_fn, bool has_version);
/* PSCI_VERSION as major << 16 | minor, or 0 for PSCI 0.1. */
u32 psci_version(void);
int psci_cpu_on(u64 mpidr, u64 entry, u64 context);
const char *psci_strerror(int err);
const char *psci_conduit_name(enum psci_conduit conduit);

#endif /* _FW_ARM64_PSCI_H */
