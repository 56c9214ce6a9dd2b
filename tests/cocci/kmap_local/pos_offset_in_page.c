// SPDX-License-Identifier: GPL-2.0
/* Positive: kmap(page) + offset_in_page(pos) stays inside the page, so
 * kunmap_local() may be given the offset pointer. */
struct page;

void poke(struct page *page, loff_t pos, char v)
{
	char *p = kmap(page) + offset_in_page(pos);

	*p = v;
	kunmap(page);
}
/*
 * check-name: kmap_local: kmap() + offset_in_page() stays in the page
 *
 * check-output-start report
pos_offset_in_page.c:8:11-15: WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(p)
 * check-output-end
 *
 * check-output-start patch
--- pos_offset_in_page.c
+++ pos_offset_in_page.c
@@ -5,10 +5,10 @@ struct page;
 
 void poke(struct page *page, loff_t pos, char v)
 {
-	char *p = kmap(page) + offset_in_page(pos);
+	char *p = kmap_local_page(page) + offset_in_page(pos);
 
 	*p = v;
-	kunmap(page);
+	kunmap_local(p);
 }
 /*
  * check-name: kmap_local: kmap() + offset_in_page() stays in the page
 * check-output-end
 */
