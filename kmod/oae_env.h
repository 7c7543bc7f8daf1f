/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol-core environment for the kernel (see uapi/oae/proto.h). The
 * window is mapped with memremap(), so it is ordinary (if shared) memory:
 * READ_ONCE/WRITE_ONCE keep accesses single and untorn, smp_* give the
 * acquire/release ordering the publish words need.
 */
#ifndef _OAE_KMOD_ENV_H
#define _OAE_KMOD_ENV_H

#include <kunit/visibility.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

typedef u64 oae_u64;
typedef u32 oae_u32;

#define oae_ld64(p)		le64_to_cpu(READ_ONCE(*(p)))
#define oae_ld32(p)		le32_to_cpu(READ_ONCE(*(p)))
#define oae_st64(p, v)		WRITE_ONCE(*(p), cpu_to_le64(v))
#define oae_st32(p, v)		WRITE_ONCE(*(p), cpu_to_le32(v))
/* Read a publish word: the payload is read after it. */
#define oae_ld64_acquire(p)	le64_to_cpu(smp_load_acquire(p))
/* Write a publish word: the payload stored before it is visible first. */
#define oae_st64_release(p, v)	smp_store_release((p), cpu_to_le64(v))
/* Re-reading a publish word after its payload: order the loads. */
#define oae_rmb()		smp_rmb()

#define OAE_ARRAY_SIZE(a)	ARRAY_SIZE(a)
/* oae_ipu_kunit.ko calls the core directly. */
#define OAE_EXPORT_FOR_TESTS(sym) EXPORT_SYMBOL_IF_KUNIT(sym)

#endif /* _OAE_KMOD_ENV_H */
