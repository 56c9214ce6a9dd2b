/* SPDX-License-Identifier: GPL-2.0 */
/* A local header whose inline helpers map: included by the fixture. */
#include <linux/highmem.h>
#include <linux/string.h>

static inline void included_copy_atomic(struct page *page, char *buf)
{
	char *addr = kmap_atomic(page);

	memcpy(buf, addr, 8);
	kunmap_atomic(addr);
}

static inline void included_copy(struct page *page, char *buf)
{
	char *addr = kmap(page);

	memcpy(buf, addr, 8);
	kunmap(page);
}
