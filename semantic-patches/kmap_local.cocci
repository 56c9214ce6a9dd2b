// SPDX-License-Identifier: GPL-2.0-only
/// Convert thread-local kmap()/kunmap() pairs to kmap_local_page()/kunmap_local().
///
/// kmap() makes a global mapping and is deprecated (Documentation/mm/highmem.rst).
/// A kmap() whose address stays in one local pointer, is used only by
/// dereference or by callees that read or write the buffer during the call,
/// and is unmapped by kunmap(page) on every path of the same function, can use
/// kmap_local_page(); kunmap_local() takes the address, not the page.
/// The rule declines (says nothing) when the address is assigned to anything
/// but its own local variable, returned, passed to a callee outside the
/// read-only list in this file, when another mapping is made or a local
/// mapping released between the map and the unmap (LIFO order), when the
/// page is passed to a callee that might call page_address() on it, or when
/// some path leaves the function without the unmap.
//
// Confidence: Moderate
// Copyright: (C) 2026 The mapcheck authors. GPL-2.0-only.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: Coccinelle sees one function and no headers: a callee not in
//  READONLY or PAGE_OK below makes the rule decline, and a macro that hides a
//  store of the address is seen as a call and declines too.  Review every
//  hunk: the script cannot see aliases of the page reached through other
//  pointers (bh->b_page vs. page) used by callees.
// Options: --no-includes --include-headers
// Keywords: kmap, kunmap, kmap_local_page, kunmap_local, highmem

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# Callees that only use the buffer during the call (they neither keep the
# pointer nor hand it on).  Passing the mapped address to anything else
# makes the site ineligible.
READONLY = set("""
memcpy memmove memset memcmp memchr memchr_inv memscan memzero_explicit
strlen strnlen strcmp strncmp strcpy strncpy strscpy strlcpy strcat strchr strrchr strstr strnstr
sprintf snprintf scnprintf vsnprintf sscanf kstrtoul kstrtoint kstrtouint kstrtol
copy_to_user copy_from_user __copy_to_user __copy_from_user
copy_to_user_nofault copy_from_user_nofault clear_user __clear_user
copy_to_iter copy_from_iter _copy_to_iter _copy_from_iter
copy_from_iter_full
clear_page copy_page
crc32_le crc32_be __crc32c_le crc32c crc16 crc_itu_t crc_ccitt
csum_partial csum_partial_copy_nocheck
print_hex_dump print_hex_dump_bytes print_hex_dump_debug hex_dump_to_buffer
test_bit set_bit clear_bit __set_bit __clear_bit __test_and_set_bit __test_and_clear_bit
test_and_set_bit test_and_clear_bit find_first_bit find_next_bit
find_first_zero_bit find_next_zero_bit bitmap_weight bitmap_zero bitmap_set bitmap_clear
le16_to_cpup le32_to_cpup le64_to_cpup be16_to_cpup be32_to_cpup be64_to_cpup
get_unaligned_le16 get_unaligned_le32 get_unaligned_le64
get_unaligned_be16 get_unaligned_be32 get_unaligned_be64
put_unaligned_le16 put_unaligned_le32 put_unaligned_le64
put_unaligned_be16 put_unaligned_be32 put_unaligned_be64
flush_dcache_page kasan_check_read kasan_check_write
""".split())

# Those of READONLY that return a pointer into their argument (memcpy()
# returns dst, memchr() a pointer inside the buffer): their result must be
# dropped or only tested, or the address escapes through it.
PTR_RET = set("""
memcpy memmove memset memchr memchr_inv memscan strcpy strncpy strcat
strchr strrchr strstr strnstr
""".split())

# Callees that may be given the page while it is mapped: none of them looks
# the mapping up with page_address(), which would return NULL for a HIGHMEM
# page mapped only with kmap_local_page().
PAGE_OK = set("""
kmap kunmap page_address
flush_dcache_page lock_page unlock_page trylock_page get_page put_page
SetPageUptodate ClearPageUptodate PageUptodate SetPageError ClearPageError PageError
SetPageDirty ClearPageDirty PageDirty set_page_dirty set_page_dirty_lock
SetPageChecked ClearPageChecked PageChecked PageLocked PageHighMem PageSwapCache
mark_page_accessed page_offset page_index page_to_pfn page_to_phys page_folio
page_mapping page_count page_to_nid wait_on_page_locked wait_on_page_writeback
""".split())

sites = {}

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def site(pk):
	return sites.setdefault(key(pk), {"x": None, "form": None, "uses": set(),
					  "safe": set(), "addrof": set(),
					  "bad": []})

def ok(pk):
	s = sites.get(key(pk))
	if s is None or s["x"] is None or s["bad"]:
		return False
	deref = s["safe"] - s["addrof"]
	return not (s["uses"] - deref)

