// SPDX-License-Identifier: GPL-2.0
/* Negative: "addr = zaddr = kmap(page)" (fs/ubifs/file.c in 6.1): the
 * address also lands in addr, which reaches an unknown callee. */
struct page;
void f(struct page *page, char *src)
{
	void *addr, *zaddr;
	addr = zaddr = kmap(page);
	memset(zaddr, 0, 8);
	keep(addr);
	kunmap(page);
}
/*
 * check-name: kmap_local: chained assignment copies the address
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start patch
 * check-output-end
 */
