// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The undo log for staged policy changes (see undo.h). */
#include "undo.h"

void oae_undo_init(struct oae_undo_log *log, struct oae_undo_entry *entries,
		   oae_u32 capacity)
{
	log->entry = entries;
	log->capacity = capacity;
	log->used = 0;
}

int oae_undo_set(struct oae_undo_log *log, oae_u64 *word, oae_u64 value)
{
	struct oae_undo_entry *e;

	if (log->used == log->capacity)
		return -1;
	e = &log->entry[log->used++];
	e->word = word;
	e->old = *word;
	e->new = value;
	*word = value;
	return 0;
}

void oae_undo_commit(struct oae_undo_log *log)
{
	log->used = 0;
}

oae_u32 oae_undo_abort(struct oae_undo_log *log)
{
	oae_u32 kept = 0;

	while (log->used) {
		struct oae_undo_entry *e = &log->entry[--log->used];

		if (*e->word == e->new)
			*e->word = e->old;
		else
			kept++;
	}
	return kept;
}

void oae_undo_pass_back(const struct oae_undo_log *log,
			struct oae_undo_log *later)
{
	const struct oae_undo_entry *e;
	oae_u32 i, j;

	for (i = 0; i < log->used; i++) {
		e = &log->entry[i];
		if (*e->word == e->new)
			continue;	/* this abort restores it itself */
		for (j = 0; j < later->used; j++) {
			if (later->entry[j].word != e->word)
				continue;
			if (later->entry[j].old == e->new)
				later->entry[j].old = e->old;
			break;
		}
	}
}
