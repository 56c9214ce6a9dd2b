// SPDX-License-Identifier: GPL-2.0
/*
 * compdb.c: read compile_commands.json (as written by the kernel's
 * scripts/clang-tools/gen_compile_commands.py or bear) with libjansson.
 * A file that is not JSON is an error at the line and column jansson
 * names; one that is not an array of {directory, file, command|arguments}
 * an error naming the entry (jansson keeps no position of a value it has
 * read).  A key given twice is refused rather than one of them picked.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "flags.h"

/* What is wrong with the value of @key in entry @o, or NULL. */
static char *not_a_string(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return v && !json_is_string(v) ? xasprintf("\"%s\" is not a string", key) : NULL;
}

/*
 * Entry @o into @entries; NULL, or what is wrong with it (to free).
 * Keys other than these four ("output", ...) are not read.
 */
static char *entry(const struct rules *rs, const json_t *o, struct vec *entries)
{
	static const char *const strings[] = { "directory", "file", "command" };
	const json_t *dir, *file, *command, *args, *a;
	struct compdb_entry *e;
	struct vec words = { 0 };
	char *why;
	size_t i;

	if (!json_is_object(o))
		return xstrdup("not an object {\"directory\", \"file\", \"command\"}");
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if ((why = not_a_string(o, strings[i])))
			return why;
	dir = json_object_get(o, "directory");
	file = json_object_get(o, "file");
	command = json_object_get(o, "command");
	args = json_object_get(o, "arguments");
	if (args && !json_is_array(args))
		return xstrdup("\"arguments\" is not an array");
	json_array_foreach(args, i, a)
		if (!json_is_string(a))
			return xasprintf("\"arguments\" item %zu is not a string", i + 1);
	if (!dir || !file || (!command && !json_array_size(args)))
		return xstrdup("lacks \"directory\", \"file\" or \"command\"/\"arguments\"");
	/*
	 * The words are the vec's own: the strings go with the document.
	 * Both "arguments" and "command": the one and then the other's words,
	 * as the reader before jansson took them.
	 */
	json_array_foreach(args, i, a)
		vec_push(&words, xstrdup(json_string_value(a)));
	if (command)
		shell_split(json_string_value(command), &words);
	e = xcalloc(1, sizeof(*e));
	e->file = path_join(json_string_value(dir), json_string_value(file));
	/* words[0] is the compiler; the filter drops -c, -o x and the file */
	flags_filter(rs, &words, 1, json_string_value(dir), &e->flags, NULL, true);
	vec_push(entries, e);
	vec_free(&words, free);
	return NULL;
}

bool compdb_load(const struct rules *rs, const char *path, struct vec *entries, char **err)
{
	char *p = (char *)path, *text, *why = NULL, *msg = NULL;
	const char *cant;
	json_t *root = NULL, *o;
	json_error_t je;
	size_t len, i;

	if (path_is_dir(path))
		p = path_join(path, "compile_commands.json");
	/* read_file(): the reasons a FIFO or a directory is refused, as for any input */
	text = read_file(p, &len, &cant);
	if (!text) {
		msg = xasprintf("%s: %s", p, cant);
		goto out;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!root) {
		/* two of jansson's texts in the user's words rather than its API's */
		enum json_error_code code = json_error_code(&je);
		const char *what = code == json_error_null_character ? "\\u0000 in a string" : je.text;
		const char *hint = code == json_error_invalid_utf8 ? " (the file is not UTF-8)" : "";

		msg = je.line > 0 ?
			xasprintf("%s:%d:%d: not a valid compilation database: %s%s", p, je.line,
				  je.column, what, hint) :
			xasprintf("%s: not a valid compilation database: %s%s", p, what, hint);
		/* jansson quotes the input near the error: one line on stderr still */
		for (char *c = msg; *c; c++)
			if ((unsigned char)*c < 0x20)
				*c = ' ';
		goto out;
	}
	if (!json_is_array(root)) {
		msg = xasprintf("%s: not a valid compilation database: not a JSON array", p);
		goto out;
	}
	json_array_foreach(root, i, o)
		if ((why = entry(rs, o, entries)))
			break;
	if (why)
		msg = xasprintf("%s: not a valid compilation database: entry %zu of %zu: %s", p,
				 i + 1, json_array_size(root), why);
out:
	free(why);
	json_decref(root);
	if (p != path)
		free(p);
	if (msg)
		*err = msg;
	return !msg;
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
