/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz.h: what the libFuzzer targets of tests/fuzz/ share (fuzz-common.c).
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput() for one reader of a
 * file mapcheck owns and is linked with every checker object but main.o
 * (checker/Makefile, target fuzz).  A reader that takes a path gets the
 * input written to a file in this process's private directory.
 */
#ifndef MAPCHECK_FUZZ_H
#define MAPCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mapcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * This process's private directory, under $TMPDIR (else /tmp), made on
 * the first call and removed with everything in it at exit.  A crash
 * leaves it behind: tests/fuzz/run.sh points TMPDIR at its own scratch
 * directory, so that nothing outlives the run.
 */
const char *fuzz_dir(void);
/* The path of @name in fuzz_dir() (to free). */
char *fuzz_path(const char *name);
/* Write @len bytes to @path, making its missing parent directories; aborts on error. */
void fuzz_write(const char *path, const void *data, size_t len);
/* @len bytes as a NUL-terminated string (to free): the readers take C strings. */
char *fuzz_str(const uint8_t *data, size_t len);
/* The checkout's rules/ directory (checker/../rules, from the binary's location). */
const char *fuzz_rules_dir(void);
/* The rules of fuzz_rules_dir(), loaded once: the options table flags.c reads with. */
const struct rules *fuzz_rules(void);

#endif
