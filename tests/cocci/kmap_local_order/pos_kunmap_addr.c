// SPDX-License-Identifier: GPL-2.0
/* Positive: kunmap() is given the mapped address instead of the page. */
struct page;

void clear(struct page *page)
{
	void *addr = kmap(page);

	memset(addr, 0, 8);
	kunmap(addr);
}
/*
 * check-name: kmap_local_order: kunmap(address)
 *
 * check-output-start report
pos_kunmap_addr.c:10:1-7: ERROR: kunmap() takes the page, but addr is the address mapped at line 7
 * check-output-end
 *
 * check-output-start context
--- pos_kunmap_addr.c
+++ pos_kunmap_addr.c
@@ -4,10 +4,8 @@ struct page;
 
 void clear(struct page *page)
 {
-	void *addr = kmap(page);
 
 	memset(addr, 0, 8);
-	kunmap(addr);
 }
 /*
  * check-name: kmap_local_order: kunmap(address)
 * check-output-end
 */