//----------------------------------------------------------
//  Candidate sites and their address variable (all modes)
//----------------------------------------------------------

@cand@
expression p;
position pk;
@@

kmap@pk(p)

// The assignment must be a statement of its own: in "y = x = kmap(p);"
// the address also lands in y, which nothing here follows.
@bind_assign@
expression cand.p;
position cand.pk;
type T, T2;
local idexpression T *x;
position pd;
@@

(
x@pd = kmap@pk(p);
|
x@pd = (T2)kmap@pk(p);
)

@script:python@
pk << cand.pk;
x << bind_assign.x;
pd << bind_assign.pd;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "assign"
	s["safe"].add(key(pd))

@bind_decl@
expression cand.p;
position cand.pk;
type T, T2;
identifier x;
@@

(
T *x = kmap@pk(p);
|
T *x = (T2)kmap@pk(p);
)

@script:python@
pk << cand.pk;
x << bind_decl.x;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "assign"

// kmap(page) + offset: kunmap_local() needs an address inside the page, so
// only offsets that cannot reach the next page are accepted.
@bind_off@
expression cand.p, E;
position cand.pk;
type T, T2;
local idexpression T *x;
position pd;
@@

(
x@pd = kmap@pk(p) + E;
|
x@pd = (T2)kmap@pk(p) + E;
)

@off_ok@
expression cand.p, E2;
position cand.pk, po;
type T, T2;
local idexpression T *bind_off.x;
@@

(
x = kmap@pk@po(p) + \(offset_in_page(E2)\|E2 & ~PAGE_MASK\|E2 & (PAGE_SIZE - 1)\|E2 % PAGE_SIZE\);
|
x = (T2)kmap@pk@po(p) + \(offset_in_page(E2)\|E2 & ~PAGE_MASK\|E2 & (PAGE_SIZE - 1)\|E2 % PAGE_SIZE\);
)

@script:python@
pk << cand.pk;
x << bind_off.x;
pd << bind_off.pd;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "offset"
	s["bad"].append("offset may leave the page")
	s["safe"].add(key(pd))

@script:python@
pk << cand.pk;
po << off_ok.po;
@@
s = site(pk)
if s["form"] == "offset":
	s["bad"] = [b for b in s["bad"] if b != "offset may leave the page"]

@bind_off_decl@
expression cand.p, E;
position cand.pk;
type T, T2;
identifier x;
@@

(
T *x = kmap@pk(p) + E;
|
T *x = (T2)kmap@pk(p) + E;
)

@off_ok_decl@
expression cand.p, E2;
position cand.pk, po;
identifier bind_off_decl.x;
type T, T2;
@@

(
T *x = kmap@pk@po(p) + \(offset_in_page(E2)\|E2 & ~PAGE_MASK\|E2 & (PAGE_SIZE - 1)\|E2 % PAGE_SIZE\);
|
T *x = (T2)kmap@pk@po(p) + \(offset_in_page(E2)\|E2 & ~PAGE_MASK\|E2 & (PAGE_SIZE - 1)\|E2 % PAGE_SIZE\);
)

@script:python@
pk << cand.pk;
x << bind_off_decl.x;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "offset"
	s["bad"].append("offset may leave the page")

@script:python@
pk << cand.pk;
po << off_ok_decl.po;
@@
s = site(pk)
if s["form"] == "offset":
	s["bad"] = [b for b in s["bad"] if b != "offset may leave the page"]

// Discarded return: kmap(page); ... addr = page_address(page);
@bind_pa exists@
expression cand.p;
position cand.pk;
type T, T2;
local idexpression T *x;
position pd;
@@

kmap@pk(p);
...
(
x@pd = page_address(p);
|
x@pd = (T2)page_address(p);
)

@script:python@
pk << cand.pk;
x << bind_pa.x;
pd << bind_pa.pd;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "pa"
	s["safe"].add(key(pd))

@bind_pa_decl exists@
expression cand.p;
position cand.pk;
type T, T2;
identifier x;
@@

kmap@pk(p);
...
(
T *x = page_address(p);
|
T *x = (T2)page_address(p);
)

@script:python@
pk << cand.pk;
x << bind_pa_decl.x;
@@
s = site(pk)
if s["x"] is None:
	s["x"] = x
	s["form"] = "pa"

@script:python mk@
pk << cand.pk;
xn;
@@
s = sites.get(key(pk))
if s is None or s["x"] is None:
	cocci.include_match(False)
else:
	coccinelle.xn = s["x"]

//----------------------------------------------------------
//  Every use of the address variable in the function
//----------------------------------------------------------

@use@
identifier mk.xn;
position pu;
@@

xn@pu

