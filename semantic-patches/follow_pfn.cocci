// SPDX-License-Identifier: GPL-2.0-only
/// Report follow_pfn() calls and PFN/PTE values used after the page-table
/// lock is dropped.
///
/// follow_pfn() (removed in 6.10) returns a PFN after dropping the lock, so
/// the PFN may already be stale.  follow_pte() (6.1) and
/// follow_pfnmap_start() (6.12) return values that are only stable until
/// pte_unmap_unlock()/follow_pfnmap_end(); using them later, or handing them
/// to the caller, needs an MMU notifier (mmu_interval_read_begin/retry, KVM
/// mmu_invalidate_seq).  pfn_to_page()/get_page() on such a PFN treats a
/// raw PFN of a VM_IO/VM_PFNMAP mapping as a refcounted page
/// (CVE-2021-22543, CVE-2024-38610).
//
// Confidence: Moderate
// Copyright: (C) 2026 The mapcheck authors. GPL-2.0-only.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: Coccinelle sees one function: a notifier retry in the caller
//  (KVM checks mmu_invalidate_seq in its callers) is not seen, so those
//  reports need review; functions calling mmu_interval_read_retry(),
//  mmu_invalidate_retry*() or mmu_notifier_retry*() themselves are skipped.
//  Values copied into a declaration initialiser (pte_t pte = *ptep;) are not
//  tracked, only assignments.
// Options: --no-includes --include-headers
// Keywords: follow_pfn, follow_pte, follow_pfnmap_start, follow_pfnmap_end, pfn_to_page

virtual context
virtual org
virtual report

@initialize:python@
@@
notified = set()
statuses = set()
seen = set()

def value(pa):
	return (pa[0].file, pa[0].line, pa[0].column) not in statuses

def once(p, rule):
	k = (p[0].file, p[0].line, p[0].column, rule)
	if k in seen:
		return False
	seen.add(k)
	return True

def fkey(p):
	return (p[0].file, p[0].current_element)

def unnotified(p):
	return fkey(p) not in notified

@gate@
@@

\(follow_pfn\|unsafe_follow_pfn\|follow_pte\|follow_pfnmap_start\)(...)

@notifier depends on gate@
position pn;
@@

\(mmu_interval_read_retry@pn\|mmu_interval_check_retry@pn\|mmu_invalidate_retry@pn\|mmu_invalidate_retry_hva@pn\|mmu_invalidate_retry_gfn@pn\|mmu_notifier_retry@pn\|mmu_notifier_retry_hva@pn\)(...)

@script:python@
pn << notifier.pn;
@@
notified.add(fkey(pn))

// ret = args.writable ? 0 : -EACCES; keeps a status, not the value.
@status depends on gate@
idexpression V;
expression E;
constant C1, C2;
position pa;
@@

V@pa = E ? C1 : C2;

@script:python@
pa << status.pa;
@@
statuses.add((pa[0].file, pa[0].line, pa[0].column))

//----------------------------------------------------------
//  context
//----------------------------------------------------------

@ctx_follow_pfn depends on gate && context && !org && !report@
position p;
@@

* \(follow_pfn@p\|unsafe_follow_pfn@p\)(...)

@ctx_pte_after depends on gate && context && !org && !report exists@
expression E1, E2, E;
identifier ptep, ptl;
idexpression V;
position ps : script:python() { unnotified(ps) };
position pa : script:python() { value(pa) };
position pu, pv;
@@

* follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
V@pa = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
... when != V = E
    when != pte_unmap_unlock(ptep, ptl)
* pte_unmap_unlock@pu(ptep, ptl);
... when != V = E
    when != follow_pte(E1, E2, &ptep, &ptl)
(
V = E
|
* V@pv
)

@ctx_pte_direct depends on gate && context && !org && !report exists@
expression E1, E2;
identifier ptep, ptl;
position ps : script:python() { unnotified(ps) };
position pu, pv;
@@

* follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
* pte_unmap_unlock@pu(ptep, ptl);
... when != follow_pte(E1, E2, &ptep, &ptl)
* \(*ptep@pv\|ptep_get@pv(ptep)\)

@ctx_pte_escape depends on gate && context && !org && !report exists@
expression E;
expression E1, E2;
identifier ptep, ptl;
identifier fld;
position ps : script:python() { unnotified(ps) };
position pv;
@@

* follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
(
* *E@pv = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
|
* E->fld@pv = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
)

@ctx_pte_page depends on gate && context && !org && !report exists@
expression E1, E2;
identifier ptep, ptl;
position ps, pv;
@@

