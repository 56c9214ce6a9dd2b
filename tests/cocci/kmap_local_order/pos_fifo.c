// SPDX-License-Identifier: GPL-2.0
/* Positive: a is unmapped while b, mapped after it, is still mapped. */
struct page;

void copy_fifo(struct page *p1, struct page *p2)
{
	char *a = kmap_local_page(p1);
	char *b = kmap_local_page(p2);

	memcpy(b, a, 8);
	kunmap_local(a);
	kunmap_local(b);
}
/*
 * check-name: kmap_local_order: FIFO kunmap_local()
 *
 * check-output-start report
pos_fifo.c:11:1-13: WARNING: unmap of a (mapped line 7) while b (mapped line 8) is still mapped: thread-local unmaps must be LIFO
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_fifo.c::face=ovl-face1::linb=11::colb=1::cole=13][WARNING: unmap of a (mapped line 7) while b (mapped line 8) is still mapped: thread-local unmaps must be LIFO]]
 * check-output-end
 *
 * check-output-start context
--- pos_fifo.c
+++ pos_fifo.c
@@ -4,11 +4,8 @@ struct page;
 
 void copy_fifo(struct page *p1, struct page *p2)
 {
-	char *a = kmap_local_page(p1);
-	char *b = kmap_local_page(p2);
 
 	memcpy(b, a, 8);
-	kunmap_local(a);
 	kunmap_local(b);
 }
 /*
 * check-output-end
 */
