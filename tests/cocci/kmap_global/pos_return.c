// SPDX-License-Identifier: GPL-2.0
/* Positive: the address is returned (the caller unmaps: cross-function or
 * global, never local to this function). */
struct page;

void *get_addr(struct page *page)
{
	void *a = kmap(page);

	return a;
}
/*
 * check-name: kmap_global: address returned
 *
 * check-output-start report
pos_return.c:8:11-15: WARNING: global kmap(): address returned at line 10; it must stay kmap()
 * check-output-end
 *
 * check-output-start context
--- pos_return.c
+++ pos_return.c
@@ -5,9 +5,7 @@ struct page;
 
 void *get_addr(struct page *page)
 {
-	void *a = kmap(page);
 
-	return a;
 }
 /*
  * check-name: kmap_global: address returned
 * check-output-end
 */
