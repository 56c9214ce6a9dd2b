// SPDX-License-Identifier: GPL-2.0
/*
 * cross-function: a static get helper maps the page it returns and every
 * caller unmaps it, through a static put helper or kunmap() itself.  The
 * pair is changed the way upstream changed minix, sysv and ufs: the get
 * helper returns the kmap_local_page() address and the page through a new
 * parameter, the put helper takes the address for kunmap_local(), and the
 * callers test the address for an error and use it for page_address().
 */
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/string.h>

static struct page *dir_get_page(struct address_space *mapping, unsigned long n)
{
	struct page *page = read_mapping_page(mapping, n, NULL);

	if (!IS_ERR(page))
		kmap(page);
	return page;
}

static inline void dir_put_page(struct page *page)
{
	kunmap(page);
	put_page(page);
}

/* the page declared with the call; page_address() kept in a char * */
int dir_first_byte(struct address_space *mapping)
{
	struct page *page = dir_get_page(mapping, 0);
	char *kaddr;
	int c;

	if (IS_ERR(page))
		return PTR_ERR(page);
	kaddr = (char *)page_address(page);
	c = kaddr[0];
	dir_put_page(page);
	return c;
}

/* the page assigned in a loop, unmapped by kunmap() itself, then put */
int dir_count(struct address_space *mapping, unsigned long npages)
{
	unsigned long n;
	int count = 0;

	for (n = 0; n < npages; n++) {
		struct page *page;

		page = dir_get_page(mapping, n);
		if (IS_ERR(page))
			continue;
		count += memchr_inv(page_address(page), 0, PAGE_SIZE) != NULL;
		kunmap(page);
		put_page(page);
	}
	return count;
}

/* A put helper that also puts pages the get helper did not map: the pair
 * keeps its interface, and the site is listed as not converted. */
static struct page *blk_get_page(struct address_space *mapping, unsigned long n)
{
	struct page *page = read_mapping_page(mapping, n, NULL);

	if (!IS_ERR(page))
		kmap(page);
	return page;
}

static void blk_put_page(struct page *page)
{
	kunmap(page);
	put_page(page);
}

int blk_first_byte(struct address_space *mapping, struct page *other)
{
	struct page *page = blk_get_page(mapping, 0);
	int c;

	if (IS_ERR(page))
		return PTR_ERR(page);
	c = *(char *)page_address(page);
	blk_put_page(page);
	kmap(other);
	blk_put_page(other);
	return c;
}
