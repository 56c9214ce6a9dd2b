// SPDX-License-Identifier: GPL-2.0
/*
 * check_kmap_atomic.c: the class of every kmap_atomic() site, from what its
 * section relies on (section.h): kmap_atomic() also disables page faults
 * and, outside PREEMPT_RT, preemption; kmap_local_page() does neither, so
 * a section that depends on either needs the explicit disable when it is
 * converted (Documentation/mm/highmem.rst).  And kmap-atomic-sleep: a call
 * that may sleep inside a section, a bug that the conversion fixes.  (A
 * section that nests in a loop is kmap-local-depth's, in
 * check_kmap_local_depth.c; here it only keeps the site from the rewrite.)
 */
#include <stdlib.h>
#include <string.h>

#include "rewrite_atomic.h"
#include "section.h"
#include "walk.h"

static bool is_atomic_map(const struct api_call *ac)
{
	return ac->api->role == API_MAP && ac->api->scope == SCOPE_ATOMIC;
}

static void evidence_of(struct site *s, const struct section_use *su, const char *what)
{
	vec_push(&s->evidence, evidence_new(s->file, su->at->line, what));
}

static void classify_site(struct site *s, const struct atomic_section *sec)
{
	const struct section_use *nofault = &sec->effect[EFFECT_NOFAULT];
	const struct section_use *nopreempt = &sec->effect[EFFECT_NOPREEMPT];

	if (!sec->unmapped) {
		site_set(s, CLASS_UNKNOWN, "no kunmap_atomic() of it in the function: its "
			 "section goes on where mapcheck does not follow it");
		return;
	}
	if (sec->unknown.at) {
		site_set(s, CLASS_UNKNOWN, "the section calls %s, which mapcheck cannot judge "
			 "(no body in the translation unit, not in rules/atomic-effects.tbl)",
			 sec->unknown.what);
		evidence_of(s, &sec->unknown, "not judged");
		return;
	}
	if (nopreempt->at) {
		site_set(s, CLASS_LOCAL_NOPREEMPT, "the section relies on preemption being "
			 "disabled: %s%s%s; kmap_local_page() with preempt_disable()%s around it "
			 "(under PREEMPT_RT kmap_atomic() does not disable preemption: the code "
			 "is exposed there today)", nopreempt->what,
			 nofault->at ? ", and on page faults being disabled: " : "",
			 nofault->at ? nofault->what : "",
			 nofault->at ? " and pagefault_disable()" : "");
		evidence_of(s, nopreempt, "relies on preemption being disabled");
		if (nofault->at)
			evidence_of(s, nofault, "relies on page faults being disabled");
		return;
	}
	if (nofault->at) {
		site_set(s, CLASS_LOCAL_NOFAULT, "the section relies on page faults being "
			 "disabled: %s; kmap_local_page() with pagefault_disable() around it",
			 nofault->what);
		evidence_of(s, nofault, "relies on page faults being disabled");
		return;
	}
	if (sec->effect[EFFECT_SLEEP].at) {
		site_set(s, CLASS_LOCAL, "nothing between kmap_atomic() and kunmap_atomic() "
			 "relies on page faults or preemption being disabled, and %s may sleep "
			 "there (a bug today): kmap_local_page() as it is fixes it",
			 sec->effect[EFFECT_SLEEP].what);
		evidence_of(s, &sec->effect[EFFECT_SLEEP], "may sleep");
		return;
	}
	site_set(s, CLASS_LOCAL, "nothing between kmap_atomic() and kunmap_atomic() relies "
		 "on page faults or preemption being disabled: kmap_local_page() as it is");
}

static void check_function(struct ctx *ctx, struct func *fn)
{
	struct vec maps = { 0 }, sites = { 0 };
	struct atomic_section *sec;

	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn == fn && is_atomic_map(ac)) {
			vec_push(&maps, ac->call);
			vec_push(&sites, ac->site);
		}
	}
	if (!maps.n)
		return;
	sec = atomic_sections(ctx, fn, &maps);
	for (size_t k = 0; k < maps.n; k++) {
		struct site *s = sites.v[k];

		classify_site(s, &sec[k]);
		for (size_t j = 0; j < sec[k].sleeps.n; j++) {
			const struct section_use *su = sec[k].sleeps.v[j];

			report_finding(ctx, "kmap-atomic-sleep", fn, su->at,
				       "%s may sleep, inside the kmap_atomic() section of line %u, "
				       "where page faults and preemption are disabled; "
				       "kmap_local_page() allows it", su->what, s->line);
		}
	}
	rewrite_atomic(ctx, &maps, &sites, sec);
	atomic_sections_free(sec, maps.n);
	vec_free(&maps, NULL);
	vec_free(&sites, NULL);
}

void check_kmap_atomic(struct registry *r)
{
	add_func_hook(r, check_function);
}
