/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * An undo log for staged policy changes: every word a swap changes is
 * recorded as (word, old, new) before it changes, in entries the policy
 * owns and sizes. commit forgets the log; abort restores each word, last
 * change first, but only if it still holds the value this swap wrote: a
 * word another link changed since keeps that later value (the interleaving
 * rule in policy.h). Not locked: the caller holds its policy's lock.
 */
#ifndef _OAE_UNDO_H
#define _OAE_UNDO_H

#include "oae_env.h"

struct oae_undo_entry {
	oae_u64 *word;
	oae_u64 old;
	oae_u64 new;
};

struct oae_undo_log {
	struct oae_undo_entry *entry;
	oae_u32 capacity;
	oae_u32 used;
};

void oae_undo_init(struct oae_undo_log *log, struct oae_undo_entry *entries,
		   oae_u32 capacity);

/*
 * Set *@word to @value, logged. Returns 0, or -1 with nothing changed if
 * the log is full: the caller must then decline rather than stage a
 * change it could not undo.
 */
int oae_undo_set(struct oae_undo_log *log, oae_u64 *word, oae_u64 value);

/* Keep every logged change. */
void oae_undo_commit(struct oae_undo_log *log);

/*
 * Undo every logged change this log can still undo. Returns how many
 * words were left alone because another swap changed them since.
 */
oae_u32 oae_undo_abort(struct oae_undo_log *log);

/*
 * Before @log is aborted, for a word a later swap changed since: the
 * first entry of @later that logged the value @log wrote as its old
 * value gets @log's old value instead. Aborting both, in either order,
 * then restores the word to its value before either swap (the later
 * swap started from what @log wrote; without @log it starts from what
 * was there before).
 */
void oae_undo_pass_back(const struct oae_undo_log *log,
			struct oae_undo_log *later);

static inline oae_u32 oae_undo_used(const struct oae_undo_log *log)
{
	return log->used;
}

#endif /* _OAE_UNDO_H */
