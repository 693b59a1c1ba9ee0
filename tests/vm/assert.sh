# SPDX-License-Identifier: GPL-2.0-only
# Assertions for VM test cases (tests/vm/cases/*.sh). tests/run prepends this
# file (and tests/vm/helpers.sh after it) to each case; the result runs as root in the guest under `sh -e`
# semantics by way of `set -e` below. Each check prints what it expected and
# what it saw, so that a failing case explains itself.
set -e

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1 = '$3'"
}

# expect_match WHAT PATTERN TEXT   (grep -E pattern)
expect_match() {
	printf '%s\n' "$3" | grep -qE -- "$2" || fail "$1: '$2' not found in: $3"
	echo "ok: $1 matches '$2'"
}

# expect_fail WHAT COMMAND...   the command must exit non-zero
expect_fail() {
	local what=$1
	shift
	if "$@"; then
		fail "$what: '$*' succeeded, expected a failure"
	fi
	echo "ok: $what fails as expected"
}

# dmesg_clean: no oops, warning or BUG in the kernel log
dmesg_clean() {
	if dmesg | grep -E 'Oops|BUG:|WARNING:|Call trace|Unable to handle'; then
		fail "kernel log shows a fault"
	fi
	echo "ok: kernel log clean"
}
