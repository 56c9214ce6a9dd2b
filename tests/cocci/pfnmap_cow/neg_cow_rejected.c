// SPDX-License-Identifier: GPL-2.0
/* Negative: the same after the fix (6.1 and 6.12 drm shmem helper): COW
 * mappings are rejected before VM_PFNMAP is set (6.12 uses vm_flags_set()). */
struct vm_area_struct;

static vm_fault_t obj_fault(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address, obj_pfn(vmf));
}

static const struct vm_operations_struct obj_vm_ops = {
	.fault = obj_fault,
};

static int obj_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &obj_vm_ops;
	return 0;
}
/*
 * check-name: pfnmap_cow: is_cow_mapping() rejected (vm_flags_set form)
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
