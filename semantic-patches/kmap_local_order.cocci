// SPDX-License-Identifier: GPL-2.0-only
/// Report thread-local mappings released out of LIFO order, and kunmap()
/// given a mapped address instead of the page.
///
/// kmap_local_page(), kmap_local_folio() and kmap_atomic() push a slot on a
/// per-thread stack; kunmap_local()/kunmap_atomic() must release the most
/// recent mapping first (map a, map b, unmap b, unmap a).  Releasing a while
/// b is still mapped triggers a WARN in kunmap_local_indexed() on HIGHMEM and
/// on CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP kernels.  kunmap() takes the page:
/// passing it the address returned by a mapping function compiles (void *
/// converts silently) but unmaps the wrong thing.
//
// Confidence: Moderate
// Copyright: (C) 2026 The mapcheck authors. GPL-2.0-only.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: Coccinelle sees one function: mappings made in a callee, or
//  held in arrays and released in a loop (FIFO loops), are not seen.  The
//  address must be held in a variable of the function.
// Options: --no-includes --include-headers
// Keywords: kmap_local_page, kunmap_local, kmap_atomic, kunmap_atomic, LIFO

virtual context
virtual org
virtual report

@gate@
@@

\(kmap_local_page\|kmap_atomic\|kmap_local_folio\|kmap_local_page_prot\|kmap_atomic_prot\|kmap_local_pfn\|kmap_atomic_pfn\|kmap\|page_address\)(...)

//----------------------------------------------------------
//  context
//----------------------------------------------------------

// One pattern per form, the mapping function a set: 48 spelled-out forms
// on each side made spatch try 48 x 48 pairs per function, ten times the
// time on a whole tree for the same reports.
@pairs depends on gate && (context || org || report) exists@
expression E, E3, E3b;
type T, T1, Tb, T1b;
identifier a, b;
identifier ma = {kmap_local_page, kmap_atomic, kmap_local_folio, kmap_local_page_prot, kmap_atomic_prot, kmap_local_pfn, kmap_atomic_pfn};
identifier mb = {kmap_local_page, kmap_atomic, kmap_local_folio, kmap_local_page_prot, kmap_atomic_prot, kmap_local_pfn, kmap_atomic_pfn};
position pa, pb, pu;
@@

(
a = ma@pa(...);
|
a = (T)ma@pa(...);
|
a = ma@pa(...) + E3;
|
T1 *a = ma@pa(...);
|
T1 *a = (T)ma@pa(...);
|
T1 *a = ma@pa(...) + E3;
)
... when != \(kunmap_local\|kunmap_atomic\)(<+... a ...+>)
    when != a = E
(
b = mb@pb(...);
|
b = (Tb)mb@pb(...);
|
b = mb@pb(...) + E3b;
|
T1b *b = mb@pb(...);
|
T1b *b = (Tb)mb@pb(...);
|
T1b *b = mb@pb(...) + E3b;
)
... when != \(kunmap_local\|kunmap_atomic\)(<+... b ...+>)
    when != b = E
    when != a = E
\(kunmap_local@pu\|kunmap_atomic@pu\)(<+... a ...+>);

// The same variable mapped again (a loop) is not a second mapping.
@script:python@
a << pairs.a;
b << pairs.b;
@@
if a == b:
	cocci.include_match(False)

@ctx_order depends on context && !org && !report@
position pairs.pa, pairs.pb, pairs.pu;
expression E;
@@

(
* kunmap_local@pu(E)
|
* kunmap_atomic@pu(E)
|
* E@pa
|
* E@pb
)

@ctx_kunmap depends on gate && context && !org && !report exists@
expression E1, E2, E3;
type T, T1;
identifier a;
position pa, pu;
@@

(
* a = kmap_local_page@pa(E1);
|
* a = (T)kmap_local_page@pa(E1);
|
* T1 *a = kmap_local_page@pa(E1);
|
* T1 *a = (T)kmap_local_page@pa(E1);
|
* a = kmap_atomic@pa(E1);
|
* a = (T)kmap_atomic@pa(E1);
|
* T1 *a = kmap_atomic@pa(E1);
|
* T1 *a = (T)kmap_atomic@pa(E1);
|
* a = kmap_local_folio@pa(E1, E2);
|
* a = (T)kmap_local_folio@pa(E1, E2);
|
* T1 *a = kmap_local_folio@pa(E1, E2);
|
* T1 *a = (T)kmap_local_folio@pa(E1, E2);
|
* a = kmap_local_page_prot@pa(E1, E2);
|
* a = (T)kmap_local_page_prot@pa(E1, E2);
|
* T1 *a = kmap_local_page_prot@pa(E1, E2);
|
* T1 *a = (T)kmap_local_page_prot@pa(E1, E2);
|
* a = kmap_atomic_prot@pa(E1, E2);
|
* a = (T)kmap_atomic_prot@pa(E1, E2);
|
* T1 *a = kmap_atomic_prot@pa(E1, E2);
|
* T1 *a = (T)kmap_atomic_prot@pa(E1, E2);
|
* a = kmap_local_pfn@pa(E1);
|
* a = (T)kmap_local_pfn@pa(E1);
|
* T1 *a = kmap_local_pfn@pa(E1);
|
* T1 *a = (T)kmap_local_pfn@pa(E1);
|
* a = kmap_atomic_pfn@pa(E1);
|
* a = (T)kmap_atomic_pfn@pa(E1);
|
* T1 *a = kmap_atomic_pfn@pa(E1);
|
* T1 *a = (T)kmap_atomic_pfn@pa(E1);
|
* a = kmap@pa(E1);
|
* a = (T)kmap@pa(E1);
|
* T1 *a = kmap@pa(E1);
|
* T1 *a = (T)kmap@pa(E1);
|
* a = page_address@pa(E1);
|
* a = (T)page_address@pa(E1);
|
* T1 *a = page_address@pa(E1);
|
* T1 *a = (T)page_address@pa(E1);
)
... when != a = E1
* kunmap@pu(\(a\|a + E3\|a - E3\|(T)a\));

