// SPDX-License-Identifier: GPL-2.0
/* json_out.c: see json_out.h. */
#include "json_out.h"

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void json_finding_fields(FILE *f, const struct finding *g)
{
	fputs("\"rule\": ", f);
	json_str(f, g->rule);
	fprintf(f, ", \"severity\": \"%s\", \"file\": ", severity_name(g->severity));
	json_str(f, g->file);
	fprintf(f, ", \"line\": %u, \"column\": %u, \"function\": ", g->line, g->column);
	json_str(f, g->function);
	fputs(", \"message\": ", f);
	json_str(f, g->message);
}
