// SPDX-License-Identifier: GPL-2.0
/* Mixed: src is mapped first and unmapped first (FIFO).  Converting src
 * would break LIFO order with dst, so src is declined; dst's own region
 * contains no other map and no local unmap, so dst alone is converted
 * (a kmap() of src outside the local stack does not disturb it). */
struct page;

void copy_pages(struct page *s, struct page *d)
{
	char *src = kmap(s);
	char *dst = kmap(d);

	memcpy(dst, src, 4096);
	kunmap(s);
	kunmap(d);
}
/*
 * check-name: kmap_local: FIFO pair, only the inner map is converted
 *
 * check-output-start report
mix_fifo.c:11:13-17: WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(dst)
 * check-output-end
 *
 * check-output-start patch
--- mix_fifo.c
+++ mix_fifo.c
@@ -8,11 +8,11 @@ struct page;
 void copy_pages(struct page *s, struct page *d)
 {
 	char *src = kmap(s);
-	char *dst = kmap(d);
+	char *dst = kmap_local_page(d);
 
 	memcpy(dst, src, 4096);
 	kunmap(s);
-	kunmap(d);
+	kunmap_local(dst);
 }
 /*
  * check-name: kmap_local: FIFO pair, only the inner map is converted
 * check-output-end
 */
