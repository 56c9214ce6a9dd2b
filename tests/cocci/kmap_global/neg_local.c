// SPDX-License-Identifier: GPL-2.0
/* Negative: the address stays in locals: a local array, a field of a local
 * structure variable, a local pointer; nothing escapes. */
struct page;
struct ctx { void *buf; };

int use_locally(struct page *page)
{
	void *local[2];
	struct ctx ls;
	char *a = kmap(page);

	local[0] = a;
	ls.buf = a;
	a[0] = 0;
	kunmap(page);
	return 0;
}
/*
 * check-name: kmap_global: local array, local struct, local pointer
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 *
 * check-output-start org
 * check-output-end
 */
