/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fate.h: what a function does with a value it is handed, the words the
 * summaries (flow.h, and ops.h for ops fields) speak in.
 */
#ifndef MAPCHECK_FATE_H
#define MAPCHECK_FATE_H

#include <stdbool.h>

/* In order of precedence: the worst use of a value decides its fate. */
enum fate {
	FATE_OK,		/* used during the function only */
	FATE_RETURNED,		/* returned, or written to an out-parameter */
	FATE_UNKNOWN,		/* used in a way the analysis does not model */
	FATE_ESCAPES,		/* stored where it outlives the call */
};

/*
 * What a function does with one of its pointer parameters: the one shape
 * every summary has, whether computed here (summarise_param, flow.h), for
 * an ops field (ops.h), read back from another file's record (struct
 * ext_summary), or being gathered by a walk (struct track).  @why and
 * @note are NULL when there is nothing to say.
 */
struct fate_summary {
	enum fate fate;
	bool unmaps;			/* passes it to an unmap API */
	bool page_address;		/* calls page_address() on it */
	bool returned;			/* FATE_RETURNED: by a return statement */
	unsigned out_params;		/* ... or through "*param_i = ", bit i */
	char *why;			/* the first escape or unknown, in words */
	char *note;			/* a store that is not an escape, in words */
};

#endif
