// SPDX-License-Identifier: GPL-2.0
/* Negative: kmap(page) + off with an unbounded off: the pointer may lie
 * outside the page, so kunmap_local(p) could unmap the wrong slot. */
struct page;

void poke_any(struct page *page, int off, char v)
{
	char *p = kmap(page) + off;

	*p = v;
	kunmap(page);
}
/*
 * check-name: kmap_local: kmap(page) + off with an unbounded off: the pointer may lie
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
