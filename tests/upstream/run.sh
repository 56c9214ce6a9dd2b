#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mapcheck's kmap() classes against what upstream did between Debian's 6.1
# and 6.12 (tests/upstream/compare.py), from the shared 6.1 whole-tree scan.
# The floor is the last measured recall: the test fails if it drops.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
read -r src61 _ <<<"$("$top/scripts/prepare-tree.sh" 6.1)"
read -r src612 _ <<<"$("$top/scripts/prepare-tree.sh" 6.12)"
exec python3 "$top/tests/upstream/compare.py" "$src61" "$src612" \
	"$("$top/tests/tree/scan.sh" 6.1)" --floor 94
