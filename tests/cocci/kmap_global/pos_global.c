// SPDX-License-Identifier: GPL-2.0
/* Positive: the address is published in a global variable. */
struct page;
static void *cur_buf;

void publish(struct page *page)
{
	cur_buf = kmap(page);
}
/*
 * check-name: kmap_global: store into a global
 *
 * check-output-start report
pos_global.c:8:11-15: WARNING: global kmap(): address stored into global variable cur_buf at line 8; it must stay kmap()
 * check-output-end
 */
