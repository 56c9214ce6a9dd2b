// SPDX-License-Identifier: GPL-2.0
/* Negative: a kmap_local_page() made before our kmap() is released inside
 * our region; converting would unmap out of LIFO order. */
struct page;

void mixed(struct page *p1, struct page *p2)
{
	char *a = kmap_local_page(p1);
	char *b = kmap(p2);

	memcpy(b, a, 16);
	kunmap_local(a);
	b[0] = 0;
	kunmap(p2);
}
/*
 * check-name: kmap_local: a kmap_local_page() made before our kmap() is released inside
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
