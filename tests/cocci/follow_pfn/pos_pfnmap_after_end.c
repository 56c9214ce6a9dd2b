// SPDX-License-Identifier: GPL-2.0
/* Positive (6.12, acrn_vm_ram_map-like): the PFN and the writable bit are
 * copied under the lock and used after follow_pfnmap_end(); the PFN goes
 * to pfn_to_page(). */
struct vm_area_struct;

int ram_map(struct vm_area_struct *vma, unsigned long va, int want_write)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = va };
	unsigned long cur_pfn;
	bool writable;
	int ret;

	ret = follow_pfnmap_start(&args);
	if (ret)
		return ret;
	cur_pfn = args.pfn;
	writable = args.writable;
	follow_pfnmap_end(&args);

	if (!writable && want_write)
		return -EFAULT;
	if (pfn_valid(cur_pfn) && !PageReserved(pfn_to_page(cur_pfn)))
		return -EFAULT;
	return 0;
}
/*
 * check-name: follow_pfn: 6.12 values used after follow_pfnmap_end(), pfn_to_page()
 *
 * check-output-start report
pos_pfnmap_after_end.c:21:6-14: WARNING: writable holds a value from follow_pfnmap_start() (line 14) and is used after follow_pfnmap_end() (line 19) without an MMU notifier
pos_pfnmap_after_end.c:23:15-22: WARNING: cur_pfn holds a value from follow_pfnmap_start() (line 14) and is used after follow_pfnmap_end() (line 19) without an MMU notifier
pos_pfnmap_after_end.c:23:41-52: WARNING: pfn_to_page()/get_page() on a PFN from follow_pfnmap_start() (line 14): VM_IO/VM_PFNMAP PFNs need not be refcounted pages
 * check-output-end
 *
 * check-output-start context
--- pos_pfnmap_after_end.c
+++ pos_pfnmap_after_end.c
@@ -11,16 +11,13 @@ int ram_map(struct vm_area_struct *vma,
 	bool writable;
 	int ret;
 
-	ret = follow_pfnmap_start(&args);
 	if (ret)
 		return ret;
 	cur_pfn = args.pfn;
 	writable = args.writable;
-	follow_pfnmap_end(&args);
 
 	if (!writable && want_write)
 		return -EFAULT;
-	if (pfn_valid(cur_pfn) && !PageReserved(pfn_to_page(cur_pfn)))
 		return -EFAULT;
 	return 0;
 }
 * check-output-end
 */
