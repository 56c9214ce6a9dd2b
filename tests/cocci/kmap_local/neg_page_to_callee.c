// SPDX-License-Identifier: GPL-2.0
/* Negative: the page goes to a callee while mapped; the callee may use
 * page_address(page), which is NULL for a HIGHMEM page mapped locally. */
struct page;

void walk(struct page *page)
{
	char *a = kmap(page);

	a[0] = 0;
	helper_using_page(page);
	kunmap(page);
}
/*
 * check-name: kmap_local: the page goes to a callee while mapped; the callee may use
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
