#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The 6.1 conversion series beside what upstream wrote in 6.12, function by
# function (tests/upstream/side_by_side.py), from the shared 6.1 scan; the
# table goes to $TMPDIR/side-by-side.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
read -r src61 _ <<<"$("$top/scripts/prepare-tree.sh" 6.1)"
read -r src612 _ <<<"$("$top/scripts/prepare-tree.sh" 6.12)"
json=$("$top/tests/tree/scan.sh" 6.1)
exec python3 "$top/tests/upstream/side_by_side.py" "$src61" "$src612" \
	"$json" "${json%.json}.patches" "${TMPDIR:-/tmp}/side-by-side.md"
