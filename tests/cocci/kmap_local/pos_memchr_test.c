// SPDX-License-Identifier: GPL-2.0
/* Positive: pointer-returning read-only callees whose result is dropped
 * or only tested. */
struct page;

int scan(struct page *page, char *src)
{
	char *x = kmap(page);
	int dirty = 0;

	memcpy(x, src, 4);
	if (memchr_inv(x, 0, 64))
		dirty = 1;
	kunmap(page);
	return dirty;
}
/*
 * check-name: kmap_local: memcpy() result dropped, memchr_inv() result tested
 *
 * check-output-start report
pos_memchr_test.c:8:11-15: WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(x)
 * check-output-end
 *
 * check-output-start patch
--- pos_memchr_test.c
+++ pos_memchr_test.c
@@ -5,13 +5,13 @@ struct page;
 
 int scan(struct page *page, char *src)
 {
-	char *x = kmap(page);
+	char *x = kmap_local_page(page);
 	int dirty = 0;
 
 	memcpy(x, src, 4);
 	if (memchr_inv(x, 0, 64))
 		dirty = 1;
-	kunmap(page);
+	kunmap_local(x);
 	return dirty;
 }
 /*
 * check-output-end
 */
