// SPDX-License-Identifier: GPL-2.0
/* Positive (6.1, KVM hva_to_pfn_remapped-like): pfn is read under the PTL,
 * handed to the caller after pte_unmap_unlock(), and the writable bit is
 * stored through a pointer under the lock. */
struct vm_area_struct;

int remapped(struct vm_area_struct *vma, unsigned long addr, bool *writable,
	     unsigned long *p_pfn)
{
	unsigned long pfn;
	pte_t *ptep;
	spinlock_t *ptl;
	int r;

	r = follow_pte(vma->vm_mm, addr, &ptep, &ptl);
	if (r)
		return r;
	if (writable)
		*writable = pte_write(*ptep);
	pfn = pte_pfn(*ptep);
	pte_unmap_unlock(ptep, ptl);
	*p_pfn = pfn;
	return 0;
}
/*
 * check-name: follow_pfn: 6.1 PFN used after pte_unmap_unlock(), value stored through a pointer
 *
 * check-output-start report
pos_pte_after_unlock.c:19:3-11: WARNING: value of follow_pte() (line 15) stored through a pointer: it outlives pte_unmap_unlock() without an MMU notifier
pos_pte_after_unlock.c:22:10-13: WARNING: pfn holds a value from follow_pte() (line 15) and is used after pte_unmap_unlock() (line 21) without an MMU notifier
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_pte_after_unlock.c::face=ovl-face1::linb=19::colb=3::cole=11][WARNING: value of follow_pte() (line 15) stored through a pointer: it outlives pte_unmap_unlock() without an MMU notifier]]
* TODO [[view:pos_pte_after_unlock.c::face=ovl-face1::linb=22::colb=10::cole=13][WARNING: pfn holds a value from follow_pte() (line 15) and is used after pte_unmap_unlock() (line 21) without an MMU notifier]]
 * check-output-end
 */
