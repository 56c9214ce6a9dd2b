// SPDX-License-Identifier: GPL-2.0
/* Positive: the address stays in a local, is used by dereference and by
 * memcpy(), and every path (including the early return) unmaps the page. */
struct page;

int copy_header(struct page *page, char *buf, int c)
{
	char *addr;

	addr = kmap(page);
	if (c) {
		memcpy(buf, addr + 4, 8);
		kunmap(page);
		return 1;
	}
	addr[1] = 2;
	kunmap(page);
	return 0;
}
/*
 * check-name: kmap_local: local address, memcpy, early return unmaps
 *
 * check-output-start report
pos_assign.c:10:8-12: WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(addr)
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_assign.c::face=ovl-face1::linb=10::colb=8::cole=12][WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(addr)]]
 * check-output-end
 *
 * check-output-start context
--- pos_assign.c
+++ pos_assign.c
@@ -7,14 +7,11 @@ int copy_header(struct page *page, char
 {
 	char *addr;
 
-	addr = kmap(page);
 	if (c) {
 		memcpy(buf, addr + 4, 8);
-		kunmap(page);
 		return 1;
 	}
 	addr[1] = 2;
-	kunmap(page);
 	return 0;
 }
 /*
 * check-output-end
 *
 * check-output-start patch
--- pos_assign.c
+++ pos_assign.c
@@ -7,14 +7,14 @@ int copy_header(struct page *page, char
 {
 	char *addr;
 
-	addr = kmap(page);
+	addr = kmap_local_page(page);
 	if (c) {
 		memcpy(buf, addr + 4, 8);
-		kunmap(page);
+		kunmap_local(addr);
 		return 1;
 	}
 	addr[1] = 2;
-	kunmap(page);
+	kunmap_local(addr);
 	return 0;
 }
 /*
 * check-output-end
 */
