// SPDX-License-Identifier: GPL-2.0
/* Negative: one map released before the next is made. */
struct page;

void one_by_one(struct page *p1, struct page *p2)
{
	char *a = kmap_local_page(p1);

	a[0] = 1;
	kunmap_local(a);
	a = kmap_local_page(p2);
	a[0] = 2;
	kunmap_local(a);
}
/*
 * check-name: kmap_local_order: map, unmap, map again
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
