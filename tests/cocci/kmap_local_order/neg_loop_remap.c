// SPDX-License-Identifier: GPL-2.0
/* Negative: one variable mapped and unmapped in each loop iteration
 * (fs/exec.c, btrfs zlib in 6.1): not two live mappings. */
struct page;

void each(struct page **pages, int n, char *dst)
{
	char *kaddr;
	int i;

	for (i = 0; i < n; i++) {
		kaddr = kmap_local_page(pages[i]);
		memcpy(dst, kaddr, 16);
		kunmap_local(kaddr);
	}
}
/*
 * check-name: kmap_local_order: same variable remapped in a loop
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
