/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fixed-width types for the firmware and for the board-independent code that
 * the host unit tests compile. Both targets are LP64 (AArch64 firmware,
 * x86-64 tests), so u64 is unsigned long and prints with %lx/%lu.
 */
#ifndef _FW_LIB_TYPES_H
#define _FW_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

_Static_assert(sizeof(long) == 8, "the firmware and its tests assume LP64");

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define SZ_4K			0x1000UL
#define SZ_64K			0x10000UL
#define SZ_1M			0x100000UL
#define SZ_2M			0x200000UL
#define SZ_1G			0x40000000UL
#define SZ_4G			0x100000000UL

#define __aligned(x)		__attribute__((aligned(x)))
#define __section(s)		__attribute__((section(s)))
#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __used			__attribute__((used))
#define fallthrough		__attribute__((__fallthrough__))

static inline bool is_power_of_2(u64 v)
{
	return v && !(v & (v - 1));
}

/* Error codes returned as negative values, Linux-style. */
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define ENOMEM		12
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ETIMEDOUT	110

#endif /* _FW_LIB_TYPES_H */
