/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Entry points: the boot core (_start) and secondary cores started by PSCI
 * CPU_ON (secondary_entry).
 *
 * Either may arrive at EL2 (e.g. QEMU -M virt,virtualization=on) or EL1,
 * always with the MMU and caches off. EL2 is left for EL1 at once: the
 * firmware is an EL1 program and keeps no hypervisor.
 */
#include "arch/arm64/sysreg.h"
#include "arch/arm64/smp.h"

/*
 * Leave EL2 for EL1h with everything masked, continuing at the next
 * instruction. EL1 falls through; EL3 (no PSCI firmware below us to start
 * other cores) is not supported and parks. Clobbers x9.
 */
.macro	enter_el1
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL1
	b.eq	.Lel1_\@
	cmp	x9, #CURRENTEL_EL2
	b.ne	park_core
	mov	x9, #(HCR_EL2_RW | HCR_EL2_HCD)
	msr	hcr_el2, x9
	mov	x9, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mrs	x9, midr_el1		/* EL1 sees the real MIDR/MPIDR */
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mov	x9, #CPTR_EL2_RES1
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	ldr	x9, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x9
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	adr	x9, .Lel1_\@
	msr	elr_el2, x9
	eret
.Lel1_\@:
	ldr	x9, =SCTLR_EL1_MMU_OFF	/* known state: MMU, caches off */
	msr	sctlr_el1, x9
	isb
.endm

/*
 * Point SP_EL1 at the exception stack and SP_EL0 at the main stack of
 * stack slot \slot, then run on SP_EL0. Clobbers \t0, \t1.
 */
.macro	setup_stacks slot, t0, t1
	ldr	\t0, =fw_stacks
	ldr	\t1, =FW_STACK_SLOT_SIZE
	madd	\t0, \slot, \t1, \t0
	ldr	\t1, =FW_EXC_STACK_TOP
	add	\t1, \t0, \t1
	msr	spsel, #1
	mov	sp, \t1
	ldr	\t1, =FW_STACK_TOP
	add	\t1, \t0, \t1
	msr	sp_el0, \t1
	msr	spsel, #0
.endm

	.section .text.head, "ax"
	.globl	_start
_start:
	/*
	 * arm64 Linux Image header, so that the raw oae-fw.bin is loaded
	 * like a kernel Image: at a 2 MiB-aligned RAM base + text_offset
	 * (QEMU virt: 0x40200000, where the image is linked), with the DTB
	 * address in x0.
	 */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0x200000		/* text_offset */
	.quad	__image_size		/* image_size, BSS and stacks included */
	.quad	0x2			/* flags: little-endian, 4K pages */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary_entry:
	mov	x19, x0			/* boot argument: DTB address or 0 */
	mrs	x20, cntvct_el0		/* entry timestamp for boot timing */
	mrs	x21, CurrentEL		/* reported: did we drop from EL2? */
	msr	daifset, #0xf

	/* The image is not position independent: refuse to run elsewhere. */
	adr	x0, _start
	ldr	x1, =_start
	cmp	x0, x1
	b.ne	park_core

	enter_el1
	msr	tpidr_el1, xzr		/* core 0, stack slot 0 */

	/* Zero .bss (bounds 16-byte aligned by the linker script). */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	mov	x0, #0
	setup_stacks x0, x1, x2
	ldr	x0, =arm64_vectors
	msr	vbar_el1, x0
	isb
	msr	daifclr, #4		/* SErrors are reported, not lost */

	mov	x0, x19
	mov	x1, x20
	lsr	x2, x21, #2
	bl	fw_main
	b	park_core

/*
 * PSCI CPU_ON entry: x0 = this core's struct secondary_boot, written by
 * the boot core and cleaned to the point of coherency because we read it
 * with our caches off. No stack is touched until the MMU is on.
 */
	.text
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	msr	daifset, #0xf
	enter_el1

	ldr	x20, [x19, #SB_SLOT]
	ldr	x21, [x19, #SB_CORE_ID]
	cmp	x20, #FW_MAX_CORES
	b.hs	park_core
	orr	x0, x21, x20, lsl #FW_TPIDR_SLOT_SHIFT
	msr	tpidr_el1, x0

	ldr	x0, [x19, #SB_MAIR]
	msr	mair_el1, x0
	ldr	x0, [x19, #SB_TCR]
	msr	tcr_el1, x0
	ldr	x0, [x19, #SB_TTBR0]
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, [x19, #SB_SCTLR]
	msr	sctlr_el1, x0
	isb

	setup_stacks x20, x0, x1
	ldr	x0, =arm64_vectors
	msr	vbar_el1, x0
	isb
	msr	daifclr, #4

	mov	x0, x20
	bl	fw_secondary_main
	b	park_core

	.globl	park_core
park_core:
	msr	daifset, #0xf
1:	wfi
	b	1b
