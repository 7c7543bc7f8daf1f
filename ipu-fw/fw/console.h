/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Console output for every part of the firmware, over the board's
 * board_console_putc(). One fw_printf() call is one unit of output: once
 * other cores run, calls are serialised with a spinlock so lines from
 * different cores never interleave.
 */
#ifndef _FW_CONSOLE_H
#define _FW_CONSOLE_H

#include "lib/types.h"

#define FW_LOG_PREFIX	"oae-fw: "

void fw_printf(const char *fmt, ...) __printf(1, 2);

/* One log line, prefixed and newline-terminated. */
#define fw_info(fmt, ...) fw_printf(FW_LOG_PREFIX fmt "\n", ##__VA_ARGS__)

/*
 * Start serialising output between cores. Called by the boot core once
 * its MMU is on: the lock uses atomics, which need Normal memory.
 */
void console_enable_smp(void);

/*
 * Crash path: take the console for a multi-line report. Waits a bounded
 * time for another core to finish its line, then goes ahead regardless:
 * a garbled report beats a missing one. fw_printf() calls between begin
 * and end do not take the lock again.
 */
void console_fatal_begin(void);
void console_fatal_end(void);

#endif /* _FW_CONSOLE_H */
