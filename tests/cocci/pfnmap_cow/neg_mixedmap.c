// SPDX-License-Identifier: GPL-2.0
/* Negative: the mmap uses VM_MIXEDMAP, not VM_PFNMAP. */
struct vm_area_struct;

static vm_fault_t mix_fault(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address, mix_pfn(vmf));
}

static const struct vm_operations_struct mix_vm_ops = {
	.fault = mix_fault,
};

static int mix_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_MIXEDMAP);
	vma->vm_ops = &mix_vm_ops;
	return 0;
}
/*
 * check-name: pfnmap_cow: VM_MIXEDMAP
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
