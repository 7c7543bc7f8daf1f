/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Time from the Arm generic timer: the virtual counter CNTVCT_EL0 at the
 * frequency in CNTFRQ_EL0. The firmware only measures and bounds waits;
 * it never takes timer interrupts.
 */
#ifndef _FW_ARM64_TIMER_H
#define _FW_ARM64_TIMER_H

#include "arch/arm64/sysreg.h"

static inline u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

static inline u64 timer_count(void)
{
	/* Without the ISB the read may be taken early, out of order. */
	isb();
	return read_sysreg(cntvct_el0);
}

/* @ticks in units of 1/@per_second s; split so nothing overflows. */
static inline u64 timer_ticks_to(u64 ticks, u64 per_second)
{
	u64 freq = timer_freq();

	if (!freq)
		return 0;
	return ticks / freq * per_second + ticks % freq * per_second / freq;
}

static inline u64 timer_ticks_to_us(u64 ticks)
{
	return timer_ticks_to(ticks, 1000000);
}

static inline u64 timer_ticks_to_ns(u64 ticks)
{
	return timer_ticks_to(ticks, 1000000000);
}

static inline u64 timer_us_to_ticks(u64 us)
{
	return us / 1000000 * timer_freq() + us % 1000000 * timer_freq() /
	       1000000;
}

#endif /* _FW_ARM64_TIMER_H */
