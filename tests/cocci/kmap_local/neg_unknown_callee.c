// SPDX-License-Identifier: GPL-2.0
/* Negative: the address goes to a callee outside the read-only list; it
 * might keep it (sg_init_one() does). */
struct page;

void setup(struct scatterlist *sg, struct page *page)
{
	void *addr = kmap(page);

	sg_init_one(sg, addr, 64);
	do_io(sg);
	kunmap(page);
}
/*
 * check-name: kmap_local: the address goes to a callee outside the read-only list; it
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
