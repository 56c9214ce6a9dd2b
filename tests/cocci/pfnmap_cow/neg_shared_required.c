// SPDX-License-Identifier: GPL-2.0
/* Negative: the mmap requires VM_SHARED, so no COW mapping gets there. */
struct vm_area_struct;

static vm_fault_t dev_fault(struct vm_fault *vmf)
{
	return vmf_insert_pfn_prot(vmf->vma, vmf->address, dev_pfn(vmf),
				   vmf->vma->vm_page_prot);
}

static const struct vm_operations_struct dev_vm_ops = {
	.fault = dev_fault,
};

static int dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_flags |= VM_PFNMAP | VM_IO;
	vma->vm_ops = &dev_vm_ops;
	return 0;
}
/*
 * check-name: pfnmap_cow: VM_SHARED required
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
