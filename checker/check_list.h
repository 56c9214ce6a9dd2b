/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check_list.h: every check, in the order they run.  check_kmap must run
 * before the checks that read the classes it sets.
 */
CK(check_kmap)
CK(check_kmap_atomic)	/* the kmap_atomic() sites check_kmap leaves as they are */
CK(check_kmap_local_depth)
CK(check_rewrite)	/* reads the classes; before any check that frees them */
CK(check_kunmap_arg)
CK(check_follow_pfn)
CK(check_pfnmap_cow)
