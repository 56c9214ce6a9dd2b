// SPDX-License-Identifier: GPL-2.0
/* Positive: declaration with a cast; the address is read through the
 * pointer and tested against NULL. */
struct page;

u32 read_word(struct page *page, int i)
{
	__le32 *w = (__le32 *)kmap(page);
	u32 r = 0;

	if (w != NULL)
		r = le32_to_cpu(w[i]);
	kunmap(page);
	return r;
}
/*
 * check-name: kmap_local: declaration with cast, NULL test, le32_to_cpu of an element
 *
 * check-output-start report
pos_decl_cast.c:8:23-27: WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(w)
 * check-output-end
 *
 * check-output-start patch
--- pos_decl_cast.c
+++ pos_decl_cast.c
@@ -5,12 +5,12 @@ struct page;
 
 u32 read_word(struct page *page, int i)
 {
-	__le32 *w = (__le32 *)kmap(page);
+	__le32 *w = (__le32 *) kmap_local_page(page);
 	u32 r = 0;
 
 	if (w != NULL)
 		r = le32_to_cpu(w[i]);
-	kunmap(page);
+	kunmap_local(w);
 	return r;
 }
 /*
 * check-output-end
 */
