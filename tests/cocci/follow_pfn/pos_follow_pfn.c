// SPDX-License-Identifier: GPL-2.0
/* Positive: follow_pfn() (6.1, like videobuf-dma-contig) returns the PFN
 * after the page-table lock is gone. */
struct vm_area_struct;

int lookup(struct vm_area_struct *vma, unsigned long addr, unsigned long *out)
{
	unsigned long pfn;
	int ret;

	ret = follow_pfn(vma, addr, &pfn);
	if (ret)
		return ret;
	*out = pfn;
	return 0;
}
/*
 * check-name: follow_pfn: follow_pfn() call
 *
 * check-output-start report
pos_follow_pfn.c:11:7-17: WARNING: follow_pfn() returns the PFN after dropping the page-table lock; use follow_pte()/follow_pfnmap_start() and use the value under the lock, or pin_user_pages()
 * check-output-end
 *
 * check-output-start context
--- pos_follow_pfn.c
+++ pos_follow_pfn.c
@@ -8,7 +8,6 @@ int lookup(struct vm_area_struct *vma, u
 	unsigned long pfn;
 	int ret;
 
-	ret = follow_pfn(vma, addr, &pfn);
 	if (ret)
 		return ret;
 	*out = pfn;
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_follow_pfn.c::face=ovl-face1::linb=11::colb=7::cole=17][WARNING: follow_pfn() returns the PFN after dropping the page-table lock; use follow_pte()/follow_pfnmap_start() and use the value under the lock, or pin_user_pages()]]
 * check-output-end
 */
