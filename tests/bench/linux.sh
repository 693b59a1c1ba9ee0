# shellcheck shell=sh
# Run inside the emulated machine (tests/vm/run --linux-cell) by
# tests/bench/run: figures of a Linux cell with a power button, one
# "name<TAB>value" line each. The stock Debian kernel on CPU 1 with its
# console on the virtual UART and busybox acpid (tests/vm/guest/
# linux-cell-init, power=acpid), three runs: the seconds from `warden cell
# run` to its /init saying the power key is armed, and the milliseconds
# `warden cell shutdown` takes from the press to the cell's SYSTEM_OFF.
# Never asserts: a run that fails prints "failed".
D=/usr/share/warden/cells.d
linux_cell_yaml acpid    # tests/vm/helpers.sh, which tests/bench/run puts first
# shellcheck disable=SC3028 # busybox ash's $EPOCHREALTIME
now_ms() { echo $(($(echo "$EPOCHREALTIME" | tr -d .) / 1000)); }
modprobe warden && warden enable $D/system.yaml >/dev/null || exit 0
ready= press=
for run in 1 2 3; do
	t0=$(now_ms)
	warden cell run /tmp/cells/linux.yaml >/dev/null || break
	i=0
	until warden cell console linux 2>/dev/null | grep -q 'power-button: ready' || [ $i -ge 1200 ]; do
		sleep 0.1; i=$((i + 1))
	done
	t1=$(now_ms)
	warden cell shutdown linux || break
	t2=$(now_ms)
	warden cell stats linux --json | grep -q '"stop_reason": *"system-off"' || break
	warden cell destroy linux
	ready="$ready $((t1 - t0))" press="$press $((t2 - t1))"
done
# best "MS MS MS": the smallest, as "N ms", or "failed" when no run got there
best() {
	b=$(echo "$1" | tr ' ' '\n' | grep . | sort -n | head -1)
	if [ -n "$b" ]; then echo "$b ms"; else echo failed; fi
}
printf 'Linux cell: cell run to power key armed (best of 3)\t%s\n' "$(best "$ready")"
printf 'Linux cell: power button to SYSTEM_OFF (best of 3)\t%s\n' "$(best "$press")"
