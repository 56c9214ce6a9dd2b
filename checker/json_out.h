/* SPDX-License-Identifier: GPL-2.0 */
/* json_out.h: the pieces of JSON the report (output.c) and the maintainers view write. */
#ifndef MAPCHECK_JSON_OUT_H
#define MAPCHECK_JSON_OUT_H

#include <stdio.h>

#include "mapcheck.h"

/* @s as a JSON string, quoted and escaped. */
void json_str(FILE *f, const char *s);
/* A finding's rule, severity, file, line, column, function and message. */
void json_finding_fields(FILE *f, const struct finding *g);

#endif
