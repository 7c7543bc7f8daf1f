/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Firmware-wide constants and the entry points head.S calls.
 */
#ifndef _FW_FW_H
#define _FW_FW_H

#include "lib/types.h"

/*
 * Links offered to the host per class (scheduling, memory): one per host
 * CPU the offloads can serve. 16 matches the testbed's host and the
 * E2000's 16 cores; the host uses at most this many.
 */
#define FW_NR_LINKS		16
/* Custody event ring entries (power of two). */
#define FW_RING_ENTRIES		4096
/*
 * How long the boot core waits for a started core to report in. Generous:
 * under emulation on a loaded host a core can take seconds to be scheduled.
 */
#define FW_CORE_START_TIMEOUT_US	10000000

/* How often core 0 prints the per-core lock counters, if they changed. */
#define FW_STATUS_PERIOD_US	10000000

/* Deliberate fault for the crash-report test (FAULT_TEST=1 builds). */
#define FW_FAULT_TEST_ADDR	0xdeadbeefUL

void __noreturn fw_main(u64 boot_arg, u64 entry_count,
			unsigned int entry_el);
void __noreturn fw_secondary_main(unsigned int slot);

#endif /* _FW_FW_H */
