/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cache.h: the result cache.  A worker's record is stored under a key made
 * of everything that decides it; a later run takes it instead of parsing
 * when the key and every file and directory the parse read are unchanged.
 */
#ifndef MAPCHECK_CACHE_H
#define MAPCHECK_CACHE_H

#include "job.h"

struct cache;

/* The cache under the user's cache directory, or NULL when it is off. */
struct cache *cache_open(const char *rules_dir);
void cache_close(struct cache *c);
/* The key of @j's result under @o (hex, to free). */
char *cache_key(struct cache *c, const struct job *j, const struct scan_opts *o);
/* Merge the stored result for @key into @r; false on a miss or a bad entry. */
bool cache_get(struct cache *c, const char *key, struct report *r);
/* Store @rec (a record) for @key; @reads: absolute paths the parse read. */
void cache_put(struct cache *c, const char *key, const char *rec, size_t len,
	       const struct job *j, const struct vec *reads);

/*
 * The pre-filter's verdict on @path (1: mentions an API, 0: does not) from
 * an earlier run, when neither the file nor what the verdict read
 * changed since (same inode, size, mtime and ctime); -1 when unknown.
 */
int cache_prefilter_get(struct cache *c, const char *path);
/* Remember @verdict on @path, which also read @deps (paths, maybe missing). */
void cache_prefilter_put(struct cache *c, const char *path, bool verdict,
			 const struct vec *deps);

#endif
