// SPDX-License-Identifier: GPL-2.0
/* Negative: nested maps released in reverse order (LIFO), mixed APIs, and
 * kunmap() given the page. */
struct page;

void copy_lifo(struct page *p1, struct page *p2)
{
	char *a = kmap_local_page(p1);
	char *b = kmap_atomic(p2);

	memcpy(b, a, 8);
	kunmap_atomic(b);
	kunmap_local(a);
}

void clear(struct page *page)
{
	void *addr = kmap(page);

	memset(addr, 0, 8);
	kunmap(page);
}
/*
 * check-name: kmap_local_order: LIFO order and kunmap(page)
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