@script:python@
pk << cand.pk;
pu << use.pu;
@@
if pu[0].current_element == pk[0].current_element:
	site(pk)["uses"].add(key(pu))

@safe_deref@
identifier mk.xn;
expression E;
type T;
identifier fld;
position pu;
@@

(
 *xn@pu
|
 *(xn@pu + E)
|
xn@pu[E]
|
xn@pu->fld
|
!xn@pu
|
xn@pu == NULL
|
xn@pu != NULL
|
IS_ERR(xn@pu)
|
IS_ERR_OR_NULL(xn@pu)
|
sizeof(xn@pu)
|
xn@pu = NULL
|
xn@pu = kmap(E)
|
xn@pu = (T)kmap(E)
)

@script:python@
pk << cand.pk;
pu << safe_deref.pu;
@@
site(pk)["safe"].add(key(pu))

@safe_test@
identifier mk.xn;
position pu;
statement S1, S2;
@@

(
if (xn@pu) S1 else S2
|
if (xn@pu) S1
)

@script:python@
pk << cand.pk;
pu << safe_test.pu;
@@
site(pk)["safe"].add(key(pu))

// &addr[i], &addr->f[j] are addresses again: not safe unless passed to a
// read-only callee (safe_call below).  &addr itself always declines.
@addrof@
identifier mk.xn;
expression E, E2;
identifier fld, f2;
position pu;
@@

(
 &xn@pu[E]
|
 &xn@pu->fld
|
 &xn@pu->fld[E2]
|
 &xn@pu->fld.f2
|
 &xn@pu->fld.f2[E2]
|
 &xn@pu[E].fld
|
 &xn@pu[E].fld[E2]
|
 &*xn@pu
|
 &*(xn@pu + E)
)

@script:python@
pk << cand.pk;
pu << addrof.pu;
@@
site(pk)["addrof"].add(key(pu))

@safe_call@
identifier mk.xn;
identifier f : script:python() { f in READONLY and f not in PTR_RET };
expression E, E2;
identifier fld, f2;
type T;
position pu;
@@

f(...,
(
 xn@pu
|
 xn@pu + E
|
 xn@pu - E
|
 (T)xn@pu
|
 (T)xn@pu + E
|
 (T)(xn@pu + E)
|
 &xn@pu[E]
|
 &xn@pu->fld
|
 &xn@pu->fld[E2]
|
 &xn@pu->fld.f2
|
 &xn@pu->fld.f2[E2]
|
 &xn@pu[E].fld
|
 &xn@pu[E].fld[E2]
|
 &*xn@pu
|
 &*(xn@pu + E)
)
 ,...)

@script:python@
pk << cand.pk;
pu << safe_call.pu;
@@
s = site(pk)
s["safe"].add(key(pu))
s["addrof"].discard(key(pu))

// A pointer-returning callee: safe when its result is dropped or tested.
@safe_call_ptr@
identifier mk.xn;
identifier f : script:python() { f in PTR_RET };
expression E, E2;
identifier fld, f2;
type T;
position pu;
statement S1, S2;
@@

(
f(...,
(
 xn@pu
|
 xn@pu + E
|
 xn@pu - E
|
 (T)xn@pu
|
 (T)xn@pu + E
|
 (T)(xn@pu + E)
|
 &xn@pu[E]
|
 &xn@pu->fld
|
 &xn@pu->fld[E2]
|
 &xn@pu->fld.f2
|
 &xn@pu->fld.f2[E2]
|
 &xn@pu[E].fld
|
 &xn@pu[E].fld[E2]
|
 &*xn@pu
|
 &*(xn@pu + E)
)
 ,...);
|
if (<+... f(..., \(xn@pu\|xn@pu + E\|xn@pu - E\|(T)xn@pu\|(T)xn@pu + E\|(T)(xn@pu + E)\|&xn@pu[E]\|&xn@pu->fld\|&xn@pu->fld[E2]\|&xn@pu->fld.f2\|&xn@pu->fld.f2[E2]\|&xn@pu[E].fld\|&xn@pu[E].fld[E2]\|&*xn@pu\|&*(xn@pu + E)\), ...) ...+>) S1 else S2
|
if (<+... f(..., \(xn@pu\|xn@pu + E\|xn@pu - E\|(T)xn@pu\|(T)xn@pu + E\|(T)(xn@pu + E)\|&xn@pu[E]\|&xn@pu->fld\|&xn@pu->fld[E2]\|&xn@pu->fld.f2\|&xn@pu->fld.f2[E2]\|&xn@pu[E].fld\|&xn@pu[E].fld[E2]\|&*xn@pu\|&*(xn@pu + E)\), ...) ...+>) S1
)

@script:python@
pk << cand.pk;
pu << safe_call_ptr.pu;
@@
s = site(pk)
s["safe"].add(key(pu))
s["addrof"].discard(key(pu))

