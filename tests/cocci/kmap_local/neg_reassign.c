// SPDX-License-Identifier: GPL-2.0
/* Negative: the address variable moves (a += n) before the unmap, so it
 * may no longer point into the page when kunmap_local() would get it. */
struct page;

void advance(struct page *page, int n)
{
	char *a = kmap(page);

	a += n;
	*a = 0;
	kunmap(page);
}
/*
 * check-name: kmap_local: the address variable moves (a += n) before the unmap, so it
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 *
 * check-output-start patch
 * check-output-end
 */
