// SPDX-License-Identifier: GPL-2.0
/* kmap(page); with the result unused, then page_address(page): a new address variable. */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/crc32.h>

/* the discarded-return form: kmap(page); then page_address(page) */
void discarded_return(struct page *page, size_t len)
{
	void *p;

	kmap(page);
	p = (char*)page_address(page);
	memset(p, 0, len);
	kunmap(page);
}

/* discarded form with no declarations in the block */
void discarded_nodecl(struct page *page, size_t len)
{
	kmap(page);
	memset(page_address(page), 0, len);
	flush_dcache_page(page);
	kunmap(page);
}

/* page_address() used in a nested block and on an error path */
int discarded_error_path(struct page *page, char *buf, int fail)
{
	int err = 0;

	kmap(page);
	if (fail) {
		err = -EIO;
		goto out;
	}
	memcpy(buf, page_address(page), 64);
out:
	kunmap(page);
	return err;
}

/* the name kaddr is taken in the function: the new variable is kaddr2 */
void discarded_name_taken(struct page *page, struct page *other, size_t len)
{
	char *kaddr = kmap_local_page(other);

	kmap(page);
	memcpy(page_address(page), kaddr, len);
	kunmap(page);
	kunmap_local(kaddr);
}
