/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_out.h: what the JSON reports (output.c's JSON and SARIF, the
 * maintainers view) share in building them with libjansson, and writing
 * one out.  The values made here are new references, which the object or
 * array they are set into takes over; out of memory ends the run.
 */
#ifndef MAPCHECK_JSON_OUT_H
#define MAPCHECK_JSON_OUT_H

#include <stdio.h>

#include <jansson.h>

#include "mapcheck.h"

/* A JSON string of @s: "" for NULL, a byte that is not UTF-8 as U+FFFD. */
json_t *json_out_str(const char *s);
/*
 * Set @key of @obj to @v, taking @v's reference (a key not UTF-8 as
 * above); @v is returned, valid as long as @obj is.
 */
json_t *json_out_set(json_t *obj, const char *key, json_t *v);
/* Append @v to @arr, taking @v's reference; @v is returned, as above. */
json_t *json_out_push(json_t *arr, json_t *v);
/* The object a report starts with: tool, version, tree, kernel. */
json_t *json_out_head(const struct report *r);
/* A finding's rule, severity, file, line, column, function and message. */
json_t *json_out_finding(const struct finding *g);
/* Write @root to @f, a newline after it, and drop it. */
void json_out_write(FILE *f, json_t *root);

#endif
