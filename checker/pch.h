/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pch.h: a precompiled prelude of the kernel headers most files include,
 * shared by the files parsed with the same flags (see pch.c).
 */
#ifndef MAPCHECK_PCH_H
#define MAPCHECK_PCH_H

#include "parse.h"
#include "job.h"

struct pch_set;

/* Prelude PCHs built under a private directory of $TMPDIR, for one run. */
struct pch_set *pch_set_new(const struct rules *rules);
/* Remove the directory and what it holds. */
void pch_set_free(struct pch_set *set);
/* Count @j among the files about to be parsed (before pch_for()). */
void pch_note(struct pch_set *set, const struct job *j);
/*
 * The PCH for @j, built on the first call for its flags once at least
 * PCH_MIN_FILES noted files share them; NULL when @j is parsed without
 * one (its first lines define macros other than by #define, a PCH would
 * not pay for itself, or building it failed).
 */
const struct pch *pch_for(struct pch_set *set, const struct job *j);
/*
 * How many PCHs @set has built: a process forked before a PCH's build
 * (its pch.seq greater than this count then) does not have it.
 */
unsigned pch_builds(const struct pch_set *set);

#endif
