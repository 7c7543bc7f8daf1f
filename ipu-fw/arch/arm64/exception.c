// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Crash report for any exception taken at EL1 (see exception.h).
 *
 * The report is the only evidence a bare-metal fault leaves, so it says
 * what happened in words (exception class, abort kind) and dumps all the
 * state needed to find the faulting instruction with addr2line: ESR, ELR,
 * FAR, SPSR, x0-x30, SP, the core, and a frame-pointer call trace. The
 * first line always starts with "oae-fw: FATAL" for log scrapers.
 */
#include "arch/arm64/exception.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/sysreg.h"
#include "fw/console.h"

#define EXC_MAX_FRAMES		16

static void (*fatal_hook)(void);

void arm64_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

/* Vector table slot -> what was taken, and from where. */
static const char *const exc_kinds[16] = {
	"synchronous exception at EL1", "IRQ at EL1", "FIQ at EL1",
	"SError at EL1",
	"synchronous exception at EL1 in an exception handler",
	"IRQ at EL1 in an exception handler",
	"FIQ at EL1 in an exception handler",
	"SError at EL1 in an exception handler",
	"synchronous exception from EL0", "IRQ from EL0", "FIQ from EL0",
	"SError from EL0",
	"synchronous exception from AArch32", "IRQ from AArch32",
	"FIQ from AArch32", "SError from AArch32",
};

const char *arm64_esr_class_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction?)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "SIMD/FP access (firmware is integer-only)";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "trapped system register access";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	}
	return "unrecognised exception class";
}

static bool esr_is_abort(unsigned int ec)
{
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

static const char *abort_status(unsigned int fsc, unsigned int *level)
{
	*level = fsc & 3;
	switch (fsc & 0x3c) {
	case 0x04: return "translation fault (address not mapped)";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x00: case 0x01: case 0x02: case 0x03:
		return "address size fault";
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	}
	*level = ~0U;
	return "other fault";
}

static void report_cause(unsigned int ec, u64 esr)
{
	unsigned int fsc = esr & 0x3f, level;
	const char *what;

	if (!esr_is_abort(ec)) {
		fw_printf(FW_LOG_PREFIX "  EC 0x%02x: %s\n", ec,
			  arm64_esr_class_name(ec));
		return;
	}
	what = abort_status(fsc, &level);
	if (level <= 3 && (fsc & 0x3c) && (fsc & 0x3c) <= 0x0c)
		fw_printf(FW_LOG_PREFIX "  EC 0x%02x: %s, %s at level %u%s\n",
			  ec, arm64_esr_class_name(ec), what, level,
			  ec >= 0x24 ? (esr & (1 << 6) ? ", write" : ", read")
				     : "");
	else
		fw_printf(FW_LOG_PREFIX "  EC 0x%02x: %s, %s (FSC 0x%02x)%s\n",
			  ec, arm64_esr_class_name(ec), what, fsc,
			  ec >= 0x24 ? (esr & (1 << 6) ? ", write" : ", read")
				     : "");
}

/* Follow the AAPCS64 frame records while they stay on the core's stack. */
static void report_call_trace(const struct exc_frame *frame)
{
	unsigned int slot = current_stack_slot(), n;
	u64 lo, hi, fp = frame->x[29];

	fw_printf(FW_LOG_PREFIX "  call trace: 0x%016lx", frame->elr);
	if (slot < FW_MAX_CORES) {
		arm64_stack_bounds(slot, &lo, &hi);
		for (n = 0; n < EXC_MAX_FRAMES; n++) {
			if (fp < lo || fp > hi - 16 || fp & 15)
				break;
			fw_printf(" <- 0x%016lx", ((const u64 *)fp)[1]);
			fp = ((const u64 *)fp)[0];
		}
	}
	fw_printf("\n");
}

void arm64_exception(struct exc_frame *frame, unsigned long kind)
{
	unsigned int ec = (frame->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	unsigned int core = current_core_id(), i;
	void (*hook)(void) = fatal_hook;

	/* Once only: a fault inside the hook must not recurse into it. */
	fatal_hook = NULL;
	if (hook)
		hook();

	console_fatal_begin();
	fw_printf(FW_LOG_PREFIX "FATAL: %s on core %u (mpidr 0x%lx)\n",
		  kind < 16 ? exc_kinds[kind] : "exception", core,
		  current_mpidr());
	report_cause(ec, frame->esr);
	fw_printf(FW_LOG_PREFIX "  ESR  0x%016lx  ELR  0x%016lx\n",
		  frame->esr, frame->elr);
	fw_printf(FW_LOG_PREFIX "  FAR  0x%016lx  SPSR 0x%016lx%s\n",
		  frame->far, frame->spsr,
		  esr_is_abort(ec) || ec == 0x22 || ec == 0x34 || ec == 0x35 ?
		  "" : "  (FAR not meaningful for this class)");
	for (i = 0; i < 31; i += 3) {
		if (i + 2 < 31)
			fw_printf(FW_LOG_PREFIX
				  "  x%-2u 0x%016lx  x%-2u 0x%016lx  x%-2u 0x%016lx\n",
				  i, frame->x[i], i + 1, frame->x[i + 1],
				  i + 2, frame->x[i + 2]);
		else
			fw_printf(FW_LOG_PREFIX "  x%-2u 0x%016lx\n", i,
				  frame->x[i]);
	}
	fw_printf(FW_LOG_PREFIX "  SP   0x%016lx  core %u\n", frame->sp, core);
	report_call_trace(frame);
	fw_printf(FW_LOG_PREFIX "core %u parked\n", core);
	console_fatal_end();
	park_core();
}
