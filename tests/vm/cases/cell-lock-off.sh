# image: initramfs
# args: --tcg=multi --timeout=180
# Issue 10, class 3: a cell takes the reconfiguration lock on one CPU, in a
# loop, while its other CPU calls PSCI SYSTEM_OFF (mode 1) or CPU_OFF
# (mode 2, after which the locking CPU turns itself off too, so that no
# CPU runs the cell), or while root destroys it (mode 3, locking and
# unlocking in turn): hostile-lock-off. Whatever the interleaving, the lock
# dies with the cell: once no CPU runs it, the cell is not locked, root
# destroys it, creates and destroys another cell (hostile-spin), and at the
# end disables the hypervisor. Without may-refuse in its description every
# lock call is refused; with it (the compiled description with
# WARDEN_CELL_MAY_REFUSE set, as may-refuse: true compiles) the cell may
# lock, and the lock must die all the same. hello (CPU 3) beats throughout.
#
# Mode 2 holds the rule "a cell that no CPU runs holds no lock": nothing is
# left in it that could ever unlock, and a granted cell that holds the lock
# can be neither shut down nor destroyed, so root would be locked out of
# reconfiguration for good (the class 3 symptom).
D=/usr/share/warden/cells.d
ROUNDS=2
FAILED=0
# A check after which the case goes on (the rest still says something); it
# fails at the end.
soft_match() { # WHAT PATTERN TEXT
	if printf '%s\n' "$3" | grep -qE -- "$2"; then
		echo "ok: $1 matches '$2'"
	else
		echo "FAIL: $1: '$2' not found in: $3" >&2
		FAILED=$((FAILED + 1))
	fi
}
field() { echo "$1" | grep -o "\"$2\":[^,}]*" | head -1 | cut -d: -f2-; }
heartbeat() { field "$(warden cell stats hello --json)" heartbeat; }
u32_at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
put_u32() { # FILE OFFSET VALUE, little endian
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8 & 255)) \
		$(($3 >> 16 & 255)) $(($3 >> 24 & 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# The cell blob of DESC with WARDEN_CELL_MAY_REFUSE (1 << 2) set in struct
# warden_cell.flags (include/warden/config.h: the 64-byte header, then
# cpu_set and entry: offset 80).
granted_blob() { # DESC OUT
	cellctl compile "$1" -o "$2"
	put_u32 "$2" 80 $(($(u32_at "$2" 80) | 4))
}

# run_cell SOURCE MODE: create from SOURCE, load, start; wait until the
# cell has acted and no CPU runs it. Prints its console and its state.
run_cell() {
	local i=0 st con
	warden cell create "$1" >/dev/null
	warden cell load hostile-lock-off
	printf "\\$(printf %03o "$2")\\0\\0\\0\\0\\0\\0\\0" >/tmp/mode
	warden cell load hostile-lock-off /tmp/mode@0xf0000
	warden cell start hostile-lock-off
	while [ $i -lt 150 ]; do
		con=$(warden cell console hostile-lock-off)
		st=$(warden cell stats hostile-lock-off --json)
		if echo "$con" | grep -q 'OFF after' && echo "$st" | grep -q '"cpus_running":\[\]'; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "$con"
	echo "$st"
}

# check WHAT SOURCE MODE LOCK: LOCK is "refused" or "locked", what the first
# lock call must have given.
check() {
	local what=$1 out rc st
	out=$(run_cell "$2" "$3")
	echo "$out"
	st=$(echo "$out" | tail -n 1)
	expect_match "$what: the cell acted" 'OFF after' "$out"
	expect_match "$what: no CPU runs it" '"cpus_running":\[\]' "$st"
	if [ "$4" = refused ]; then
		soft_match "$what: the lock call was refused" 'first lock call returned -[0-9]+' "$out"
	else
		soft_match "$what: the lock call succeeded" 'first lock call returned 0 ' "$out"
	fi
	expect_match "$what: the lock died with the cell" '"locked":false' "$st"
	rc=0
	out=$(warden cell destroy hostile-lock-off 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$what: destroy refused: $out; $(warden cell list)"
	echo "ok: $what: destroyed"
	rc=0
	out=$(warden cell run $D/hostile-spin.yaml 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$what: root could not create a cell afterwards: $out"
	warden cell destroy hostile-spin || fail "$what: root could not destroy hostile-spin"
	echo "ok: $what: root created and destroyed another cell"
	expect_eq "$what: CPUs 1 and 2 back in Linux (hello has 3)" "0-2" "$(cat /sys/devices/system/cpu/online)"
}

# destroyed WHAT SOURCE LOCK: mode 3, root destroys the cell while one of
# its CPUs locks and unlocks in turn. Not granted, the first destroy must
# succeed; granted, a destroy is refused while the cell holds the lock, so
# root tries again. Afterwards no lock is left: root creates another cell.
destroyed() {
	local what=$1 i=0 rc out con
	warden cell create "$2" >/dev/null
	warden cell load hostile-lock-off
	printf '\003\0\0\0\0\0\0\0' >/tmp/mode
	warden cell load hostile-lock-off /tmp/mode@0xf0000
	warden cell start hostile-lock-off
	while ! warden cell console hostile-lock-off | grep -q 'first lock call' && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	con=$(warden cell console hostile-lock-off)
	echo "$con"
	if [ "$3" = refused ]; then
		soft_match "$what: the lock call was refused" 'first lock call returned -[0-9]+' "$con"
	else
		soft_match "$what: the lock call succeeded" 'first lock call returned 0 ' "$con"
	fi
	i=0
	while :; do
		rc=0
		out=$(warden cell destroy hostile-lock-off 2>&1) || rc=$?
		[ $rc -ne 0 ] || break
		i=$((i + 1))
		if [ "$3" = refused ] || [ $i -ge 50 ]; then
			fail "$what: destroy refused ($i tries): $out"
		fi
		sleep 0.1
	done
	echo "ok: $what: destroyed after $i refusal(s)"
	rc=0
	out=$(warden cell run $D/hostile-spin.yaml 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$what: root could not create a cell afterwards: $out"
	warden cell destroy hostile-spin || fail "$what: root could not destroy hostile-spin"
	echo "ok: $what: root created and destroyed another cell"
}

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)
granted_blob $D/hostile-lock-off.yaml /tmp/lock-off-granted.bin

for i in $(seq $ROUNDS); do
	check "not granted, SYSTEM_OFF, round $i" $D/hostile-lock-off.yaml 1 refused
done
check "not granted, CPU_OFF" $D/hostile-lock-off.yaml 2 refused
for i in $(seq $ROUNDS); do
	destroyed "not granted, destroyed while locking, round $i" $D/hostile-lock-off.yaml refused
done
for i in $(seq $ROUNDS); do
	check "may-refuse, SYSTEM_OFF, round $i" /tmp/lock-off-granted.bin 1 locked
done
for i in $(seq $ROUNDS); do
	destroyed "may-refuse, destroyed while locking, round $i" /tmp/lock-off-granted.bin locked
done
check "may-refuse, CPU_OFF" /tmp/lock-off-granted.bin 2 locked

hb1=$(heartbeat)
[ "$hb1" -gt "$hb0" ] || fail "hello stopped beating ($hb0 -> $hb1)"
echo "ok: hello beat throughout ($hb0 -> $hb1)"
warden cell shutdown hello
warden cell destroy hello
expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable || fail "disable failed"
echo "ok: disabled"
dmesg_clean
[ $FAILED -eq 0 ] || fail "$FAILED check(s) failed (above)"
