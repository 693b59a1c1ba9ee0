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
# The lock checks are soft (soft_match): the rest still says something;
# the case fails at the end.

# acted_and_off: hostile-lock-off has acted and no CPU runs it
acted_and_off() { console_has hostile-lock-off 'OFF after' && no_cpu_runs hostile-lock-off; }

# run_cell SOURCE MODE: create from SOURCE, load, start; wait until the
# cell has acted and no CPU runs it. Prints its console and its state.
run_cell() {
	run_mode "$1" hostile-lock-off "$2"
	wait_until 150 acted_and_off
	warden cell console hostile-lock-off
	warden cell stats hostile-lock-off --json
}

# first_lock WHAT LOCK TEXT: TEXT (the console) says the first lock call was
# refused (LOCK "refused") or succeeded (LOCK "locked"); a soft check
first_lock() {
	if [ "$2" = refused ]; then
		soft_match "$1: the lock call was refused" 'first lock call returned -[0-9]+' "$3"
	else
		soft_match "$1: the lock call succeeded" 'first lock call returned 0 ' "$3"
	fi
}

# another_cell WHAT: root creates and destroys another cell (no lock left behind)
another_cell() {
	local rc=0 out
	out=$(warden cell run $D/hostile-spin.yaml 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$1: root could not create a cell afterwards: $out"
	warden cell destroy hostile-spin || fail "$1: root could not destroy hostile-spin"
	echo "ok: $1: root created and destroyed another cell"
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
	first_lock "$what" "$4" "$out"
	expect_match "$what: the lock died with the cell" '"locked":false' "$st"
	rc=0
	out=$(warden cell destroy hostile-lock-off 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$what: destroy refused: $out; $(warden cell list)"
	echo "ok: $what: destroyed"
	another_cell "$what"
	expect_eq "$what: CPUs 1 and 2 back in Linux (hello has 3)" "0-2" "$(cat /sys/devices/system/cpu/online)"
}

# destroyed WHAT SOURCE LOCK: mode 3, root destroys the cell while one of
# its CPUs locks and unlocks in turn. Not granted, the first destroy must
# succeed; granted, a destroy is refused while the cell holds the lock, so
# root tries again. Afterwards no lock is left: root creates another cell.
destroyed() {
	local what=$1 i=0 rc out con
	run_mode "$2" hostile-lock-off 3
	wait_until 50 console_has hostile-lock-off 'first lock call'
	con=$(warden cell console hostile-lock-off)
	echo "$con"
	first_lock "$what" "$3" "$con"
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
	another_cell "$what"
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

expect_beating "$hb0"
stop_hello
expect_all_back
expect_no_soft_fail
