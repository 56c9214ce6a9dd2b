/* SPDX-License-Identifier: GPL-2.0 */
/*
 * class.h: the class of a mapping-API call site, the one thing the
 * classifier (check_kmap.c) tells the rewriter (rewrite.c, patch.c) and
 * the reports; printed and read back through one table (class.c).
 */
#ifndef MAPCHECK_CLASS_H
#define MAPCHECK_CLASS_H

#include <stdbool.h>

/* In the order the reports list them. */
enum site_class {
	CLASS_LOCAL,		/* used by this thread only: kmap_local_page() */
	CLASS_LOCAL_REORDER,	/* ... once its unmaps are put in LIFO order */
	/* kmap_atomic(): ... with pagefault_disable() around the section */
	CLASS_LOCAL_NOFAULT,
	/* kmap_atomic(): ... with preempt_disable() around the section */
	CLASS_LOCAL_NOPREEMPT,
	CLASS_CROSS_FUNCTION,	/* ... through a static map/unmap helper pair */
	CLASS_GLOBAL,		/* the mapping outlives the call or leaves the thread */
	CLASS_UNKNOWN,		/* not decided, with the reason */
	CLASS_NA,		/* not a kmap(): an unmap, or already thread-local */
	/*
	 * check_kmap.c only, never reported: returned to callers in the
	 * same file, decided once they are classified
	 */
	CLASS_PENDING,
};

/* "local", "local-reorder", ... as the reports print it. */
const char *class_name(enum site_class c);
/* The class printed as @name; false for no reported class. */
bool class_from_name(const char *name, enum site_class *c);
/* Can a site of class @c become kmap_local_page(): the one place this is decided. */
bool class_convertible(enum site_class c);

#endif
