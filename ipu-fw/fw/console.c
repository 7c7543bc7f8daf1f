// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Console output (see console.h).
 */
#include <stdarg.h>

#include "arch/arm64/smp.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/timer.h"
#include "board/board.h"
#include "fw/console.h"
#include "lib/printf.h"

/* Longest single fw_printf(); longer output is cut and marked. */
#define CONSOLE_BUF_SIZE	256
/* How long a crashing core waits for the console before taking it. */
#define CONSOLE_FATAL_WAIT_US	100000

#define CONSOLE_UNLOCKED	0

static bool console_smp;
/*
 * Holder's stack slot + 1, or CONSOLE_UNLOCKED. The slot, not the core id:
 * a core abandoned mid-start shares its id with the core started after it.
 */
static u32 console_owner;

static void console_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			board_console_putc('\r');
		board_console_putc(*s);
	}
}

static bool console_trylock(u32 me)
{
	u32 unlocked = CONSOLE_UNLOCKED;

	return __atomic_compare_exchange_n(&console_owner, &unlocked, me,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static void console_unlock(u32 me)
{
	u32 held = me;

	__atomic_compare_exchange_n(&console_owner, &held, CONSOLE_UNLOCKED,
				    false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

void fw_printf(const char *fmt, ...)
{
	char buf[CONSOLE_BUF_SIZE];
	u32 me = current_stack_slot() + 1;
	bool locked = false;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fw_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		fw_snprintf(buf + sizeof(buf) - 6, 6, "...\n");

	if (__atomic_load_n(&console_smp, __ATOMIC_RELAXED) &&
	    __atomic_load_n(&console_owner, __ATOMIC_RELAXED) != me) {
		while (!console_trylock(me))
			cpu_relax();
		locked = true;
	}
	console_write(buf);
	if (locked)
		console_unlock(me);
}

void console_enable_smp(void)
{
	__atomic_store_n(&console_smp, true, __ATOMIC_RELEASE);
}

void console_fatal_begin(void)
{
	u32 me = current_stack_slot() + 1;
	u64 deadline;

	if (!__atomic_load_n(&console_smp, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me)
		return;
	deadline = timer_count() + timer_us_to_ticks(CONSOLE_FATAL_WAIT_US);
	while (!console_trylock(me)) {
		if (timer_count() > deadline) {
			/* The holder is stuck (or crashed): take over. */
			__atomic_store_n(&console_owner, me, __ATOMIC_RELAXED);
			break;
		}
		cpu_relax();
	}
}

void console_fatal_end(void)
{
	if (__atomic_load_n(&console_smp, __ATOMIC_RELAXED))
		console_unlock(current_stack_slot() + 1);
}
