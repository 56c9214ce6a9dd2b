// SPDX-License-Identifier: GPL-2.0
/*
 * local-reorder, FIFO loops: pages mapped into an array in one loop and
 * unmapped in mapping order in a later loop with the same header.  The
 * unmap loop is made to count down from the last element to the first, as
 * upstream's btrfs raid56 conversion unmaps its array of stripes (6.12
 * fs/btrfs/raid56.c).
 */
#include <linux/highmem.h>
#include <linux/string.h>

#define NR_SRC 4

/* a constant bound */
int fifo_const(struct page **pages, int n)
{
	char *addr[4];
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		addr[i] = kmap(pages[i]);
	for (i = 0; i < 4; i++)
		sum += addr[i][n];
	for (i = 0; i < 4; i++)
		kunmap(pages[i]);
	return sum;
}

/* a bound in a variable, a macro and braces around the loop bodies */
void fifo_var(struct page **pages, void *out, int nr)
{
	void *src[NR_SRC];
	int i;

	if (nr > NR_SRC)
		nr = NR_SRC;
	for (i = 0; i < nr; i++) {
		src[i] = kmap(pages[i]);
	}
	for (i = 0; i < nr; i++)
		memcpy(out + i * 16, src[i], 16);
	for (i = 0; i < nr; ++i) {
		kunmap(pages[i]);
	}
}

/* mapped and unmapped in the same iteration: LIFO already, class local */
void same_iteration(struct page **pages, char *out, int nr)
{
	char *a[8];
	int i;

	for (i = 0; i < nr && i < 8; i++) {
		a[i] = kmap(pages[i]);
		out[i] = a[i][0];
		kunmap(pages[i]);
	}
}

/* an unsigned counter: "i >= 0" would never end, so not converted */
void fifo_unsigned(struct page **pages, char *out)
{
	char *a[4];
	unsigned int i;

	for (i = 0; i < 4; i++)
		a[i] = kmap(pages[i]);
	for (i = 0; i < 4; i++)
		out[i] = a[i][0];
	for (i = 0; i < 4; i++)
		kunmap(pages[i]);
}

/* the unmap loop also releases the pages: reversing it would reorder that */
void fifo_busy(struct page **pages, char *out)
{
	char *a[4];
	int i;

	for (i = 0; i < 4; i++)
		a[i] = kmap(pages[i]);
	for (i = 0; i < 4; i++)
		out[i] = a[i][0];
	for (i = 0; i < 4; i++) {
		kunmap(pages[i]);
		put_page(pages[i]);
	}
}

/* the unmap loop goes over other elements than the map loop */
void fifo_other_range(struct page **pages, char *out)
{
	char *a[4];
	int i;

	for (i = 0; i < 4; i++)
		a[i] = kmap(pages[i]);
	out[0] = a[0][0];
	for (i = 1; i < 4; i++)
		kunmap(pages[i]);
	kunmap(pages[0]);
}

/* a constant index: no loop needed */
int two_slots(struct page *a, struct page *b)
{
	char *slot[2];
	int r;

	slot[0] = kmap(a);
	slot[1] = kmap(b);
	r = slot[0][0] + slot[1][0];
	kunmap(b);
	kunmap(a);
	return r;
}

/* 8 pages kept at once: within the local mappings a task can hold */
u32 fifo_eight(struct page **pages)
{
	u8 *addr[8];
	u32 sum = 0;
	int i;

	for (i = 0; i < 8; i++)
		addr[i] = kmap(pages[i]);
	for (i = 0; i < 8; i++)
		sum += addr[i][0];
	for (i = 0; i < 8; i++)
		kunmap(pages[i]);
	return sum;
}

/* 32 pages kept at once: past KM_MAX_IDX as local mappings, not converted */
u32 fifo_thirty_two(struct page **pages)
{
	u8 *addr[32];
	u32 sum = 0;
	int i;

	for (i = 0; i < 32; i++)
		addr[i] = kmap(pages[i]);
	for (i = 0; i < 32; i++)
		sum += addr[i][0];
	for (i = 0; i < 32; i++)
		kunmap(pages[i]);
	return sum;
}
