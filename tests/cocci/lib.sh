# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tests/cocci/tree.sh and agreement.sh: a make coccicheck run
# on a Debian tree, kept under the mapcheck cache and reused while its
# inputs are the same -- the script, scripts/coccicheck.sh, the mode, the
# spatch version and the kernel source package (path, size, mtime), plus
# whatever the caller adds (the compiler for a compile check).  Like
# ccache: a rerun of the same inputs gives the same output, so a second
# make check does not spend 20 minutes to learn it again.  COCCI_RERUN=1
# (make check-all) ignores what is kept.

cocci_key() {	# cocci_key VER SCRIPT MODE [EXTRA...]
	local ver=$1 script=$2 mode=$3
	shift 3
	{
		cat "$script" "$top/scripts/coccicheck.sh"
		echo "mode $mode"
		"${SPATCH:-spatch}" --version 2>&1 | head -1
		stat -c '%n %s %Y' "/usr/src/linux-source-$ver.tar.xz" 2>/dev/null
		printf '%s\n' "$@"
	} | sha256sum | cut -c1-16
}

# cocci_cached KEYFILE KEY: the run recorded in KEYFILE was made from KEY
# and passed; its words after the key (wall seconds...) in COCCI_META.
cocci_cached() {
	local k=
	COCCI_META=
	[ "${COCCI_RERUN:-0}" = 1 ] && return 1
	[ -s "$1" ] && read -r k COCCI_META <"$1"
	[ "$k" = "$2" ]
}
