// SPDX-License-Identifier: GPL-2.0
/* Negative (conservative): the address is copied into a second local.
 * That copy is not followed, so the site is declined even though this one
 * would be safe. */
struct page;

void copy_local(struct page *page)
{
	char *a = kmap(page);
	char *b = a + 3;

	b[0] = 1;
	kunmap(page);
}
/*
 * check-name: kmap_local: the address is copied into a second local
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
