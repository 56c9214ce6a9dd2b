// SPDX-License-Identifier: GPL-2.0
/*
 * Sites in an included file are left, with the reason: the edit would
 * change every file that includes it.  The file's own site is converted.
 */
#include "included.h"

void included_user(struct page *page, char *buf)
{
	char *addr = kmap_atomic(page);

	included_copy_atomic(page, buf);
	included_copy(page, buf);
	memcpy(addr, buf, 8);
	kunmap_atomic(addr);
}
