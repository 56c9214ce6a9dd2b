/* SPDX-License-Identifier: GPL-2.0 */
/* output.h: report formats. */
#ifndef MAPCHECK_OUTPUT_H
#define MAPCHECK_OUTPUT_H

#include "mapcheck.h"

enum format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_SUMMARY, FMT_SITES, FMT_MAINTAINERS,
	      FMT_MAINTAINERS_JSON };

void write_report(FILE *f, const struct report *r, enum format fmt,
		  const struct rules *rs, bool tty);

#endif
