// SPDX-License-Identifier: GPL-2.0
/*
 * atomic.c: outputs written whole or not at all.
 *
 * A report, a baseline or the patch series is written under a temporary
 * name beside its final one and renamed over it last, so that a run that
 * fails or is killed leaves the previous output or none, never a truncated
 * report or half a series.  The temporary names are hidden and carry the
 * writer's process id:
 *
 *   .<name>.<pid>.mapcheck-tmp     the file or directory being written
 *   .<name>.<pid>.mapcheck-old     a directory's old content, being removed
 *
 * A run that exits (die() included) removes its own; one killed by SIGKILL
 * cannot, so the next run writing the same output removes those whose
 * process is gone.  A directory is put in place with one rename: over an
 * absent or empty directory, else exchanged with the old one
 * (renameat2(RENAME_EXCHANGE)), whose content is then removed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"

/* The temporary names this process has not renamed or removed yet. */
struct pending {
	char *path;
	bool (*owned)(const char *name);	/* a directory: what it may hold */
};

static struct vec pending;	/* struct pending * */
static pid_t pending_owner;

/*
 * Remove what directory @path holds that @owned accepts (regular files
 * only, nothing followed), then the directory if that emptied it.
 */
static void remove_dir(const char *path, bool (*owned)(const char *))
{
	DIR *d = opendir(path);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p = path_join(path, e->d_name);
		struct stat st;

		if (!lstat(p, &st) && S_ISREG(st.st_mode) && owned(e->d_name))
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static void remove_pending(void)
{
	/* a forked worker exits with _exit(); this is for the process that wrote */
	if (getpid() != pending_owner)
		return;
	for (size_t i = 0; i < pending.n; i++) {
		struct pending *p = pending.v[i];

		if (p->owned)
			remove_dir(p->path, p->owned);
		else
			unlink(p->path);
		free(p->path);
		free(p);
	}
	vec_free(&pending, NULL);
}

static void pending_add(const char *path, bool (*owned)(const char *))
{
	struct pending *p = xcalloc(1, sizeof(*p));

	if (!pending_owner) {
		pending_owner = getpid();
		atexit(remove_pending);
	}
	p->path = xstrdup(path);
	p->owned = owned;
	vec_push(&pending, p);
}

static void pending_del(const char *path)
{
	for (size_t i = 0; i < pending.n; i++) {
		struct pending *p = pending.v[i];

		if (!strcmp(p->path, path)) {
			free(p->path);
			free(p);
			pending.v[i] = pending.v[--pending.n];
			break;
		}
	}
	if (!pending.n)
		vec_free(&pending, NULL);
}

/* Split resolved @path into its directory and last component (to free). */
static bool split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1])
		return false;
	*dir = slash == path ? xstrdup("/") : xasprintf("%.*s", (int)(slash - path), path);
	*base = xstrdup(slash + 1);
	return true;
}

/*
 * Remove the temporary names of @base in @dir left by processes that are
 * gone: killed, they could not.  A process that still runs (or that we may
 * not signal) keeps its own.
 */
static void remove_stale(const char *dir, const char *base, bool (*owned)(const char *))
{
	DIR *d = opendir(dir);
	size_t n = strlen(base);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *p = e->d_name, *num = p + n + 2;
		char *end, *path;
		struct stat st;
		long pid;

		if (p[0] != '.' || strncmp(p + 1, base, n) || p[n + 1] != '.')
			continue;
		pid = strtol(num, &end, 10);
		if (end == num || pid <= 0 ||
		    (strcmp(end, ".mapcheck-tmp") && strcmp(end, ".mapcheck-old")))
			continue;
		if (pid == getpid() || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		path = path_join(dir, p);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && owned)
				remove_dir(path, owned);
			else if (S_ISREG(st.st_mode) && !owned)
				unlink(path);
		}
		free(path);
	}
	if (d)
		closedir(d);
}