* follow_pte@ps(E1, E2, &ptep, &ptl)
...
* \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... \(*ptep\|ptep_get(ptep)\) ...+>)

@ctx_pte_pagev depends on gate && context && !org && !report exists@
expression E1, E2, E;
identifier ptep, ptl;
idexpression V;
position ps, pv;
@@

* follow_pte@ps(E1, E2, &ptep, &ptl)
...
V = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
... when != V = E
* \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... V ...+>)

@ctx_pfnmap_after depends on gate && context && !org && !report exists@
expression E;
identifier args;
idexpression V;
position ps : script:python() { unnotified(ps) };
position pa : script:python() { value(pa) };
position pu, pv;
@@

* follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
V@pa = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
... when != V = E
    when != follow_pfnmap_end(&args)
* follow_pfnmap_end@pu(&args);
... when != V = E
    when != follow_pfnmap_start(&args)
(
V = E
|
* V@pv
)

@ctx_pfnmap_direct depends on gate && context && !org && !report exists@
identifier args;
position ps : script:python() { unnotified(ps) };
position pu, pv;
@@

* follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
* follow_pfnmap_end@pu(&args);
... when != follow_pfnmap_start(&args)
* \(args.pfn@pv\|args.pgprot@pv\|args.writable@pv\|args.special@pv\|args.addr_mask@pv\)

@ctx_pfnmap_escape depends on gate && context && !org && !report exists@
expression E;
identifier args;
identifier fld;
position ps : script:python() { unnotified(ps) };
position pv;
@@

* follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
(
* *E@pv = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
|
* E->fld@pv = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
)

@ctx_pfnmap_page depends on gate && context && !org && !report exists@
identifier args;
position ps, pv;
@@

* follow_pfnmap_start@ps(&args)
...
* \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>)

@ctx_pfnmap_pagev depends on gate && context && !org && !report exists@
expression E;
identifier args;
idexpression V;
position ps, pv;
@@

* follow_pfnmap_start@ps(&args)
...
V = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
... when != V = E
* \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... V ...+>)

//----------------------------------------------------------
//  org and report
//----------------------------------------------------------

@rep_follow_pfn depends on gate && !context && (org || report)@
position p;
@@

\(follow_pfn@p\|unsafe_follow_pfn@p\)(...)

@rep_pte_after depends on gate && !context && (org || report) exists@
expression E1, E2, E;
identifier ptep, ptl;
idexpression V;
position ps : script:python() { unnotified(ps) };
position pa : script:python() { value(pa) };
position pu, pv;
@@

  follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
V@pa = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
... when != V = E
    when != pte_unmap_unlock(ptep, ptl)
  pte_unmap_unlock@pu(ptep, ptl);
... when != V = E
    when != follow_pte(E1, E2, &ptep, &ptl)
(
V = E
|
  V@pv
)

@rep_pte_direct depends on gate && !context && (org || report) exists@
expression E1, E2;
identifier ptep, ptl;
position ps : script:python() { unnotified(ps) };
position pu, pv;
@@

  follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
  pte_unmap_unlock@pu(ptep, ptl);
... when != follow_pte(E1, E2, &ptep, &ptl)
  \(*ptep@pv\|ptep_get@pv(ptep)\)

@rep_pte_escape depends on gate && !context && (org || report) exists@
expression E;
expression E1, E2;
identifier ptep, ptl;
identifier fld;
position ps : script:python() { unnotified(ps) };
position pv;
@@

  follow_pte@ps(E1, E2, &ptep, &ptl)
... when != pte_unmap_unlock(ptep, ptl)
(
  *E@pv = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
|
  E->fld@pv = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
)

@rep_pte_page depends on gate && !context && (org || report) exists@
expression E1, E2;
identifier ptep, ptl;
position ps, pv;
@@

  follow_pte@ps(E1, E2, &ptep, &ptl)
...
  \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... \(*ptep\|ptep_get(ptep)\) ...+>)

@rep_pte_pagev depends on gate && !context && (org || report) exists@
expression E1, E2, E;
identifier ptep, ptl;
idexpression V;
position ps, pv;
@@

  follow_pte@ps(E1, E2, &ptep, &ptl)
...
V = <+... \(*ptep\|ptep_get(ptep)\) ...+>;
... when != V = E
  \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... V ...+>)

@rep_pfnmap_after depends on gate && !context && (org || report) exists@
expression E;
identifier args;
idexpression V;
position ps : script:python() { unnotified(ps) };
position pa : script:python() { value(pa) };
position pu, pv;
@@

  follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
V@pa = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
... when != V = E
    when != follow_pfnmap_end(&args)
  follow_pfnmap_end@pu(&args);
