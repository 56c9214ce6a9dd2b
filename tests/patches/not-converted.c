// SPDX-License-Identifier: GPL-2.0
/* Sites mapcheck calls convertible whose rewrite it cannot make exactly: untouched, with the reason. */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/crc32.h>

#define MAP(p) kmap(p)
/* written inside a macro: not converted */
void in_macro(struct page *page, char *buf)
{
	char *a = MAP(page);

	memcpy(buf, a, 8);
	kunmap(page);
}

/* the address is never stored: kunmap_local() would have nothing to take */
u32 not_stored(struct page *page, size_t len)
{
	u32 crc = crc32_le(~0, kmap(page), len);

	kunmap(page);
	return crc;
}

/* the variable holding the address moves before the unmap */
u32 moved(struct page *page, size_t len)
{
	u8 *p = kmap(page);
	u32 s = 0;

	while (len--)
		s += *p++;
	kunmap(page);
	return s;
}

/*
 * the same page mapped in two branches, unmapped once after them: which
 * kunmap() undoes which is not told apart (each branch with its own
 * unmap is converted: tests/patches/helpers.c, rw())
 */
void twice(struct page *page, char *buf, int first)
{
	char *a;

	if (first) {
		a = kmap(page);
		memcpy(buf, a, 8);
	} else {
		a = kmap(page);
		memcpy(buf, a + 8, 8);
	}
	kunmap(page);
}

/* only the mapping plus an offset is kept: it may point past the page */
void derived(struct page *page, char *buf, unsigned int off)
{
	char *p;

	p = (char *)kmap(page) + off;
	memcpy(buf, p, 16);
	kunmap(page);
}
