/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The memory functions the compiler may call on its own (structure copies
 * and initialisers), provided for the freestanding firmware. Host builds of
 * the board-independent code use the C library's instead.
 */
#ifndef _FW_LIB_STRING_H
#define _FW_LIB_STRING_H

#include "lib/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif /* _FW_LIB_STRING_H */
