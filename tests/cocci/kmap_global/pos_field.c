// SPDX-License-Identifier: GPL-2.0
/* Positive: the address is stored into a structure reached through a
 * parameter, directly and through a local copy with an offset. */
struct page;
struct ctx { void *buf; struct { void *b; } in; };

void attach(struct ctx *ctx, struct page *page)
{
	ctx->buf = kmap(page);
}

void attach_off(struct ctx *ctx, struct page *page)
{
	char *a = kmap(page);

	a[0] = 1;
	ctx->in.b = a + 4;
}
/*
 * check-name: kmap_global: stores into fields through a parameter
 *
 * check-output-start report
pos_field.c:14:11-15: WARNING: global kmap(): address stored into field b at line 17; it must stay kmap()
pos_field.c:9:12-16: WARNING: global kmap(): address stored into field buf at line 9; it must stay kmap()
 * check-output-end
 *
 * check-output-start org
* TODO [[view:pos_field.c::face=ovl-face1::linb=14::colb=11::cole=15][WARNING: global kmap(): address stored into field b at line 17; it must stay kmap()]]
* TODO [[view:pos_field.c::face=ovl-face1::linb=9::colb=12::cole=16][WARNING: global kmap(): address stored into field buf at line 9; it must stay kmap()]]
 * check-output-end
 *
 * check-output-start context
--- pos_field.c
+++ pos_field.c
@@ -6,15 +6,12 @@ struct ctx { void *buf; struct { void *b
 
 void attach(struct ctx *ctx, struct page *page)
 {
-	ctx->buf = kmap(page);
 }
 
 void attach_off(struct ctx *ctx, struct page *page)
 {
-	char *a = kmap(page);
 
 	a[0] = 1;
-	ctx->in.b = a + 4;
 }
 /*
  * check-name: kmap_global: stores into fields through a parameter
 * check-output-end
 */
