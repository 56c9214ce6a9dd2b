// SPDX-License-Identifier: GPL-2.0
/* Negative: the address is published in a global. */
struct page;
static void *cur;

void publish(struct page *page)
{
	void *addr = kmap(page);

	cur = addr;
	wait_for_users();
	cur = NULL;
	kunmap(page);
}
/*
 * check-name: kmap_local: the address is published in a global. */
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