FILE *atomic_open(struct atomic_file *a, const char *path)
{
	struct stat st;
	char *dir, *base;
	int fd;

	memset(a, 0, sizeof(*a));
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* /dev/stdout, a FIFO: nothing to replace, and never to be replaced */
		a->path = xstrdup(path);
		a->f = fopen(path, "w");
		return a->f;
	}
	/* resolved: a symbolic link to the report is kept, its target replaced */
	a->path = path_resolve(path);
	if (!a->path || !split(a->path, &dir, &base)) {
		errno = EISDIR;
		return NULL;
	}
	remove_stale(dir, base, NULL);
	a->tmp = xasprintf("%s/.%s.%ld.mapcheck-tmp", dir, base, (long)getpid());
	free(dir);
	free(base);
	fd = open(a->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(a->tmp);
		}
		errno = e;
		return NULL;
	}
	pending_add(a->tmp, NULL);
	return a->f;
}

bool atomic_commit(struct atomic_file *a)
{
	bool ok;
	int e;

	if (a->tmp)
		phase("report-write", true);
	ok = !ferror(a->f);
	ok = !fclose(a->f) && ok;
	if (!ok && !errno)
		errno = EIO;
	if (a->tmp) {
		if (ok && rename(a->tmp, a->path))
			ok = false;
		e = errno;
		if (!ok)
			unlink(a->tmp);
		pending_del(a->tmp);
		errno = e;
	}
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	return ok;
}

/* Every directory of @path, made if missing. */
static bool mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	bool ok = true;

	for (char *s = p + 1; ok && *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		ok = !mkdir(p, 0777) || errno == EEXIST;
		*s = '/';
	}
	ok = ok && (!mkdir(p, 0777) || errno == EEXIST);
	free(p);
	return ok;
}

/* The temporary (@kind "tmp" or "old") name beside resolved @dir. */
static char *beside(const char *dir, const char *kind)
{
	char *parent, *base, *tmp;

	if (!split(dir, &parent, &base))
		return NULL;
	tmp = xasprintf("%s/.%s.%ld.mapcheck-%s", parent, base, (long)getpid(), kind);
	free(parent);
	free(base);
	return tmp;
}

char *atomic_dir_open(const char *dir, bool (*owned)(const char *), char **err)
{
	char *real = path_resolve(dir), *parent = NULL, *base = NULL, *tmp;

	if (!real || !split(real, &parent, &base)) {
		*err = xasprintf("%s: cannot create the directory: not a directory name", dir);
		free(real);
		return NULL;
	}
	if (!mkdir_p(parent)) {
		*err = xasprintf("%s: cannot create the directory: %s", dir, strerror(errno));
		tmp = NULL;
		goto out;
	}
	remove_stale(parent, base, owned);
	tmp = beside(real, "tmp");
	remove_dir(tmp, owned);	/* an earlier process of the same number's */
	if (mkdir(tmp, 0777)) {
		*err = xasprintf("%s: cannot create the directory: %s", dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	pending_add(tmp, owned);
out:
	free(parent);
	free(base);
	free(real);
	return tmp;
}

bool atomic_dir_commit(char *tmp, const char *dir, bool (*owned)(const char *), char **err)
{
	char *real = path_resolve(dir), *old = NULL;
	bool ok = false;

	if (!real)
		goto fail;
	/* absent or empty: one rename */
	if (!rename(tmp, real)) {
		ok = true;
	} else if (errno == ENOTEMPTY || errno == EEXIST) {
		if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, real, RENAME_EXCHANGE)) {
			/* the old content is under the temporary name now */
			remove_dir(tmp, owned);
			ok = true;
		} else if (errno == EINVAL || errno == ENOSYS) {
			/*
			 * a file system without the exchange: the old one is
			 * moved aside first, so there is a moment without
			 * either, but never a mixed or partial one
			 */
			old = beside(real, "old");
			if (old && !rename(real, old)) {
				ok = !rename(tmp, real);
				if (ok) {
					remove_dir(old, owned);
				} else {
					int e = errno;

					rename(old, real);	/* the old one back */
					errno = e;
				}
			}
		}
	}
fail:
	if (!ok)
		*err = xasprintf("%s: cannot put the new content in place: %s", dir,
				 strerror(errno));
	pending_del(tmp);
	if (!ok)
		remove_dir(tmp, owned);
	free(old);
	free(real);
	return ok;
}
