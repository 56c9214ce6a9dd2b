// SPDX-License-Identifier: GPL-2.0
/* Negative: memcpy() returns its destination, the mapped address, and that
 * result is stored into a structure: the address escapes through a
 * read-only callee's return value. */
struct page;
struct ctx { void *p; };

void fill(struct page *page, char *src, struct ctx *ctx)
{
	char *x = kmap(page);

	ctx->p = memcpy(x, src, 4);
	kunmap(page);
}
/*
 * check-name: kmap_local: memcpy() result (the mapped address) stored in a field
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start patch
 * check-output-end
 */
