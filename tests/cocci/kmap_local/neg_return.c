// SPDX-License-Identifier: GPL-2.0
/* Negative: the address is returned and unmapped by the caller
 * (cross-function, like ext2_get_page()/ext2_put_page()). */
struct page;

static void *get_dir_page(struct page *page)
{
	void *addr = kmap(page);

	if (!check(addr))
		return NULL;
	return addr;
}
/*
 * check-name: kmap_local: the address is returned and unmapped by the caller
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
