/* SPDX-License-Identifier: GPL-2.0 */
/* maintainers.h: the report per MAINTAINERS section (maintainers.c). */
#ifndef MAPCHECK_MAINTAINERS_H
#define MAPCHECK_MAINTAINERS_H

#include "mapcheck.h"

/* Can @tree's MAINTAINERS be read?  Else *@err says why (to free). */
bool maintainers_check(const char *tree, char **err);
/*
 * @r per section of its tree's MAINTAINERS, as text or JSON: each site,
 * finding and skipped entry in the one most specific section of its file.
 */
void maintainers_write(FILE *f, const struct report *r, const struct rules *rs, bool json);

#endif
