// SPDX-License-Identifier: GPL-2.0
/* local-reorder: unmaps swapped to make the order LIFO on every path. */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/crc32.h>

/* two mappings unmapped in mapping order: swap the unmaps */
u32 reorder(struct page *dst, struct page *src, size_t len)
{
	char *d, *s;
	u32 crc;

	d = kmap(dst);
	s = kmap(src);
	memcpy(d, s, len);
	crc = crc32(0, d, len);
	kunmap(dst);
	kunmap(src);
	return crc;
}

/* LIFO on one path, FIFO on the other: only the FIFO pair is swapped */
int reorder_paths(struct page *a, struct page *b, int early)
{
	char *x, *y;
	int r;

	x = kmap(a);
	y = kmap(b);
	if (early) {
		r = x[0] + y[0];
		kunmap(b);
		kunmap(a);
		return r;
	}
	r = x[1] - y[1];
	kunmap(a);
	kunmap(b);
	return r;
}
