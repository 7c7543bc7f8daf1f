/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Protocol-core environment for the firmware, ipu-sim and host unit tests
 * (see uapi/oae/proto.h). All three run little-endian with GCC's atomic
 * builtins, which lower to LDAR/STLR on AArch64 and plain MOVs plus compiler
 * barriers on x86-64.
 */
#ifndef _OAE_ENV_H
#define _OAE_ENV_H

#include <stdint.h>
#include <stddef.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "oae_env.h assumes a little-endian CPU; add byte swaps for this port"
#endif

typedef uint64_t oae_u64;
typedef uint32_t oae_u32;

#define oae_ld64(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define oae_ld32(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define oae_st64(p, v)		__atomic_store_n((p), (oae_u64)(v), __ATOMIC_RELAXED)
#define oae_st32(p, v)		__atomic_store_n((p), (oae_u32)(v), __ATOMIC_RELAXED)
#define oae_ld64_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
/*
 * A publish word tells the host that what came before it is complete, so
 * the firmware puts the board's publish barrier in front (board.h): a
 * release store orders stores only within the cores' shareability domain,
 * and on a real board the host is outside it. ipu-sim and the tests share
 * memory with the "host" like ordinary threads and need nothing more.
 */
#ifdef OAE_FW_BOARD
#include "board/board_window.h"
#define oae_publish_barrier()	board_window_publish_barrier()
#else
#define oae_publish_barrier()	do { } while (0)
#endif
#define oae_st64_release(p, v)	do {					\
		oae_publish_barrier();					\
		__atomic_store_n((p), (oae_u64)(v), __ATOMIC_RELEASE);	\
	} while (0)

#define oae_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)

#define OAE_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* Everything is linked statically here; consume the trailing semicolon. */
#define OAE_EXPORT_FOR_TESTS(sym) _Static_assert(1, #sym)

#endif /* _OAE_ENV_H */
