/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * IPU-local spinlocks for state that cores share (a policy's state, the
 * event ring's consumer position). Never used on window words: the host
 * cannot take part in an IPU lock (design 2.1).
 *
 * Every acquisition is counted in the caller's own struct oae_lock_stats,
 * so the per-core status lines can prove that an idle poll round takes no
 * shared lock at all (taken stays put while heartbeats advance).
 */
#ifndef _OAE_LOCK_H
#define _OAE_LOCK_H

#include "oae_env.h"

struct oae_spinlock {
	int locked;
};

/* Per core, written only by that core. */
struct oae_lock_stats {
	oae_u64 taken;		/* shared locks acquired */
	oae_u64 waited;		/* ...of which were held by another core */
};

#define OAE_SPINLOCK_INIT	{ 0 }

/*
 * Wait until *@word reads 0. On AArch64 the exclusive load arms the
 * monitor, so WFE sleeps until the holder's releasing store wakes us
 * instead of hammering the line; elsewhere a pause hint.
 */
static inline void oae_spin_wait(int *word)
{
#if defined(__aarch64__)
	int v;

	__asm__ volatile("sevl" ::: "memory");
	do {
		__asm__ volatile("wfe\n\tldaxr %w0, %1"
				 : "=&r"(v) : "Q"(*word) : "memory");
	} while (v);
#else
	while (__atomic_load_n(word, __ATOMIC_RELAXED)) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
#endif
}

static inline void oae_spin_lock(struct oae_spinlock *l,
				 struct oae_lock_stats *st)
{
	st->taken++;
	if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return;
	st->waited++;
	do
		oae_spin_wait(&l->locked);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE));
}

/* Take @l only if it is free; a busy lock counts as a wait. */
static inline int oae_spin_trylock(struct oae_spinlock *l,
				   struct oae_lock_stats *st)
{
	if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		st->waited++;
		return 0;
	}
	st->taken++;
	return 1;
}

static inline void oae_spin_unlock(struct oae_spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif /* _OAE_LOCK_H */