@addr_of_var@
identifier mk.xn;
position pu;
@@

 &xn@pu

@script:python@
pk << cand.pk;
pu << addr_of_var.pu;
@@
if pu[0].current_element == pk[0].current_element:
	site(pk)["bad"].append("address of the pointer variable taken")

//----------------------------------------------------------
//  The page must not reach a callee that may use page_address()
//----------------------------------------------------------

@pcall@
expression cand.p;
identifier fname;
position pc;
@@

fname@pc(...,p,...)

@script:python@
pk << cand.pk;
fname << pcall.fname;
pc << pcall.pc;
@@
if pc[0].current_element == pk[0].current_element and fname not in PAGE_OK:
	site(pk)["bad"].append("page passed to %s()" % fname)

//----------------------------------------------------------
//  Every path from the map reaches kunmap(page) in this function, with
//  nothing mapped or locally unmapped in between (LIFO) and the address
//  variable left unchanged.
//----------------------------------------------------------

//----------------------------------------------------------
//  patch: every path from the map reaches kunmap(page) in this function,
//  with nothing mapped or locally unmapped in between (LIFO) and the
//  address variable left unchanged.  The same path condition is repeated
//  for each mode below.
//----------------------------------------------------------

@patch_kmap depends on patch forall@
expression cand.p;
position cand.pk : script:python() { ok(pk) };
identifier mk.xn;
expression E, E2;
position pm, pu;
@@

(
- kmap@pk@pm(p);
... when != xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(E)
    when != kunmap(p)
    when strict
- page_address(p)
+ kmap_local_page(p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
- kunmap@pu(p);
+ kunmap_local(xn);
|
- kmap@pk@pm
+ kmap_local_page
  (p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
- kunmap@pu(p);
+ kunmap_local(xn);
)

//----------------------------------------------------------
//  context
//----------------------------------------------------------

@ctx_assign depends on context && !patch && !org && !report forall@
expression cand.p;
position cand.pk : script:python() { ok(pk) and sites[key(pk)]["form"] != "pa" };
identifier mk.xn;
expression E, E2;
position pm, pu;
@@

* kmap@pk@pm(p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
* kunmap@pu(p);

@ctx_pa depends on context && !patch && !org && !report forall@
expression cand.p;
position cand.pk : script:python() { ok(pk) and sites[key(pk)]["form"] == "pa" };
identifier mk.xn;
expression E, E2;
position pm, pu;
@@

* kmap@pk@pm(p);
... when != xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(E)
    when != kunmap(p)
    when strict
* page_address(p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
* kunmap@pu(p);

//----------------------------------------------------------
//  org and report
//----------------------------------------------------------

@rep_assign depends on !patch && !context && (org || report) forall@
expression cand.p;
position cand.pk : script:python() { ok(pk) and sites[key(pk)]["form"] != "pa" };
identifier mk.xn;
expression E, E2;
position pm, pu;
@@

kmap@pk@pm(p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
kunmap@pu(p);

@rep_pa depends on !patch && !context && (org || report) forall@
expression cand.p;
position cand.pk : script:python() { ok(pk) and sites[key(pk)]["form"] == "pa" };
identifier mk.xn;
expression E, E2;
position pm, pu;
@@

kmap@pk@pm(p);
... when != xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(E)
    when != kunmap(p)
    when strict
page_address(p)
... when != xn = E
    when != xn += E
    when != xn -= E
    when != xn++
    when != xn--
    when != ++xn
    when != --xn
    when != &xn
    when != p = E
    when != kmap(E)
    when != kmap_atomic(E)
    when != kmap_local_page(E)
    when != kmap_local_folio(E, E2)
    when != kunmap_atomic(E)
    when != kunmap_local(E)
    when != page_address(p)
    when strict
kunmap@pu(p);

@script:python depends on report@
pm << rep_assign.pm;
xn << mk.xn;
@@
coccilib.report.print_report(pm[0], "WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(%s)" % xn)

@script:python depends on report@
pm << rep_pa.pm;
xn << mk.xn;
@@
coccilib.report.print_report(pm[0], "WARNING: thread-local kmap() with page_address(): use %s = kmap_local_page() and kunmap_local(%s)" % (xn, xn))

@script:python depends on org@
pm << rep_assign.pm;
xn << mk.xn;
@@
coccilib.org.print_todo(pm[0], "WARNING: thread-local kmap(): use kmap_local_page() and kunmap_local(%s)" % xn)

@script:python depends on org@
pm << rep_pa.pm;
xn << mk.xn;
@@
coccilib.org.print_todo(pm[0], "WARNING: thread-local kmap() with page_address(): use %s = kmap_local_page() and kunmap_local(%s)" % (xn, xn))
