#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages mapcheck builds, scans and tests with,
# if any is missing.  Needs root (or sudo) the first time only.
set -euo pipefail

pkgs=(
	make gcc clang libclang-dev llvm-dev        # the checker
	libclang-rt-14-dev                           # its ASan/UBSan build (tests/sanitize)
	libssl-dev                                   # the checker's SHA-256 (libcrypto)
	libjansson-dev                               # the checker's JSON: compile_commands.json, the reports
	libclang-rt-14-dev                           # libFuzzer and the sanitizers (tests/fuzz)
	coccinelle sparse                            # semantic patches, kernel checks
	linux-source-6.1 linux-source-6.12           # the trees it is measured on
	flex bison bc libelf-dev cpio rsync kmod ccache xz-utils
	lld llvm                                     # LLVM=1 kernel builds of arm, arm64, powerpc, mips, riscv
	clang-19 lld-19 llvm-19                      # LLVM=-19: s390 (LLVM=1 needs LLVM 18.1 there)
	qemu-system-x86 busybox-static               # the PKS kernel boot test
	python3 perl valgrind time git patch jq       # perl: checkpatch.pl, get_maintainer.pl
	python3-jsonschema                           # the SARIF schema check (tests/sarif)
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
