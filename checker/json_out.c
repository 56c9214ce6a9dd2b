// SPDX-License-Identifier: GPL-2.0
/*
 * json_out.c: see json_out.h.
 *
 * jansson takes only valid UTF-8 in strings and keys (json_string() and
 * json_object_set_new() refuse anything else), but the reports' strings
 * come from the scanned files' bytes -- file and function names, the
 * words of a macro quoted in a reason -- which a file written in Latin-1
 * does not keep to.  Such a byte becomes U+FFFD, so that the report is
 * still JSON that every reader takes (the hand-written writer copied it
 * through, which no strict UTF-8 reader accepted).
 *
 * A value jansson cannot make (out of memory: it returns NULL, and the
 * set or append it is handed to fails) ends the run, as xmalloc() does:
 * a report is written whole or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

/*
 * The length of the UTF-8 sequence at @s, or 0 if it is not one jansson
 * takes (its utf8_check rules): no overlong form, no surrogate, nothing
 * past U+10FFFF.  The string's NUL fails a continuation byte's test, so
 * nothing past it is read.
 */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 :
		   s[0] < 0xf5 ? 4 : 0;
	unsigned long c;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n < 3)
		return n;
	if (n == 3) {
		c = (s[0] & 0x0ful) << 12 | (s[1] & 0x3ful) << 6 | (s[2] & 0x3ful);
		return c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 0 : 3;
	}
	c = (s[0] & 0x07ul) << 18 | (s[1] & 0x3ful) << 12 | (s[2] & 0x3ful) << 6 | (s[3] & 0x3ful);
	return c < 0x10000 || c > 0x10ffff ? 0 : 4;
}

/*
 * @s if it is all UTF-8; else a copy in *@copy (to free) with each byte
 * that is not part of a sequence as U+FFFD.
 */
static const char *utf8(const char *s, char **copy)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	char *w;

	while (*p && (n = utf8_seq(p)))
		p += n;
	if (!*p)
		return s;
	/* what is valid stays as it is; a bad byte grows to three */
	w = *copy = xmalloc(3 * strlen(s) + 1);
	for (p = (const unsigned char *)s; *p; ) {
		n = utf8_seq(p);
		if (n) {
			memcpy(w, p, n);
			w += n;
			p += n;
		} else {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			p++;
		}
	}
	*w = 0;
	return *copy;
}

json_t *json_out_str(const char *s)
{
	char *copy = NULL;
	json_t *v = json_string(utf8(s ? s : "", &copy));

	free(copy);
	return v;
}

json_t *json_out_set(json_t *obj, const char *key, json_t *v)
{
	char *copy = NULL;
	/* jansson copies the key; on failure it has dropped @v already */
	int rc = json_object_set_new(obj, utf8(key, &copy), v);

	free(copy);
	if (rc)
		die("cannot build the JSON report: out of memory");
	return v;
}

json_t *json_out_push(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, v))
		die("cannot build the JSON report: out of memory");
	return v;
}

json_t *json_out_head(const struct report *r)
{
	json_t *o = json_object();

	json_out_set(o, "tool", json_string("mapcheck"));
	json_out_set(o, "version", json_string(MAPCHECK_VERSION));
	json_out_set(o, "tree", json_out_str(r->tree));
	json_out_set(o, "kernel", json_out_str(r->kernel));
	return o;
}

json_t *json_out_finding(const struct finding *g)
{
	json_t *o = json_object();

	json_out_set(o, "rule", json_out_str(g->rule));
	json_out_set(o, "severity", json_string(severity_name(g->severity)));
	json_out_set(o, "file", json_out_str(g->file));
	json_out_set(o, "line", json_integer(g->line));
	json_out_set(o, "column", json_integer(g->column));
	json_out_set(o, "function", json_out_str(g->function));
	json_out_set(o, "message", json_out_str(g->message));
	return o;
}

void json_out_write(FILE *f, json_t *root)
{
	/*
	 * JSON_INDENT(2): the two spaces a level the reports were indented
	 * with before, and every value on a line of its own, so that
	 * line-wise readers (grep -v '"seconds"' in the tests) still work.
	 * JSON_REAL_PRECISION(15): the one real, stats.seconds, comes as a
	 * one-decimal number (output.c), which 15 significant digits print as
	 * just that.  No JSON_ENSURE_ASCII: UTF-8 is written as UTF-8, as it
	 * was.  Keys come in the order they were set (jansson 2.8 and later),
	 * the order docs/design.md gives.
	 */
	int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15));

	json_decref(root);
	/* a write error is the stream's, which the caller checks (atomic_commit()) */
	if (rc && !ferror(f))
		die("cannot write the JSON report: out of memory");
	fputc('\n', f);
}
