// SPDX-License-Identifier: GPL-2.0
/*
 * Map, one memcpy()/memset(), unmap: the highmem.h helper that does all
 * three (rules/helpers.tbl), and the cases that keep the plain conversion.
 */
#include <linux/highmem.h>
#include <linux/string.h>
#include <linux/buffer_head.h>

/* memcpy() out of the page at an offset: memcpy_from_page() */
void copy_out(struct page *page, char *buf, size_t off, size_t len)
{
	char *addr;

	addr = kmap(page);
	memcpy(buf, addr + off, len);
	kunmap(page);
}

/* into the page, the address declared with the map: memcpy_to_page() */
void copy_in(struct page *page, const void *data, size_t len)
{
	void *vaddr = kmap(page);
	memcpy(vaddr, data, len);
	kunmap(page);
}

/* zero a range: memzero_page(); a field chain as the offset */
void zero_tail(struct page *page, struct buffer_head *bh)
{
	u8 *kaddr;
	int unused = 0;

	kaddr = kmap(page);
	memset(kaddr + bh->b_size, 0, PAGE_SIZE - bh->b_size);
	kunmap(page);
	(void)unused;
}

/* one address variable, two branches: both folded, the variable goes */
void rw(struct page *page, char *ptr, int is_write)
{
	char *tmp;

	if (is_write) {
		tmp = kmap(page);
		memcpy(tmp, ptr, PAGE_SIZE);
		kunmap(page);
	} else {
		tmp = kmap(page);
		memcpy(ptr, tmp, PAGE_SIZE);
		kunmap(page);
	}
}

/* a field as the destination, the call over three lines */
void to_bh(struct page *page, struct buffer_head *bh, struct buffer_head *from)
{
	char *addr;

	addr = kmap(page);
	memcpy(bh->b_data,
	       addr + offset_in_page(from->b_data),
	       bh->b_size);
	kunmap(page);
}

/* not folded: memset() to a value other than 0 */
void fill(struct page *page, int c)
{
	char *p;

	p = kmap(page);
	memset(p, c, PAGE_SIZE);
	kunmap(page);
}

/* not folded: the address is used after the copy */
char copy_and_peek(struct page *page, char *buf)
{
	char *addr;
	char c;

	addr = kmap(page);
	memcpy(buf, addr, 64);
	c = addr[64];
	kunmap(page);
	return c;
}

struct rec { int a, b; };

/* not folded: the destination is not a byte pointer (char *to) */
void copy_rec(struct page *page, struct rec *r)
{
	char *addr;

	addr = kmap(page);
	memcpy(r, addr, sizeof(*r));
	kunmap(page);
}

/* not folded: a u32 pointer, so "addr + 1" is not a byte offset */
void copy_words(struct page *page, char *buf)
{
	u32 *addr;

	addr = kmap(page);
	memcpy(buf, addr + 1, 8);
	kunmap(page);
}

struct frag { struct page *frag_page; unsigned int frag_offset, frag_length; };

/* a helper call past 100 columns: wrapped under its opening parenthesis */
void copy_fragment(struct frag *destination_fragment, char *source_buffer_pointer, int nested)
{
	char *mapped_destination;

	if (nested) {
		mapped_destination = kmap(destination_fragment->frag_page);
		memcpy(mapped_destination + destination_fragment->frag_offset, source_buffer_pointer,
		       destination_fragment->frag_length);
		kunmap(destination_fragment->frag_page);
	}
}

/* two pages, one memcpy() between them, unmapped in reverse: memcpy_page() */
void copy_pages(struct page *dst, struct page *src, size_t doff, size_t soff, size_t len)
{
	char *d, *s;

	d = kmap(dst);
	s = kmap(src);
	memcpy(d + doff, s + soff, len);
	kunmap(src);
	kunmap(dst);
}

/* the source mapped first, unmapped in mapping order (local-reorder), the
 * addresses declared with the maps: memcpy_page(), arguments in its order */
void copy_pages_fifo(struct page *to, struct page *from, size_t len)
{
	void *s = kmap(from);
	void *d = kmap(to);
	memcpy(d, s + 64, len);
	kunmap(from);
	kunmap(to);
}

/* the destination is read after the copy: plain conversion */
int copy_pages_used(struct page *dst, struct page *src, size_t len)
{
	char *d, *s;
	int r;

	d = kmap(dst);
	s = kmap(src);
	memcpy(d, s, len);
	r = d[0];
	kunmap(src);
	kunmap(dst);
	return r;
}
