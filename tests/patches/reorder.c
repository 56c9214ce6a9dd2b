// SPDX-License-Identifier: GPL-2.0
/* local-reorder: unmaps swapped to make the order LIFO on every path. */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/crc32.h>

/* two mappings unmapped in mapping order: swap the unmaps */
void reorder(struct page *dst, struct page *src, size_t len)
{
	char *d, *s;

	d = kmap(dst);
	s = kmap(src);
	memcpy(d, s, len);
	kunmap(dst);
	kunmap(src);
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

/* a FIFO loop: not rewritten by this version, so the site is not converted */
int fifo_loop(struct page **pages, int n)
{
	char *addr[4];
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		addr[i] = kmap(pages[i]);
	for (i = 0; i < 4; i++)
		sum += addr[i][n];
	for (i = 0; i < 4; i++)
		kunmap(pages[i]);
	return sum;
}
