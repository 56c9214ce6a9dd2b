// SPDX-License-Identifier: GPL-2.0
/* Negative: the PFN is used after the unlock, but the function checks an
 * MMU interval notifier sequence and retries, so a stale value is caught. */
struct vm_area_struct;

int notified(struct vm_area_struct *vma, unsigned long addr,
	     struct mmu_interval_notifier *mni, unsigned long *out)
{
	unsigned long seq, pfn;
	pte_t *ptep;
	spinlock_t *ptl;

again:
	seq = mmu_interval_read_begin(mni);
	if (follow_pte(vma->vm_mm, addr, &ptep, &ptl))
		return -EFAULT;
	pfn = pte_pfn(*ptep);
	pte_unmap_unlock(ptep, ptl);
	if (mmu_interval_read_retry(mni, seq))
		goto again;
	*out = pfn;
	return 0;
}
/*
 * check-name: follow_pfn: MMU interval notifier retry
 *
 * check-output-start report
 * check-output-end
 *
 * check-output-start context
 * check-output-end
 */
