// SPDX-License-Identifier: GPL-2.0
/* Positive: addresses stored into an array passed in by the caller, and
 * through an out-parameter. */
struct page;

void map_all(struct page **pages, void **addrs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		addrs[i] = kmap(pages[i]);
}

void map_one(struct page *page, void **out)
{
	*out = kmap(page);
}
/*
 * check-name: kmap_global: caller's array and out-parameter
 *
 * check-output-start report
pos_array_out.c:11:13-17: WARNING: global kmap(): address stored into an array that is not a local of the function at line 11; it must stay kmap()
pos_array_out.c:16:8-12: WARNING: global kmap(): address stored through pointer out (out-parameter) at line 16; it must stay kmap()
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_array_out.c::face=ovl-face1::linb=11::colb=13::cole=17][WARNING: global kmap(): address stored into an array that is not a local of the function at line 11; it must stay kmap()]]
* TODO [[view:pos_array_out.c::face=ovl-face1::linb=16::colb=8::cole=12][WARNING: global kmap(): address stored through pointer out (out-parameter) at line 16; it must stay kmap()]]
 * check-output-end
 */
