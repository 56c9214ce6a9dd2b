/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic.h: outputs written whole or not at all (reports, baselines, the
 * patch series): under a temporary name beside the final one, renamed
 * into place last.
 */
#ifndef MAPCHECK_ATOMIC_H
#define MAPCHECK_ATOMIC_H

#include "mapcheck.h"

struct atomic_file {
	FILE *f;
	char *path;		/* where it goes */
	char *tmp;		/* where it is written, or NULL: written in place */
};

/*
 * Open @path for writing, under a temporary name in its directory; NULL
 * (errno set) when that cannot be created.  A @path that exists and is not
 * a regular file (/dev/stdout, a FIFO) is written in place.
 */
FILE *atomic_open(struct atomic_file *a, const char *path);
/* Close and rename into place; false (errno set) on a write error. */
bool atomic_commit(struct atomic_file *a);

/*
 * A new, empty directory beside @dir (made with its parents if missing) to
 * write a directory's content in, hidden and named after @dir and this
 * process; NULL with *err set.  @owned tells the names of regular files
 * the directory holds, the only ones ever removed: those in a killed run's
 * leftover and those of the old content.
 */
char *atomic_dir_open(const char *dir, bool (*owned)(const char *name), char **err);
/*
 * Put directory @tmp in the place of @dir, which may exist (holding only
 * @owned names, or they stay behind in a hidden directory); @tmp is gone
 * after, in place or removed.  False with *err set.
 */
bool atomic_dir_commit(char *tmp, const char *dir, bool (*owned)(const char *name),
		       char **err);

#endif
