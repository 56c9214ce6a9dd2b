// SPDX-License-Identifier: GPL-2.0
/* Negative: the address is stored into a structure reached through a
 * parameter: another thread may use it (global). */
struct page;
struct ctx { void *buf; };

void attach(struct ctx *ctx, struct page *page)
{
	void *addr = kmap(page);

	ctx->buf = addr;
	process(ctx);
	kunmap(page);
}
/*
 * check-name: kmap_local: the address is stored into a structure reached through a
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
