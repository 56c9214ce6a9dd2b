#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The checker builds from clean with gcc (the binary every other suite
# runs), and every source is clean under clang -Wall -Wextra -Werror too
# (syntax only: one compiler's binary is enough, both compilers' warnings
# are wanted).  The test programs built on the checker's objects
# (tests/unit, tests/maintainers, tests/fuzz) are held to the same: they
# call its functions, and a changed signature must fail here, not in a
# later suite.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
cd "$top" || exit 2
make -s -C checker clean && make -s -C checker >/dev/null
result "gcc: checker/mapcheck builds from clean with -Werror" $?
make -s -C checker astdump-test maintainers-test >/dev/null
result "gcc: the unit test programs build with -Werror" $?
llvm_inc=$("$(command -v llvm-config-14 || command -v llvm-config)" --includedir)
bad=
for f in checker/*.c tests/unit/*.c tests/maintainers/*.c tests/fuzz/*.c; do
	clang -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -fsyntax-only \
		-Ichecker -I"$llvm_inc" -DMAPCHECK_RULES_DIR='""' -DMAPCHECK_LIBCLANG_PATH='""' "$f" ||
		bad="$bad $f"
done
[ -z "$bad" ]
result "clang: every checker/*.c and test program is clean with -Wall -Wextra -Werror${bad:+ (not:$bad)}" $?
finish
