// SPDX-License-Identifier: GPL-2.0
/* Negative: one path returns with the page still mapped: the unmap is
 * elsewhere or missing, so this is not a thread-local pair. */
struct page;

int early(struct page *page, int c)
{
	char *a = kmap(page);

	if (c)
		return -EINVAL;
	a[0] = 1;
	kunmap(page);
	return 0;
}
/*
 * check-name: kmap_local: one path returns with the page still mapped: the unmap is
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