... when != V = E
    when != follow_pfnmap_start(&args)
(
V = E
|
  V@pv
)

@rep_pfnmap_direct depends on gate && !context && (org || report) exists@
identifier args;
position ps : script:python() { unnotified(ps) };
position pu, pv;
@@

  follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
  follow_pfnmap_end@pu(&args);
... when != follow_pfnmap_start(&args)
  \(args.pfn@pv\|args.pgprot@pv\|args.writable@pv\|args.special@pv\|args.addr_mask@pv\)

@rep_pfnmap_escape depends on gate && !context && (org || report) exists@
expression E;
identifier args;
identifier fld;
position ps : script:python() { unnotified(ps) };
position pv;
@@

  follow_pfnmap_start@ps(&args)
... when != follow_pfnmap_end(&args)
(
  *E@pv = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
|
  E->fld@pv = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
)

@rep_pfnmap_page depends on gate && !context && (org || report) exists@
identifier args;
position ps, pv;
@@

  follow_pfnmap_start@ps(&args)
...
  \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>)

@rep_pfnmap_pagev depends on gate && !context && (org || report) exists@
expression E;
identifier args;
idexpression V;
position ps, pv;
@@

  follow_pfnmap_start@ps(&args)
...
V = <+... \(args.pfn\|args.pgprot\|args.writable\|args.special\|args.addr_mask\) ...+>;
... when != V = E
  \(pfn_to_page@pv\|get_page@pv\|pfn_to_online_page@pv\)(<+... V ...+>)

@script:python depends on report@
p << rep_follow_pfn.p;
@@
if once(p, "rep_follow_pfn"):
	coccilib.report.print_report(p[0], "WARNING: follow_pfn() returns the PFN after dropping the page-table lock; use follow_pte()/follow_pfnmap_start() and use the value under the lock, or pin_user_pages()")

@script:python depends on report@
pv << rep_pte_after.pv;
ps << rep_pte_after.ps;
pu << rep_pte_after.pu;
V << rep_pte_after.V;
pa << rep_pte_after.pa;
@@
if once(pa, "rep_pte_after"):
	coccilib.report.print_report(pv[0], "WARNING: %s holds a value from follow_pte() (line %s) and is used after pte_unmap_unlock() (line %s) without an MMU notifier" % (V, ps[0].line, pu[0].line))

@script:python depends on report@
pv << rep_pte_direct.pv;
ps << rep_pte_direct.ps;
pu << rep_pte_direct.pu;
@@
if once(pv, "rep_pte_direct"):
	coccilib.report.print_report(pv[0], "WARNING: value of follow_pte() (line %s) used after pte_unmap_unlock() (line %s)" % (ps[0].line, pu[0].line))

@script:python depends on report@
pv << rep_pte_escape.pv;
ps << rep_pte_escape.ps;
@@
if once(pv, "rep_pte_escape"):
	coccilib.report.print_report(pv[0], "WARNING: value of follow_pte() (line %s) stored through a pointer: it outlives pte_unmap_unlock() without an MMU notifier" % ps[0].line)

