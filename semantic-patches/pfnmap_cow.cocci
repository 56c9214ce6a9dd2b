// SPDX-License-Identifier: GPL-2.0-only
/// Report vmf_insert_pfn*() in vm_operations of a file whose mmap sets
/// VM_PFNMAP without rejecting copy-on-write mappings.
///
/// A private writable mapping (is_cow_mapping()) with VM_PFNMAP makes
/// vmf_insert_pfn_prot() hit its BUG_ON (the drm shmem helper bug), and a
/// COW VM_PFNMAP vma confuses follow_pte()/follow_phys() users
/// (CVE-2024-35877).  The mmap should start with
///   if (is_cow_mapping(vma->vm_flags)) return -EINVAL;
/// or require VM_SHARED, or use VM_MIXEDMAP.
//
// Confidence: Moderate
// Copyright: (C) 2026 The mapcheck authors. GPL-2.0-only.
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Comments: Coccinelle sees one file: the fault handler is linked to the
//  mmap only by living in the same file (vm_ops are often installed
//  through another structure, e.g. drm_gem_object_funcs.vm_ops).  Any test
//  of is_cow_mapping(), VM_SHARED or VM_MAYSHARE in an if condition of the
//  mmap function counts as a rejection.  VM_PFNMAP set by a helper called
//  from the mmap (remap_pfn_range() and friends) is not seen.
// Options: --no-includes --include-headers
// Keywords: vmf_insert_pfn, vmf_insert_pfn_prot, VM_PFNMAP, is_cow_mapping

virtual context
virtual org
virtual report

@initialize:python@
@@
pfnmap_fns = {}
cow_checked = set()

def unchecked(p):
	f = p[0].file
	return sorted(m for m in pfnmap_fns.get(f, {}) if (f, m) not in cow_checked)

@gate@
position p;
@@

VM_PFNMAP@p

@setpfn@
identifier M;
expression V, E;
position gate.p;
@@

M(...) {
<+...
(
V->vm_flags |= <+... VM_PFNMAP@p ...+>
|
V->vm_flags = <+... VM_PFNMAP@p ...+>
|
vm_flags_set(V, <+... VM_PFNMAP@p ...+>)
|
vm_flags_mod(V, <+... VM_PFNMAP@p ...+>, E)
|
vm_flags_reset(V, <+... VM_PFNMAP@p ...+>)
)
...+>
}

@script:python@
M << setpfn.M;
p << gate.p;
@@
pfnmap_fns.setdefault(p[0].file, {})[M] = p[0].line

@cow depends on setpfn@
identifier M;
position p;
statement S1, S2;
@@

M@p(...) {
<+...
(
if (<+... \(is_cow_mapping(...)\|VM_SHARED\|VM_MAYSHARE\) ...+>) S1 else S2
|
if (<+... \(is_cow_mapping(...)\|VM_SHARED\|VM_MAYSHARE\) ...+>) S1
)
...+>
}

@script:python@
M << cow.M;
p << cow.p;
@@
cow_checked.add((p[0].file, M))

@ops depends on setpfn@
identifier OPS, fld, F;
@@

(
const struct vm_operations_struct OPS = { ..., .fld = F, ... };
|
struct vm_operations_struct OPS = { ..., .fld = F, ... };
)

//----------------------------------------------------------
//  context
//----------------------------------------------------------

@ctx depends on context && !org && !report@
identifier ops.F;
position p : script:python() { len(unchecked(p)) > 0 };
@@

F(...) {
<+...
* \(vmf_insert_pfn@p\|vmf_insert_pfn_prot@p\|vmf_insert_pfn_pmd@p\|vmf_insert_pfn_pud@p\)(...)
...+>
}

//----------------------------------------------------------
//  org and report
//----------------------------------------------------------

@rep depends on !context && (org || report)@
identifier ops.F;
position p : script:python() { len(unchecked(p)) > 0 };
@@

F(...) {
<+...
\(vmf_insert_pfn@p\|vmf_insert_pfn_prot@p\|vmf_insert_pfn_pmd@p\|vmf_insert_pfn_pud@p\)(...)
...+>
}

@script:python depends on report@
p << rep.p;
F << ops.F;
OPS << ops.OPS;
@@
ms = unchecked(p)
where = ", ".join("%s() (line %s)" % (m, pfnmap_fns[p[0].file][m]) for m in ms)
coccilib.report.print_report(p[0], "WARNING: PFN inserted by %s() of %s, and %s sets VM_PFNMAP without rejecting COW mappings (is_cow_mapping())" % (F, OPS, where))

@script:python depends on org@
p << rep.p;
F << ops.F;
OPS << ops.OPS;
@@
ms = unchecked(p)
where = ", ".join("%s() (line %s)" % (m, pfnmap_fns[p[0].file][m]) for m in ms)
coccilib.org.print_todo(p[0], "WARNING: PFN inserted by %s() of %s, and %s sets VM_PFNMAP without rejecting COW mappings (is_cow_mapping())" % (F, OPS, where))
