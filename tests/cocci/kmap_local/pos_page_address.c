// SPDX-License-Identifier: GPL-2.0
/* Positive: the discarded-return form.  kmap(page) only pins the mapping;
 * the address comes from page_address(page), which returns NULL for a
 * HIGHMEM page mapped with kmap_local_page(), so the conversion moves the
 * mapping to the page_address() call and unmaps by address. */
struct page;

void fill_page(struct page *page, int v)
{
	char *kaddr;

	kmap(page);
	lock_page(page);
	kaddr = page_address(page);
	memset(kaddr, v, 64);
	flush_dcache_page(page);
	kunmap(page);
	unlock_page(page);
}
/*
 * check-name: kmap_local: discarded kmap() return with page_address()
 *
 * check-output-start report
pos_page_address.c:12:1-5: WARNING: thread-local kmap() with page_address(): use kaddr = kmap_local_page() and kunmap_local(kaddr)
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_page_address.c::face=ovl-face1::linb=12::colb=1::cole=5][WARNING: thread-local kmap() with page_address(): use kaddr = kmap_local_page() and kunmap_local(kaddr)]]
 * check-output-end
 *
 * check-output-start context
--- pos_page_address.c
+++ pos_page_address.c
@@ -9,12 +9,9 @@ void fill_page(struct page *page, int v)
 {
 	char *kaddr;
 
-	kmap(page);
 	lock_page(page);
-	kaddr = page_address(page);
 	memset(kaddr, v, 64);
 	flush_dcache_page(page);
-	kunmap(page);
 	unlock_page(page);
 }
 /*
 * check-output-end
 *
 * check-output-start patch
--- pos_page_address.c
+++ pos_page_address.c
@@ -9,12 +9,11 @@ void fill_page(struct page *page, int v)
 {
 	char *kaddr;
 
-	kmap(page);
 	lock_page(page);
-	kaddr = page_address(page);
+	kaddr = kmap_local_page(page);
 	memset(kaddr, v, 64);
 	flush_dcache_page(page);
-	kunmap(page);
+	kunmap_local(kaddr);
 	unlock_page(page);
 }
 /*
 * check-output-end
 */
