# SPDX-License-Identifier: GPL-2.0
#
# tests/fixture-tags.sh: reading the tags a fixture carries in its trailing
# comment (" * check-tree: 6.1"), for every script that selects fixtures.
# Source it:
#   fixture_tag NAME FILE     the value of FILE's first " * NAME: value"
#   fixtures_of VERSION       the tests/fixtures/*.c of that tree (check-tree,
#                             6.12 when a fixture names none), one a line
fixture_tag() {
	sed -n "s/^ \* $1: *//p" "$2" | head -1
}

fixtures_of() {
	local f ver
	for f in "$(dirname "${BASH_SOURCE[0]}")"/fixtures/*.c; do
		ver=$(fixture_tag check-tree "$f")
		[ "${ver:-6.12}" = "$1" ] && echo "$f"
	done
}
