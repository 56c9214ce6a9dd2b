// SPDX-License-Identifier: GPL-2.0
/* Negative: &h->field is an address inside the mapping handed to an
 * unknown callee. */
struct page;
struct hdr { int len; int data[4]; };

void register_hdr(struct page *page)
{
	struct hdr *h = kmap(page);

	remember(&h->data[0]);
	kunmap(page);
}
/*
 * check-name: kmap_local: &h->field is an address inside the mapping handed to an
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
