/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Exception frame and crash report.
 */
#ifndef _FW_ARM64_EXCEPTION_H
#define _FW_ARM64_EXCEPTION_H

#define EXC_FRAME_X0		0
#define EXC_FRAME_SP		248
#define EXC_FRAME_ELR		256
#define EXC_FRAME_SPSR		264
#define EXC_FRAME_ESR		272
#define EXC_FRAME_FAR		280
#define EXC_FRAME_SIZE		288

#ifndef __ASSEMBLER__

#include "lib/types.h"

struct exc_frame {
	u64 x[31];
	u64 sp;		/* SP at the time of the exception */
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

_Static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "frame size");
_Static_assert(__builtin_offsetof(struct exc_frame, far) == EXC_FRAME_FAR,
	       "frame layout");

/*
 * Called once, before the report, by the core that takes a fatal
 * exception: lets the firmware tell the host (e.g. publish FAILED).
 */
void arm64_set_fatal_hook(void (*hook)(void));

/* Called from vectors.S; reports the exception and parks the core. */
void __noreturn arm64_exception(struct exc_frame *frame, unsigned long kind);

/* Exception class name for ESR_ELx.EC (exposed for tests and logs). */
const char *arm64_esr_class_name(unsigned int ec);

#endif /* !__ASSEMBLER__ */
#endif /* _FW_ARM64_EXCEPTION_H */
