// SPDX-License-Identifier: GPL-2.0-only
/// Report kmap() mappings whose address escapes the function.
///
/// The address of a kmap() that is stored into a structure field, a global
/// variable, an array that is not a local of the function, through an
/// out-parameter (*p = addr), or returned, may be used by another thread or
/// after the function returns.  Such a mapping is global: it cannot become
/// kmap_local_page() and it is incompatible with PKS protection of
/// persistent-memory pages.  The report names the escaping store.
//
// Confidence: Moderate
// Copyright: (C) 2026 The mapcheck authors. GPL-2.0-only.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: Coccinelle sees one function and no headers.  A field of a
//  local structure variable (s.f = addr) is not reported; a store through a
//  pointer (p->f = addr) is, even when the pointer points to a local.  A
//  store done by a callee, or through a chain of local copies longer than
//  one variable, is not seen.  "returned" includes static helpers whose
//  callers unmap (the cross-function class of mapcheck).
// Options: --no-includes --include-headers
// Keywords: kmap, kunmap, kmap_local_page, highmem, pks

virtual context
virtual org
virtual report

@gate@
@@

kmap(...)

@context_field depends on gate && context && !org && !report exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
identifier fld, f1;
global idexpression G;
@@

(
* \(E->fld@ps\|G.fld@ps\|E->f1.fld@ps\) = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
* x = kmap@pk(P);
|
* x = (T)kmap@pk(P);
|
* x = kmap@pk(P) + E4;
|
* x = (T)kmap@pk(P) + E4;
|
* T1 *x = kmap@pk(P);
|
* T1 *x = (T)kmap@pk(P);
|
* T1 *x = kmap@pk(P) + E4;
|
* T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
* \(E->fld@ps\|G.fld@ps\|E->f1.fld@ps\) = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@context_global depends on gate && context && !org && !report exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
global idexpression G;
@@

(
* G@ps = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
* x = kmap@pk(P);
|
* x = (T)kmap@pk(P);
|
* x = kmap@pk(P) + E4;
|
* x = (T)kmap@pk(P) + E4;
|
* T1 *x = kmap@pk(P);
|
* T1 *x = (T)kmap@pk(P);
|
* T1 *x = kmap@pk(P) + E4;
|
* T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
* G@ps = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@context_array depends on gate && context && !org && !report exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
type T2;
idexpression T2 *A;
expression E3;
identifier fld;
global idexpression G;
@@

(
* \(A@ps[E3]\|G@ps[E3]\|E->fld@ps[E3]\) = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
* x = kmap@pk(P);
|
* x = (T)kmap@pk(P);
|
* x = kmap@pk(P) + E4;
|
* x = (T)kmap@pk(P) + E4;
|
* T1 *x = kmap@pk(P);
|
* T1 *x = (T)kmap@pk(P);
|
* T1 *x = kmap@pk(P) + E4;
|
* T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
* \(A@ps[E3]\|G@ps[E3]\|E->fld@ps[E3]\) = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@context_out depends on gate && context && !org && !report exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
@@

(
* *E@ps = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
* x = kmap@pk(P);
|
* x = (T)kmap@pk(P);
|
* x = kmap@pk(P) + E4;
|
* x = (T)kmap@pk(P) + E4;
|
* T1 *x = kmap@pk(P);
|
* T1 *x = (T)kmap@pk(P);
|
* T1 *x = kmap@pk(P) + E4;
|
* T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
* *E@ps = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@context_ret depends on gate && context && !org && !report exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
@@

(
* return@ps \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
* x = kmap@pk(P);
|
* x = (T)kmap@pk(P);
|
* x = kmap@pk(P) + E4;
|
* x = (T)kmap@pk(P) + E4;
|
* T1 *x = kmap@pk(P);
|
* T1 *x = (T)kmap@pk(P);
|
* T1 *x = kmap@pk(P) + E4;
|
* T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
* return@ps \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@rep_field depends on gate && !context && (org || report) exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
identifier fld, f1;
global idexpression G;
@@

(
  \(E->fld@ps\|G.fld@ps\|E->f1.fld@ps\) = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
  x = kmap@pk(P);
|
  x = (T)kmap@pk(P);
|
  x = kmap@pk(P) + E4;
|
  x = (T)kmap@pk(P) + E4;
|
  T1 *x = kmap@pk(P);
|
  T1 *x = (T)kmap@pk(P);
|
  T1 *x = kmap@pk(P) + E4;
|
  T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
  \(E->fld@ps\|G.fld@ps\|E->f1.fld@ps\) = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@script:python depends on report@
pk << rep_field.pk;
ps << rep_field.ps;
v << rep_field.fld;
@@
detail = "stored into field %s" % v
coccilib.report.print_report(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@script:python depends on org@
pk << rep_field.pk;
ps << rep_field.ps;
v << rep_field.fld;
@@
detail = "stored into field %s" % v
coccilib.org.print_todo(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@rep_global depends on gate && !context && (org || report) exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
global idexpression G;
@@

(
  G@ps = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
  x = kmap@pk(P);
|
  x = (T)kmap@pk(P);
|
  x = kmap@pk(P) + E4;
|
  x = (T)kmap@pk(P) + E4;
|
  T1 *x = kmap@pk(P);
|
  T1 *x = (T)kmap@pk(P);
|
  T1 *x = kmap@pk(P) + E4;
|
  T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
  G@ps = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@script:python depends on report@
pk << rep_global.pk;
ps << rep_global.ps;
v << rep_global.G;
@@
detail = "stored into global variable %s" % v
coccilib.report.print_report(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@script:python depends on org@
pk << rep_global.pk;
ps << rep_global.ps;
v << rep_global.G;
@@
detail = "stored into global variable %s" % v
coccilib.org.print_todo(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@rep_array depends on gate && !context && (org || report) exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
type T2;
idexpression T2 *A;
expression E3;
identifier fld;
global idexpression G;
@@

(
  \(A@ps[E3]\|G@ps[E3]\|E->fld@ps[E3]\) = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
  x = kmap@pk(P);
|
  x = (T)kmap@pk(P);
|
  x = kmap@pk(P) + E4;
|
  x = (T)kmap@pk(P) + E4;
|
  T1 *x = kmap@pk(P);
|
  T1 *x = (T)kmap@pk(P);
|
  T1 *x = kmap@pk(P) + E4;
|
  T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
  \(A@ps[E3]\|G@ps[E3]\|E->fld@ps[E3]\) = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@script:python depends on report@
pk << rep_array.pk;
ps << rep_array.ps;
@@
detail = "stored into an array that is not a local of the function"
coccilib.report.print_report(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@script:python depends on org@
pk << rep_array.pk;
ps << rep_array.ps;
@@
detail = "stored into an array that is not a local of the function"
coccilib.org.print_todo(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@rep_out depends on gate && !context && (org || report) exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
@@

(
  *E@ps = \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
  x = kmap@pk(P);
|
  x = (T)kmap@pk(P);
|
  x = kmap@pk(P) + E4;
|
  x = (T)kmap@pk(P) + E4;
|
  T1 *x = kmap@pk(P);
|
  T1 *x = (T)kmap@pk(P);
|
  T1 *x = kmap@pk(P) + E4;
|
  T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
  *E@ps = \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@script:python depends on report@
pk << rep_out.pk;
ps << rep_out.ps;
v << rep_out.E;
@@
detail = "stored through pointer %s (out-parameter)" % v
coccilib.report.print_report(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@script:python depends on org@
pk << rep_out.pk;
ps << rep_out.ps;
v << rep_out.E;
@@
detail = "stored through pointer %s (out-parameter)" % v
coccilib.org.print_todo(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@rep_ret depends on gate && !context && (org || report) exists@
expression P, E, E2, E4;
type T, T1;
identifier x;
position pk, ps;
@@

(
  return@ps \(kmap@pk(P)\|(T)kmap@pk(P)\|kmap@pk(P) + E2\|(T)kmap@pk(P) + E2\);
|
(
  x = kmap@pk(P);
|
  x = (T)kmap@pk(P);
|
  x = kmap@pk(P) + E4;
|
  x = (T)kmap@pk(P) + E4;
|
  T1 *x = kmap@pk(P);
|
  T1 *x = (T)kmap@pk(P);
|
  T1 *x = kmap@pk(P) + E4;
|
  T1 *x = (T)kmap@pk(P) + E4;
)
  ... when != x = E
  return@ps \(x\|(T)x\|x + E2\|(T)x + E2\|(T)(x + E2)\);
)

@script:python depends on report@
pk << rep_ret.pk;
ps << rep_ret.ps;
@@
detail = "returned"
coccilib.report.print_report(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))

@script:python depends on org@
pk << rep_ret.pk;
ps << rep_ret.ps;
@@
detail = "returned"
coccilib.org.print_todo(pk[0], "WARNING: global kmap(): address %s at line %s; it must stay kmap()" % (detail, ps[0].line))
