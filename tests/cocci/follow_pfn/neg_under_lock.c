// SPDX-License-Identifier: GPL-2.0
/* Negative: every use of the PTE is under the lock (s390 pci_mmio after
 * the fix: the access happens before pte_unmap_unlock()), and the 6.12
 * form likewise. */
struct vm_area_struct;

int mmio_write(struct vm_area_struct *vma, unsigned long addr, u64 val)
{
	pte_t *ptep;
	spinlock_t *ptl;
	void __iomem *io;
	int ret;

	ret = follow_pte(vma->vm_mm, addr, &ptep, &ptl);
	if (ret)
		return ret;
	if (!pte_write(*ptep)) {
		ret = -EACCES;
		goto out;
	}
	io = (void __iomem *)((pte_pfn(*ptep) << PAGE_SHIFT) | (addr & ~PAGE_MASK));
	writeq(val, io);
out:
	pte_unmap_unlock(ptep, ptl);
	return ret;
}

int check_write(struct vm_area_struct *vma, unsigned long addr)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };
	int ret;

	ret = follow_pfnmap_start(&args);
	if (ret)
		return ret;
	ret = args.writable ? 0 : -EACCES;
	follow_pfnmap_end(&args);
	return ret;
}
/*
 * check-name: follow_pfn: uses under the lock (6.1 and 6.12)
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
