/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * AArch64 system register access, barriers and the register bit values the
 * firmware programs. Shared by C and assembly (constants only below
 * __ASSEMBLER__).
 */
#ifndef _FW_ARM64_SYSREG_H
#define _FW_ARM64_SYSREG_H

/* Unsigned long constants usable from C and from assembly. */
#ifdef __ASSEMBLER__
#define UL(x)			x
#else
#define UL(x)			(x##UL)
#endif
#define BIT(n)			(UL(1) << (n))

/* CurrentEL */
#define CURRENTEL_EL1		(1 << 2)
#define CURRENTEL_EL2		(2 << 2)
#define CURRENTEL_EL3		(3 << 2)

/* MPIDR_EL1 affinity fields (Aff3 in 39:32, Aff2..Aff0 in 23:0). */
#define MPIDR_HWID_MASK		0xff00ffffffUL

/* SPSR: AArch64 EL1 with SP_EL1, D, A, I, F masked. */
#define SPSR_EL1H_MASKED	0x3c5

/*
 * HCR_EL2: EL1 is AArch64 (RW); HVC undefined at EL1 (HCD) since no
 * hypervisor stays resident after the firmware drops to EL1.
 */
#define HCR_EL2_RW		BIT(31)
#define HCR_EL2_HCD		BIT(29)

/* CNTHCTL_EL2: EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN	BIT(0)
#define CNTHCTL_EL1PCEN		BIT(1)

/* CPTR_EL2 (E2H = 0) RES1 bits, no traps. */
#define CPTR_EL2_RES1		0x33ff

/* SCTLR_EL1 */
#define SCTLR_M			BIT(0)	/* MMU */
#define SCTLR_A			BIT(1)	/* alignment check */
#define SCTLR_C			BIT(2)	/* data cache */
#define SCTLR_SA		BIT(3)	/* SP alignment check, EL1 */
#define SCTLR_SA0		BIT(4)	/* SP alignment check, EL0 */
#define SCTLR_I			BIT(12)	/* instruction cache */
#define SCTLR_WXN		BIT(19)	/* writable implies XN */
#define SCTLR_EL1_RES1		(BIT(11) | BIT(20) | BIT(22) | BIT(23) | \
				 BIT(28) | BIT(29))
/*
 * What the firmware runs with before the MMU is on: little-endian, all
 * translation and caching off, stack alignment checks on.
 */
#define SCTLR_EL1_MMU_OFF	(SCTLR_EL1_RES1 | SCTLR_SA | SCTLR_SA0)

/* ESR_ELx */
#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3f
#define ESR_ISS_MASK		0x1ffffff
#define ESR_IL			BIT(25)

#ifndef __ASSEMBLER__

#include "lib/types.h"

#define read_sysreg(r) ({					\
	u64 __v;						\
	__asm__ volatile("mrs %0, " #r : "=r"(__v));		\
	__v;							\
})

#define write_sysreg(r, v) do {					\
	u64 __v = (u64)(v);					\
	__asm__ volatile("msr " #r ", %0" : : "r"(__v));	\
} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

#define dsb(opt)	__asm__ volatile("dsb " #opt : : : "memory")

static inline void wfe(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static inline void sev(void)
{
	__asm__ volatile("sev" : : : "memory");
}

/* Spin-wait hint; also keeps the compiler from caching memory. */
static inline void cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}

static inline u64 current_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

/*
 * The dense core id (0 = boot core) lives in TPIDR_EL1 from the first
 * instruction of each core, so the crash handler can name the core even
 * when everything else is broken.
 */
static inline unsigned int current_core_id(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

#endif /* !__ASSEMBLER__ */
#endif /* _FW_ARM64_SYSREG_H */
