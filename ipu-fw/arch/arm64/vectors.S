/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * EL1 exception vectors. The firmware takes no interrupts and makes no
 * system calls, so every exception is a fault: save the full register
 * state and hand it to arm64_exception(), which reports and parks.
 *
 * Normal code runs on SP_EL0, so entries from the "current EL, SP_EL0"
 * group arrive on the per-core exception stack (SP_EL1) even if the main
 * stack is the thing that broke.
 */
#include "arch/arm64/exception.h"

.macro	ventry kind
	.balign	128
	sub	sp, sp, #EXC_FRAME_SIZE
	stp	x0, x1, [sp, #EXC_FRAME_X0]
	mov	x0, #\kind
	b	exception_common
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.globl	arm64_vectors
arm64_vectors:
	ventry	0	/* current EL, SP_EL0: synchronous */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry	4	/* current EL, SP_ELx: synchronous */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15

exception_common:
	stp	x2, x3, [sp, #EXC_FRAME_X0 + 16]
	stp	x4, x5, [sp, #EXC_FRAME_X0 + 32]
	stp	x6, x7, [sp, #EXC_FRAME_X0 + 48]
	stp	x8, x9, [sp, #EXC_FRAME_X0 + 64]
	stp	x10, x11, [sp, #EXC_FRAME_X0 + 80]
	stp	x12, x13, [sp, #EXC_FRAME_X0 + 96]
	stp	x14, x15, [sp, #EXC_FRAME_X0 + 112]
	stp	x16, x17, [sp, #EXC_FRAME_X0 + 128]
	stp	x18, x19, [sp, #EXC_FRAME_X0 + 144]
	stp	x20, x21, [sp, #EXC_FRAME_X0 + 160]
	stp	x22, x23, [sp, #EXC_FRAME_X0 + 176]
	stp	x24, x25, [sp, #EXC_FRAME_X0 + 192]
	stp	x26, x27, [sp, #EXC_FRAME_X0 + 208]
	stp	x28, x29, [sp, #EXC_FRAME_X0 + 224]
	str	x30, [sp, #EXC_FRAME_X0 + 240]

	/* The interrupted SP: SP_EL1 itself for the SP_ELx group. */
	mrs	x2, sp_el0
	cmp	x0, #4
	b.lo	1f
	cmp	x0, #8
	b.hs	1f
	add	x2, sp, #EXC_FRAME_SIZE
1:	mrs	x3, elr_el1
	stp	x2, x3, [sp, #EXC_FRAME_SP]
	mrs	x2, spsr_el1
	mrs	x3, esr_el1
	stp	x2, x3, [sp, #EXC_FRAME_SPSR]
	mrs	x2, far_el1
	str	x2, [sp, #EXC_FRAME_FAR]

	mov	x1, x0
	mov	x0, sp
	mov	x29, xzr		/* end of the call trace */
	bl	arm64_exception
	b	park_core
