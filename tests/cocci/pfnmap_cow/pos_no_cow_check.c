// SPDX-License-Identifier: GPL-2.0
/* Positive: the drm shmem helper before the fix.  The fault handler
 * inserts PFNs, the mmap sets VM_PFNMAP, and a private writable (COW)
 * mapping is not rejected: vmf_insert_pfn_prot() BUG_ONs on it. */
struct vm_area_struct;

static vm_fault_t obj_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	return vmf_insert_pfn(vma, vmf->address, obj_pfn(vmf));
}

static const struct vm_operations_struct obj_vm_ops = {
	.fault = obj_fault,
	.open = obj_open,
};

static int obj_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &obj_vm_ops;
	return 0;
}
/*
 * check-name: pfnmap_cow: VM_PFNMAP mmap without is_cow_mapping() check
 *
 * check-output-start report
pos_no_cow_check.c:11:8-22: WARNING: PFN inserted by obj_fault() of obj_vm_ops, and obj_mmap() (line 21) sets VM_PFNMAP without rejecting COW mappings (is_cow_mapping())
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_no_cow_check.c::face=ovl-face1::linb=11::colb=8::cole=22][WARNING: PFN inserted by obj_fault() of obj_vm_ops, and obj_mmap() (line 21) sets VM_PFNMAP without rejecting COW mappings (is_cow_mapping())]]
 * check-output-end
 *
 * check-output-start context
--- pos_no_cow_check.c
+++ pos_no_cow_check.c
@@ -8,7 +8,6 @@ static vm_fault_t obj_fault(struct vm_fa
 {
 	struct vm_area_struct *vma = vmf->vma;
 
-	return vmf_insert_pfn(vma, vmf->address, obj_pfn(vmf));
 }
 
 static const struct vm_operations_struct obj_vm_ops = {
 * check-output-end
 */
