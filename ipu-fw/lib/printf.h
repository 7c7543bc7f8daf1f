/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Freestanding snprintf subset for the console and crash reports.
 *
 * Conversions: d i u x X o c s p %. Flags: - 0 + space #. Width and
 * precision as numbers or '*' (both capped at 4096). Length modifiers:
 * hh h l ll z t. An unknown conversion is copied to the output verbatim
 * so a format mistake is visible rather than silently eating arguments.
 * Return value and truncation follow C99: the length the full output
 * would have, with the buffer always NUL-terminated when size > 0.
 */
#ifndef _FW_LIB_PRINTF_H
#define _FW_LIB_PRINTF_H

#include <stdarg.h>
#include "lib/types.h"

int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fw_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* _FW_LIB_PRINTF_H */
