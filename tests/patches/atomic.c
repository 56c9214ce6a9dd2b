// SPDX-License-Identifier: GPL-2.0
/*
 * kmap_atomic() sites: renamed to kmap_local_page()/kunmap_local(), with
 * the explicit disable a section relies on, or left with the reason.
 */
#include <linux/highmem.h>
#include <linux/uaccess.h>
#include <linux/percpu.h>

/* local: nothing relies on faults or preemption being off */
void copy_plain(struct page *page, char *to)
{
	char *addr = kmap_atomic(page);

	memcpy(to, addr, 64);
	kunmap_atomic(addr);
}

/* local-nofault: the short copy is handled by the caller */
size_t copy_in_atomic(struct page *page, const char __user *from, size_t n)
{
	size_t left;
	char *addr;

	addr = kmap_atomic(page);
	left = __copy_from_user_inatomic(addr, from, n);
	kunmap_atomic(addr);
	return left;
}

/* local-nopreempt: a per-CPU buffer held across statements */
static DEFINE_PER_CPU(char [64], scratch_buf);

void copy_via_percpu(struct page *page, char *to)
{
	char *buf;
	char *addr;

	addr = kmap_atomic(page);
	buf = this_cpu_ptr(scratch_buf);
	memcpy(buf, addr, 64);
	memcpy(to, buf, 64);
	kunmap_atomic(addr);
}

/* two pages, unmapped in reverse order already; an early exit */
int copy_two(struct page *a, struct page *b, int skip)
{
	char *va = kmap_atomic(a);
	char *vb = kmap_atomic(b);

	if (skip) {
		kunmap_atomic(vb);
		kunmap_atomic(va);
		return 0;
	}
	memcpy(vb, va, 64);
	kunmap_atomic(vb);
	kunmap_atomic(va);
	return 1;
}

/* not converted: the explicit disable would go among declarations */
size_t decl_after_map(struct page *page, const char __user *from, size_t n)
{
	char *addr = kmap_atomic(page);
	size_t left = __copy_from_user_inatomic(addr, from, n);

	kunmap_atomic(addr);
	return left;
}

/* not converted: maps again while the last mapping is live */
void map_all(struct page **pages, char **addrs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		addrs[i] = kmap_atomic(pages[i]);
	for (i = n - 1; i >= 0; i--)
		kunmap_atomic(addrs[i]);
}
