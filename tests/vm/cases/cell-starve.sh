# image: initramfs
# args: --timeout=120
# Issue 10, class 6: starving root. Next to each flooding cell in turn
# (hostile-lock-flood: the lock hypercall in a loop, not granted
# may-refuse; hostile-cpu-hop: CPU_ON and CPU_OFF as fast as they go;
# hostile-console-flood: two CPUs writing to the console as fast as they
# can), root's warden cell list, cell stats and cell destroy complete
# (within the machine's timeout: the times are printed, never compared),
# the destroy succeeds, and the event interrupt does not storm: the
# warden-events line of /proc/interrupts grows by fewer than STORM over
# EVENT_S seconds (a flood makes no cell event: the lock calls are
# refused, console output is one event until root reads the console,
# which nothing here does). After each destroy root can create the next
# cell (no lock left behind). hello (CPU 3) beats throughout.
D=/usr/share/warden/cells.d
STORM=100
EVENT_S=4
events() { grep warden-events /proc/interrupts | awk '{ s = 0; for (i = 2; i <= 5; i++) s += $i; print s }'; }

# flood NAME: run it, count events over 5 s, time root's commands, destroy.
flood() {
	local name=$1 e0 e1 t0 rc out hb0
	rc=0
	out=$(warden cell run $D/$name.yaml 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "$name: root could not create it: $out; $(warden cell list)"
	sleep 1
	hb0=$(heartbeat)
	e0=$(events)
	sleep $EVENT_S
	e1=$(events)
	echo "$name: warden-events +$((e1 - e0)) in $EVENT_S s"
	if [ $((e1 - e0)) -lt $STORM ]; then
		echo "ok: $name: no event storm"
	else
		soft_fail "$name: $((e1 - e0)) event interrupts in $EVENT_S s"
	fi
	for _ in 1 2; do
		t0=$(now_ms)
		warden cell list >/dev/null
		echo "$name: warden cell list took $(($(now_ms) - t0)) ms"
	done
	t0=$(now_ms)
	warden cell stats $name --json
	echo "$name: warden cell stats took $(($(now_ms) - t0)) ms"
	t0=$(now_ms)
	rc=0
	out=$(warden cell destroy $name 2>&1) || rc=$?
	echo "$name: warden cell destroy took $(($(now_ms) - t0)) ms"
	[ $rc -eq 0 ] || fail "$name: destroy failed: $out"
	echo "ok: $name destroyed"
	expect_beating "$hb0" "next to $name"
}

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
grep warden-events /proc/interrupts

flood hostile-lock-flood
flood hostile-cpu-hop
flood hostile-console-flood
grep warden-events /proc/interrupts

stop_hello
expect_all_back
expect_no_soft_fail
