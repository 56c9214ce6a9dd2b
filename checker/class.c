// SPDX-License-Identifier: GPL-2.0
/*
 * class.c: the names of the site classes (class.h).
 */
#include <string.h>

#include "class.h"

static const char *const class_names[] = {
	[CLASS_LOCAL] = "local",
	[CLASS_LOCAL_REORDER] = "local-reorder",
	[CLASS_LOCAL_NOFAULT] = "local-nofault",
	[CLASS_LOCAL_NOPREEMPT] = "local-nopreempt",
	[CLASS_CROSS_FUNCTION] = "cross-function",
	[CLASS_GLOBAL] = "global",
	[CLASS_UNKNOWN] = "unknown",
	[CLASS_NA] = "n/a",
	[CLASS_PENDING] = "pending",
};

const char *class_name(enum site_class c)
{
	return (unsigned)c < sizeof(class_names) / sizeof(class_names[0]) ? class_names[c] : "?";
}

bool class_from_name(const char *name, enum site_class *c)
{
	for (unsigned i = 0; i < CLASS_PENDING; i++) {
		if (!strcmp(name, class_names[i])) {
			*c = (enum site_class)i;
			return true;
		}
	}
	return false;
}

bool class_convertible(enum site_class c)
{
	return c == CLASS_LOCAL || c == CLASS_LOCAL_REORDER || c == CLASS_LOCAL_NOFAULT ||
	       c == CLASS_LOCAL_NOPREEMPT || c == CLASS_CROSS_FUNCTION;
}
