// SPDX-License-Identifier: GPL-2.0
/* Positive (6.1): *ptep dereferenced after pte_unmap_unlock(). */
struct mm_struct;

unsigned long stale(struct mm_struct *mm, unsigned long addr)
{
	pte_t *ptep;
	spinlock_t *ptl;

	if (follow_pte(mm, addr, &ptep, &ptl))
		return 0;
	pte_unmap_unlock(ptep, ptl);
	return pte_pfn(*ptep);
}
/*
 * check-name: follow_pfn: 6.1 *ptep after pte_unmap_unlock()
 *
 * check-output-start report
pos_ptep_after_unlock.c:13:17-21: WARNING: value of follow_pte() (line 10) used after pte_unmap_unlock() (line 12)
 * check-output-end
 */
