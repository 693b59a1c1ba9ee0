# image: initramfs
# machines: a53 gicv2
# args: --rt-cell --timeout=400
# rt-demo (cells.d/rt-demo.yaml, guests/rt-demo/, docs/rt-demo.md): Debian's
# PREEMPT_RT kernel boots in a cell on CPU 2 from the installed description,
# next to hello on CPU 3, with its interrupts delivered directly (as
# shipped) and then trapped. Its /init says which kernel runs (uname -v
# names PREEMPT_RT) on the cell's virtual PL011, runs cyclictest for 1000
# wake-ups of 1 ms, and powers the cell off: the summary is in the cell's
# console, the cell "shut down" by PSCI SYSTEM_OFF, hello beat throughout.
# A panic (panic=-1) would reset the cell instead; anything the hypervisor
# refuses fails it with a recorded fault.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml >/dev/null
hb0=$(heartbeat)

mkdir -p /tmp/cells
# Direct delivery is GICv3's only: the GICv2 machine runs it trapped.
modes="direct trapped"
grep -q '^    version: 2' $D/system.yaml && modes=trapped
for mode in $modes; do
	sed -e 's/-l 10000/-l 1000/' -e "s/^interrupts: .*/interrupts: $mode/" \
		$D/rt-demo.yaml >/tmp/cells/rt-demo.yaml
	cellctl validate /tmp/cells/rt-demo.yaml $D/system.yaml
	t0=$(now)
	warden cell run /tmp/cells/rt-demo.yaml
	wait_while 3000 cell_is rt-demo running
	echo "rt-demo ($mode) ran for $(($(now) - t0)) s"
	out=$(warden cell console rt-demo | tr -d '\r')
	echo "$out"
	stats=$(warden cell stats rt-demo --json)
	echo "$stats"
	warden console | tail -n 20
	expect_match "$mode: the PREEMPT_RT kernel runs" '^rt-demo: [^ ]*-rt-arm64 #1 SMP PREEMPT_RT .*, 1 CPU\(s\)$' "$out"
	expect_match "$mode: cyclictest's summary on the console" \
		'^T: 0 \( *[0-9]+\) P:90 I:1000 C: *1000 Min: *[0-9]+ Act: *[0-9]+ Avg: *[0-9]+ Max: *[0-9]+$' "$out"
	expect_match "$mode: cyclictest succeeded" '^rt-demo: cyclictest exited with status 0$' "$out"
	expect_match "$mode: the cell powered itself off" '"state": *"shut down"' "$stats"
	expect_match "$mode: by SYSTEM_OFF" '"stop_reason": *"system-off"' "$stats"
	warden cell destroy rt-demo
done

expect_match "hello unharmed" '"name":"hello"[^]]*"state":"running"' "$(warden cell list --json)"
expect_beating "$hb0"
stop_hello
expect_all_back
rmmod warden
