/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Per-core stacks and the hand-off block a secondary core reads when it
 * starts with its MMU off.
 *
 * Every core owns a stack slot: [guard][main stack][guard][exception stack].
 * Normal code runs on SP_EL0 (the main stack); exceptions switch to SP_EL1
 * (the exception stack), so a blown or corrupt main stack still gets a
 * crash report. Guard pages stay unmapped, turning an overflow into a
 * translation fault instead of silent corruption of a neighbour.
 */
#ifndef _FW_ARM64_SMP_H
#define _FW_ARM64_SMP_H

/* Cores the firmware can run; the Intel IPU E2000 has 16 Neoverse N1s. */
#define FW_MAX_CORES		16

#define FW_GUARD_SIZE		0x1000
#define FW_STACK_SIZE		0x4000
#define FW_EXC_STACK_SIZE	0x2000
#define FW_STACK_SLOT_SIZE	(2 * FW_GUARD_SIZE + FW_STACK_SIZE + \
				 FW_EXC_STACK_SIZE)
/* Offsets of the stack tops inside a slot (stacks grow down). */
#define FW_STACK_TOP		(FW_GUARD_SIZE + FW_STACK_SIZE)
#define FW_EXC_STACK_TOP	FW_STACK_SLOT_SIZE

/* TPIDR_EL1 = core id | stack slot << 32 (see current_core_id()). */
#define FW_TPIDR_SLOT_SHIFT	32

/* struct secondary_boot field offsets, for head.S. */
#define SB_MAIR			0
#define SB_TCR			8
#define SB_TTBR0		16
#define SB_SCTLR		24
#define SB_SLOT			32
#define SB_CORE_ID		40
#define SB_SIZE			64	/* one cache line per core */

#ifndef __ASSEMBLER__

#include "lib/types.h"

struct secondary_boot {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
	u64 slot;	/* stack slot */
	u64 core_id;	/* dense id the core runs as */
	u64 pad[2];
};

_Static_assert(sizeof(struct secondary_boot) == SB_SIZE, "boot block size");
_Static_assert(__builtin_offsetof(struct secondary_boot, core_id) ==
	       SB_CORE_ID, "boot block layout");
_Static_assert(__builtin_offsetof(struct secondary_boot, slot) == SB_SLOT,
	       "boot block layout");

extern u8 fw_stacks[FW_MAX_CORES][FW_STACK_SLOT_SIZE];
/* head.S: where PSCI starts a secondary core. */
extern char secondary_entry[];

/* Physical address a secondary core starts at (the PSCI entry point). */
u64 arm64_secondary_entry_pa(void);

/*
 * Fill @slot's boot block so the core starting there runs as @core_id with
 * this core's MMU configuration, and push it to the point of coherency (the
 * new core reads it with its caches off). Returns the PSCI context value.
 */
u64 arm64_prepare_secondary(unsigned int slot, unsigned int core_id);

/* Bounds of @slot's main stack, for the crash handler's call trace. */
void arm64_stack_bounds(unsigned int slot, u64 *lo, u64 *hi);

static inline unsigned int current_stack_slot(void)
{
	u64 tpidr;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(tpidr));
	return (unsigned int)(tpidr >> FW_TPIDR_SLOT_SHIFT);
}

/* Set this core's dense id, keeping its stack slot. */
void arm64_set_core_id(unsigned int core_id);

/* Stop this core for good: interrupts masked, wait-for-interrupt loop. */
void __noreturn park_core(void);

#endif /* !__ASSEMBLER__ */
#endif /* _FW_ARM64_SMP_H */
