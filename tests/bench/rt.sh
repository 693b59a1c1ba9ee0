# shellcheck shell=sh
# Run inside the emulated machine by tests/bench/run (booted with --rt-cell
# under QEMU -icount): rt-demo (cells.d/rt-demo.yaml) in a cell on CPU 2,
# alone, with its interrupts trapped and then delivered directly, each
# running cyclictest for RT_LOOPS wake-ups ("set -- LOOPS;" before the
# script). Prints "@rt-MODE<TAB>SUMMARY" with cyclictest's summary line (or
# "failed"), and "@rt-MODE-exits<TAB>N". Never asserts.
#
# Root stays quiet while cyclictest runs: under -icount every vCPU's
# instructions advance the clock and QEMU runs the vCPUs in turn, so root
# polling the cell would show up in the cell's latencies. Root sleeps for
# RT_WAIT seconds of virtual time (the kernel's boot, some 15 s, plus the
# loops, plus a margin), and only then polls, once a second.
D=/usr/share/warden/cells.d
RT_LOOPS=${1:-10000}
RT_WAIT=$((20 + RT_LOOPS * 3 / 2000))

modprobe warden || exit 1
warden enable $D/system.yaml >/dev/null || exit 1
mkdir -p /tmp/rt
for mode in trapped direct; do
	sed -e "s/ -l [0-9]* / -l $RT_LOOPS /" -e "s/^interrupts: .*/interrupts: $mode/" \
		$D/rt-demo.yaml >/tmp/rt/rt-demo.yaml
	if ! warden cell run /tmp/rt/rt-demo.yaml >/dev/null; then
		printf '@rt-%s\tfailed\n' $mode
		continue
	fi
	sleep $RT_WAIT
	i=0
	while warden cell stats rt-demo --json | grep -q '"state": *"running"' && [ $i -lt 600 ]; do
		sleep 1; i=$((i + 1))
	done
	line=$(warden cell console rt-demo | tr -d '\r' | grep -E '^T: 0 .* Max: *[0-9]+$' | tail -1)
	printf '@rt-%s\t%s\n' $mode "${line:-failed}"
	printf '@rt-%s-exits\t%s\n' $mode \
		"$(warden cell stats rt-demo --json | grep -o '"exits": *[0-9]*' | grep -o '[0-9]*$')"
	warden cell destroy rt-demo >/dev/null 2>&1
done
