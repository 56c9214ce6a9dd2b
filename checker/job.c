// SPDX-License-Identifier: GPL-2.0
/*
 * job.c: a scan job's lifetime.
 */
#include <stdlib.h>

#include "job.h"

void job_free(void *p)
{
	struct job *j = p;

	free(j->abs);
	free(j->rel);
	free(j->not_built);
	vec_free(&j->flags, free);
	free(j);
}