@script:python depends on report@
pv << rep_pte_page.pv;
ps << rep_pte_page.ps;
@@
if once(pv, "rep_pte_page"):
	coccilib.report.print_report(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pte() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on report@
pv << rep_pte_pagev.pv;
ps << rep_pte_pagev.ps;
@@
if once(pv, "rep_pte_pagev"):
	coccilib.report.print_report(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pte() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on report@
pv << rep_pfnmap_after.pv;
ps << rep_pfnmap_after.ps;
pu << rep_pfnmap_after.pu;
V << rep_pfnmap_after.V;
pa << rep_pfnmap_after.pa;
@@
if once(pa, "rep_pfnmap_after"):
	coccilib.report.print_report(pv[0], "WARNING: %s holds a value from follow_pfnmap_start() (line %s) and is used after follow_pfnmap_end() (line %s) without an MMU notifier" % (V, ps[0].line, pu[0].line))

@script:python depends on report@
pv << rep_pfnmap_direct.pv;
ps << rep_pfnmap_direct.ps;
pu << rep_pfnmap_direct.pu;
@@
if once(pv, "rep_pfnmap_direct"):
	coccilib.report.print_report(pv[0], "WARNING: value of follow_pfnmap_start() (line %s) used after follow_pfnmap_end() (line %s)" % (ps[0].line, pu[0].line))

@script:python depends on report@
pv << rep_pfnmap_escape.pv;
ps << rep_pfnmap_escape.ps;
@@
if once(pv, "rep_pfnmap_escape"):
	coccilib.report.print_report(pv[0], "WARNING: value of follow_pfnmap_start() (line %s) stored through a pointer: it outlives follow_pfnmap_end() without an MMU notifier" % ps[0].line)

@script:python depends on report@
pv << rep_pfnmap_page.pv;
ps << rep_pfnmap_page.ps;
@@
if once(pv, "rep_pfnmap_page"):
	coccilib.report.print_report(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pfnmap_start() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on report@
pv << rep_pfnmap_pagev.pv;
ps << rep_pfnmap_pagev.ps;
@@
if once(pv, "rep_pfnmap_pagev"):
	coccilib.report.print_report(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pfnmap_start() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on org@
p << rep_follow_pfn.p;
@@
if once(p, "rep_follow_pfn"):
	coccilib.org.print_todo(p[0], "WARNING: follow_pfn() returns the PFN after dropping the page-table lock; use follow_pte()/follow_pfnmap_start() and use the value under the lock, or pin_user_pages()")

@script:python depends on org@
pv << rep_pte_after.pv;
ps << rep_pte_after.ps;
pu << rep_pte_after.pu;
V << rep_pte_after.V;
pa << rep_pte_after.pa;
@@
if once(pa, "rep_pte_after"):
	coccilib.org.print_todo(pv[0], "WARNING: %s holds a value from follow_pte() (line %s) and is used after pte_unmap_unlock() (line %s) without an MMU notifier" % (V, ps[0].line, pu[0].line))

@script:python depends on org@
pv << rep_pte_direct.pv;
ps << rep_pte_direct.ps;
pu << rep_pte_direct.pu;
@@
if once(pv, "rep_pte_direct"):
	coccilib.org.print_todo(pv[0], "WARNING: value of follow_pte() (line %s) used after pte_unmap_unlock() (line %s)" % (ps[0].line, pu[0].line))

@script:python depends on org@
pv << rep_pte_escape.pv;
ps << rep_pte_escape.ps;
@@
if once(pv, "rep_pte_escape"):
	coccilib.org.print_todo(pv[0], "WARNING: value of follow_pte() (line %s) stored through a pointer: it outlives pte_unmap_unlock() without an MMU notifier" % ps[0].line)

@script:python depends on org@
pv << rep_pte_page.pv;
ps << rep_pte_page.ps;
@@
if once(pv, "rep_pte_page"):
	coccilib.org.print_todo(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pte() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on org@
pv << rep_pte_pagev.pv;
ps << rep_pte_pagev.ps;
@@
if once(pv, "rep_pte_pagev"):
	coccilib.org.print_todo(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pte() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on org@
pv << rep_pfnmap_after.pv;
ps << rep_pfnmap_after.ps;
pu << rep_pfnmap_after.pu;
V << rep_pfnmap_after.V;
pa << rep_pfnmap_after.pa;
@@
if once(pa, "rep_pfnmap_after"):
	coccilib.org.print_todo(pv[0], "WARNING: %s holds a value from follow_pfnmap_start() (line %s) and is used after follow_pfnmap_end() (line %s) without an MMU notifier" % (V, ps[0].line, pu[0].line))

@script:python depends on org@
pv << rep_pfnmap_direct.pv;
ps << rep_pfnmap_direct.ps;
pu << rep_pfnmap_direct.pu;
@@
if once(pv, "rep_pfnmap_direct"):
	coccilib.org.print_todo(pv[0], "WARNING: value of follow_pfnmap_start() (line %s) used after follow_pfnmap_end() (line %s)" % (ps[0].line, pu[0].line))

@script:python depends on org@
pv << rep_pfnmap_escape.pv;
ps << rep_pfnmap_escape.ps;
@@
if once(pv, "rep_pfnmap_escape"):
	coccilib.org.print_todo(pv[0], "WARNING: value of follow_pfnmap_start() (line %s) stored through a pointer: it outlives follow_pfnmap_end() without an MMU notifier" % ps[0].line)

@script:python depends on org@
pv << rep_pfnmap_page.pv;
ps << rep_pfnmap_page.ps;
@@
if once(pv, "rep_pfnmap_page"):
	coccilib.org.print_todo(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pfnmap_start() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)

@script:python depends on org@
pv << rep_pfnmap_pagev.pv;
ps << rep_pfnmap_pagev.ps;
@@
if once(pv, "rep_pfnmap_pagev"):
	coccilib.org.print_todo(pv[0], "WARNING: pfn_to_page()/get_page() on a PFN from follow_pfnmap_start() (line %s): VM_IO/VM_PFNMAP PFNs need not be refcounted pages" % ps[0].line)
