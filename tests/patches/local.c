// SPDX-License-Identifier: GPL-2.0
/* kmap() sites of class local: kmap_local_page() + kunmap_local(addr). */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/crc32.h>
#include <linux/scatterlist.h>

u32 plain_copy(struct page *page, char *buf, size_t off, size_t len)
{
	char *addr = kmap(page);
	u32 crc;

	memcpy(buf, addr + off, len);
	crc = crc32_le(~0, addr, len);
	kunmap(page);
	return crc;
}

/* error paths with several unmaps */
int several_unmaps(struct page *page, char *buf, int a, int b)
{
	char *kaddr;

	kaddr = kmap(page);
	if (a) {
		kunmap(page);
		return -EINVAL;
	}
	if (b) {
		kunmap(page);	/* a comment stays */
		return -EIO;
	}
	memcpy(buf, kaddr, 32);
	kunmap(page);
	return 0;
}

/* two blocks each with their own "page", one address variable for both */
void two_blocks(struct scatterlist *sg, const char *buffer, size_t len, int n)
{
	void *kaddr;
	int i;

	for (i = 0; i < n; i++, sg = sg_next(sg)) {
		struct page *page = sg_page(sg);

		kaddr = kmap(page);
		memcpy(kaddr, buffer, PAGE_SIZE);
		kunmap(page);
	}
	if (len % PAGE_SIZE) {
		struct page *page = sg_page(sg);

		kaddr = kmap(page);
		memcpy(kaddr, buffer, len % PAGE_SIZE);
		kunmap(page);
	}
}
