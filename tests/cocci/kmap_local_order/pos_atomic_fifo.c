// SPDX-License-Identifier: GPL-2.0
/* Positive: the same with kmap_atomic() and assignments. */
struct page;

void copy_atomic(struct page *p1, struct page *p2)
{
	void *src, *dst;

	src = kmap_atomic(p1);
	dst = kmap_atomic(p2);
	memcpy(dst, src, 8);
	kunmap_atomic(src);
	kunmap_atomic(dst);
}
/*
 * check-name: kmap_local_order: FIFO kunmap_atomic()
 *
 * check-output-start report
pos_atomic_fifo.c:12:1-14: WARNING: unmap of src (mapped line 9) while dst (mapped line 10) is still mapped: thread-local unmaps must be LIFO
 * check-output-end
 */
