#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The precompiled prelude (checker/pch.c) on small inputs, against the real
# prepared 6.12 headers: files that share flags are parsed with it (their
# result-cache entries list the prelude's headers, which they do not include
# themselves); a file with a directive other than #define before its first
# #include, and a file that does not parse cleanly with it, are parsed
# without; the reports and the conversion patches are those of --no-pch,
# byte for byte; nothing is left in $TMPDIR.  The whole-tree comparison is in
# tests/cache/tree.sh.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
tree_of 6.12
scratch
scan() {	# scan CACHE-DIR [OPTIONS]: the report of src/, without the seconds
	local cache=$1
	shift
	mkdir -p "$tmp/t"
	TMPDIR=$tmp/t MAPCHECK_CACHE=$cache "$mc" --tree "$src" --build "$build" -j2 \
		--format json --fail-on never "$@" "$tmp/src" | sed 's/"seconds": [0-9.]*/"seconds": 0/'
}
# does the cache entry of FILE list HEADER among what the parse read?
lists() {	# lists CACHE-DIR FILE HEADER
	local e
	e=$(grep -rlF --exclude='.*' " $tmp/src/$2" "$1/results" 2>/dev/null | head -1)
	[ -n "$e" ] && grep -qF "/include/$3" "$e"
}

mkdir -p "$tmp/src"
# four files with the same flags and no directive before their first #include
for i in 1 2 3 4; do
	cat > "$tmp/src/copy$i.c" <<C
// SPDX-License-Identifier: GPL-2.0
/* a copy through a mapping: memcpy_to_page() once converted */
#include <linux/highmem.h>
#include <linux/string.h>

void copy_in$i(struct page *page, const void *data, size_t len)
{
	void *vaddr = kmap(page);

	memcpy(vaddr, data, len);
	kunmap(page);
}
C
done
# four that define pr_fmt first, as many drivers do: the prelude starts so too
for i in 1 2 3 4; do
	cat > "$tmp/src/fmt$i.c" <<C
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/highmem.h>
#include <linux/printk.h>

void *keep$i;

void show$i(struct page *page)
{
	char *p = kmap(page);

	pr_info("%c\n", p[0]);
	keep$i = p;
	kunmap(page);
}
C
done
# a conditional before the first #include: no prelude
cat > "$tmp/src/early.c" <<'C'
#ifndef EARLY
#define EARLY 1
#endif
#include <linux/highmem.h>

int early(struct page *page)
{
	int *p = kmap(page);
	int v = p[0] + EARLY;

	kunmap(page);
	return v;
}
C
# its own bio_add_page(), which <linux/bio.h> in the prelude declares otherwise:
# an error with the prelude, none without it -- parsed again without
cat > "$tmp/src/clash.c" <<'C'
#include <linux/highmem.h>

static int bio_add_page(int x)
{
	return x + 1;
}

int clash(struct page *page)
{
	int *p = kmap(page);
	int v = bio_add_page(p[0]);

	kunmap(page);
	return v;
}
C

without=$(scan "$tmp/c-nopch" --no-pch --emit-patches "$tmp/p-nopch")
with=$(scan "$tmp/c-pch" --emit-patches "$tmp/p-pch")
[ -n "$with" ] && [ "$with" = "$without" ]; result "the report with the prelude is the --no-pch report" $?
diff -r -I '^Date: ' "$tmp/p-nopch" "$tmp/p-pch" >/dev/null; result "so are the conversion patches" $?
grep -q memcpy_to_page -r "$tmp/p-pch"; result "the patches use memcpy_to_page(), which the prelude's highmem.h defines" $?
[ "$(grep -c '"class": "local"' <<<"$with")" = 6 ]; result "the copies, early() and clash() are local" $?
[ "$(grep -c '"class": "global"' <<<"$with")" = 4 ]; result "the pr_fmt files' sites are global (kept in keep\$i)" $?
! grep -q '"parse_errors": [1-9]' <<<"$with"; result "no parse errors" $?
lists "$tmp/c-pch" copy1.c linux/bio.h; result "copy1.c was parsed with the prelude (its entry lists linux/bio.h)" $?
lists "$tmp/c-pch" fmt2.c linux/bio.h; result "fmt2.c (pr_fmt first) was parsed with the prelude" $?
! lists "$tmp/c-nopch" copy1.c linux/bio.h; result "--no-pch: copy1.c's entry does not list linux/bio.h" $?
! lists "$tmp/c-pch" early.c linux/bio.h; result "early.c (#ifndef first) was parsed without the prelude" $?
! lists "$tmp/c-pch" clash.c linux/bio.h; result "clash.c, which does not parse with the prelude, was parsed without" $?
[ -z "$(ls -A "$tmp/t")" ]; result "nothing left in \$TMPDIR" $?
# a warm run from the prelude-built cache gives the same again
[ "$(scan "$tmp/c-pch")" = "$without" ]; result "the warm run gives the same report" $?

finish
