// SPDX-License-Identifier: GPL-2.0
/*
 * compdb.c: read compile_commands.json (as written by the kernel's
 * scripts/clang-tools/gen_compile_commands.py or bear).  A file that is
 * not valid JSON, or not an array of {directory, file, command|arguments},
 * is an error naming the line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"

struct jp {
	const char *s, *p, *end;
	const char *err;
	const struct rules *rs;	/* the options table the flags are read with */
};

static unsigned jp_line(const struct jp *j)
{
	unsigned line = 1;

	for (const char *q = j->s; q < j->p; q++)
		line += *q == '\n';
	return line;
}

static void ws(struct jp *j)
{
	while (j->p < j->end && isspace((unsigned char)*j->p))
		j->p++;
}

static bool lit(struct jp *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

/* The 4 hex digits after the "\\u" at @p (end @end), or -1. */
static long hex4(const char *p, const char *end)
{
	long v = 0;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int c = (unsigned char)p[i];

		if (!isxdigit(c))
			return -1;
		v = v * 16 + (isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/*
 * The escape "\\uXXXX" (or a surrogate pair of two) at j->p - 1, as UTF-8
 * at *@w.  The UTF-8 is never longer than the escape, which jstring()
 * sizes its buffer by.  A path written by Python's json (ensure_ascii)
 * has every non-ASCII character so.
 */
static bool unicode(struct jp *j, char **w)
{
	const char *at = j->p - 1;
	long c = hex4(at, j->end), lo;
	unsigned char *o = (unsigned char *)*w;

	if (c >= 0xd800 && c < 0xdc00) {
		lo = hex4(at + 6, j->end);
		if (lo < 0xdc00 || lo >= 0xe000)
			c = -1;
		else
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		j->p += 6;
	} else if (c >= 0xdc00 && c < 0xe000) {
		c = -1;
	}
	if (c <= 0) {
		j->err = c ? "bad \\u escape" : "\\u0000 in a string";
		return false;
	}
	if (c < 0x80) {
		*o++ = (unsigned char)c;
	} else if (c < 0x800) {
		*o++ = (unsigned char)(0xc0 | c >> 6);
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (unsigned char)(0xe0 | c >> 12);
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (unsigned char)(0xf0 | c >> 18);
		*o++ = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*o++ = (unsigned char)(0x80 | (c & 0x3f));
	}
	*w = (char *)o;
	j->p += 4;	/* the loop steps over the last digit */
	return true;
}

static char *jstring(struct jp *j)
{
	const char *q;
	char *out, *w;

	ws(j);
	if (j->p >= j->end || *j->p != '"') {
		j->err = "expected a string";
		return NULL;
	}
	/*
	 * Escapes only shorten a string: its length as written bounds it.
	 * (Not the rest of the file: that made reading a database quadratic.)
	 */
	for (q = j->p + 1; q < j->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < j->end)
			q++;
	out = w = xmalloc((size_t)(q - j->p));
	for (j->p++; j->p < j->end && *j->p != '"'; j->p++) {
		if ((unsigned char)*j->p < 0x20) {
			j->err = "control character in a string";
			free(out);
			return NULL;
		}
		if (*j->p == '\\') {
			if (++j->p >= j->end)
				break;
			switch (*j->p) {
			case 'n': *w++ = '\n'; break;
			case 't': *w++ = '\t'; break;
			case 'r': *w++ = '\r'; break;
			case 'b': *w++ = '\b'; break;
			case 'f': *w++ = '\f'; break;
			case 'u':
				if (!unicode(j, &w)) {
					free(out);
					return NULL;
				}
				break;
			default: *w++ = *j->p;
			}
		} else {
			*w++ = *j->p;
		}
	}
	if (j->p >= j->end) {
		j->err = "unterminated string";
		free(out);
		return NULL;
	}
	j->p++;
	*w = 0;
	return out;
}

/* Skip any JSON value (for keys we do not use). */
static bool skip_value(struct jp *j, int depth)
{
	ws(j);
	if (depth > 64) {
		j->err = "nested too deeply";
		return false;
	}
	if (j->p >= j->end) {
		j->err = "unexpected end of file";
		return false;
	}
	if (*j->p == '"') {
		char *s = jstring(j);

		free(s);
		return s != NULL;
	}
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		bool obj = *j->p == '{';

		j->p++;
		if (lit(j, close))
			return true;
		do {
			if (obj) {
				char *k = jstring(j);

				if (!k)
					return false;
				free(k);
				if (!lit(j, ':')) {
					j->err = "expected ':'";
					return false;
				}
			}
			if (!skip_value(j, depth + 1))
				return false;
		} while (lit(j, ','));
		if (!lit(j, close)) {
			j->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
			return false;
		}
		return true;
	}
	if (strchr("-0123456789", *j->p)) {
		while (j->p < j->end && strchr("-+.eE0123456789", *j->p))
			j->p++;
		return true;
	}
	for (const char *const *w = (const char *const[]){ "true", "false", "null", NULL }; *w; w++)
		if ((size_t)(j->end - j->p) >= strlen(*w) && !strncmp(j->p, *w, strlen(*w))) {
			j->p += strlen(*w);
			return true;
		}
	j->err = "not a JSON value";
	return false;
}

static bool entry(struct jp *j, struct vec *entries)
{
	char *dir = NULL, *file = NULL, *command = NULL;
	struct vec args = { 0 };
	bool ok = false;

	if (!lit(j, '{')) {
		j->err = "expected an object {\"directory\", \"file\", \"command\"}";
		return false;
	}
	if (!lit(j, '}')) {
		do {
			char *key = jstring(j);

			if (!key)
				goto out;
			if (!lit(j, ':')) {
				free(key);
				j->err = "expected ':'";
				goto out;
			}
			if (!strcmp(key, "directory") && !dir) {
				dir = jstring(j);
			} else if (!strcmp(key, "file") && !file) {
				file = jstring(j);
			} else if (!strcmp(key, "command") && !command) {
				command = jstring(j);
			} else if (!strcmp(key, "arguments") && !args.n) {
				if (!lit(j, '[')) {
					j->err = "\"arguments\" is not an array";
					free(key);
					goto out;
				}
				if (!lit(j, ']')) {
					do {
						char *a = jstring(j);

						if (!a) {
							free(key);
							goto out;
						}
						vec_push(&args, a);
					} while (lit(j, ','));
					if (!lit(j, ']')) {
						j->err = "expected ',' or ']'";
						free(key);
						goto out;
					}
				}
			} else if (!skip_value(j, 1)) {
				free(key);
				goto out;
			}
			free(key);
			if (j->err)
				goto out;
		} while (lit(j, ','));
		if (!lit(j, '}')) {
			j->err = "expected ',' or '}'";
			goto out;
		}
	}
	if (!dir || !file || (!command && !args.n)) {
		j->err = "entry lacks \"directory\", \"file\" or \"command\"/\"arguments\"";
		goto out;
	}
	{
		struct compdb_entry *e = xcalloc(1, sizeof(*e));

		if (command)
			shell_split(command, &args);
		e->file = file[0] == '/' ? xstrdup(file) : path_join(dir, file);
		/* args[0] is the compiler; the filter drops -c, -o x and the file */
		flags_filter(j->rs, &args, 1, dir, &e->flags, NULL, true);
		vec_push(entries, e);
		ok = true;
	}
out:
	free(dir);
	free(file);
	free(command);
	vec_free(&args, free);
	return ok;
}

bool compdb_load(const struct rules *rs, const char *path, struct vec *entries, char **err)
{
	char *p = (char *)path, *text;
	const char *why;
	size_t len;
	struct jp j;

	if (path_is_dir(path))
		p = path_join(path, "compile_commands.json");
	text = read_file(p, &len, &why);
	if (!text) {
		*err = xasprintf("%s: %s", p, why);
		goto fail;
	}
	j = (struct jp){ text, text, text + len, NULL, rs };
	if (!lit(&j, '[')) {
		j.err = "not a JSON array";
	} else if (!lit(&j, ']')) {
		do {
			if (!entry(&j, entries))
				break;
		} while (lit(&j, ','));
		if (!j.err && !lit(&j, ']'))
			j.err = "expected ',' or ']'";
	}
	ws(&j);
	if (!j.err && j.p != j.end)
		j.err = "trailing data after the array";
	if (j.err) {
		*err = xasprintf("%s:%u: not a valid compilation database: %s", p, jp_line(&j), j.err);
		free(text);
		goto fail;
	}
	free(text);
	if (p != path)
		free(p);
	return true;
fail:
	if (p != path)
		free(p);
	return false;
}

void compdb_free(struct vec *entries)
{
	for (size_t i = 0; i < entries->n; i++) {
		struct compdb_entry *e = entries->v[i];

		free(e->file);
		vec_free(&e->flags, free);
		free(e);
	}
	vec_free(entries, NULL);
}