//----------------------------------------------------------
//  org and report
//----------------------------------------------------------

@rep_kunmap depends on gate && !context && (org || report) exists@
expression E1, E2, E3;
type T, T1;
identifier a;
position pa, pu;
@@

(
a = kmap_local_page@pa(E1);
|
a = (T)kmap_local_page@pa(E1);
|
T1 *a = kmap_local_page@pa(E1);
|
T1 *a = (T)kmap_local_page@pa(E1);
|
a = kmap_atomic@pa(E1);
|
a = (T)kmap_atomic@pa(E1);
|
T1 *a = kmap_atomic@pa(E1);
|
T1 *a = (T)kmap_atomic@pa(E1);
|
a = kmap_local_folio@pa(E1, E2);
|
a = (T)kmap_local_folio@pa(E1, E2);
|
T1 *a = kmap_local_folio@pa(E1, E2);
|
T1 *a = (T)kmap_local_folio@pa(E1, E2);
|
a = kmap_local_page_prot@pa(E1, E2);
|
a = (T)kmap_local_page_prot@pa(E1, E2);
|
T1 *a = kmap_local_page_prot@pa(E1, E2);
|
T1 *a = (T)kmap_local_page_prot@pa(E1, E2);
|
a = kmap_atomic_prot@pa(E1, E2);
|
a = (T)kmap_atomic_prot@pa(E1, E2);
|
T1 *a = kmap_atomic_prot@pa(E1, E2);
|
T1 *a = (T)kmap_atomic_prot@pa(E1, E2);
|
a = kmap_local_pfn@pa(E1);
|
a = (T)kmap_local_pfn@pa(E1);
|
T1 *a = kmap_local_pfn@pa(E1);
|
T1 *a = (T)kmap_local_pfn@pa(E1);
|
a = kmap_atomic_pfn@pa(E1);
|
a = (T)kmap_atomic_pfn@pa(E1);
|
T1 *a = kmap_atomic_pfn@pa(E1);
|
T1 *a = (T)kmap_atomic_pfn@pa(E1);
|
a = kmap@pa(E1);
|
a = (T)kmap@pa(E1);
|
T1 *a = kmap@pa(E1);
|
T1 *a = (T)kmap@pa(E1);
|
a = page_address@pa(E1);
|
a = (T)page_address@pa(E1);
|
T1 *a = page_address@pa(E1);
|
T1 *a = (T)page_address@pa(E1);
)
... when != a = E1
kunmap@pu(\(a\|a + E3\|a - E3\|(T)a\));

@script:python depends on report@
pu << pairs.pu;
pa << pairs.pa;
pb << pairs.pb;
a << pairs.a;
b << pairs.b;
@@
coccilib.report.print_report(pu[0], "WARNING: unmap of %s (mapped line %s) while %s (mapped line %s) is still mapped: thread-local unmaps must be LIFO" % (a, pa[0].line, b, pb[0].line))

@script:python depends on report@
pu << rep_kunmap.pu;
pa << rep_kunmap.pa;
a << rep_kunmap.a;
@@
coccilib.report.print_report(pu[0], "ERROR: kunmap() takes the page, but %s is the address mapped at line %s" % (a, pa[0].line))

@script:python depends on org@
pu << pairs.pu;
pa << pairs.pa;
pb << pairs.pb;
a << pairs.a;
b << pairs.b;
@@
coccilib.org.print_todo(pu[0], "WARNING: unmap of %s (mapped line %s) while %s (mapped line %s) is still mapped: thread-local unmaps must be LIFO" % (a, pa[0].line, b, pb[0].line))

@script:python depends on org@
pu << rep_kunmap.pu;
pa << rep_kunmap.pa;
a << rep_kunmap.a;
@@
coccilib.org.print_todo(pu[0], "ERROR: kunmap() takes the page, but %s is the address mapped at line %s" % (a, pa[0].line))
