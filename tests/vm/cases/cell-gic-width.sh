# image: initramfs
# args: --kernel-arg=iomem=relaxed --timeout=180
# Issue 10, class 10: distributor accesses of odd widths and alignments by
# a cell (hostile-gic-width, SPI 40) in registers it shares with the SPIs
# root keeps (33-39: the UART, the RTC, PCIe, the GPIO): its own priority
# byte, a halfword over its own and the next priority, byte reads and
# writes of its group and configuration bytes, unaligned 4-byte loads and
# stores over root's priorities 38-39 and its own (MMU on, the GIC mapped
# as Normal memory), 8-byte accesses, a byte of 0xff to ICENABLER, a byte
# to ISENABLER, its SPI in group 0, and words of 0xffffffff to ICENABLER1
# and ICACTIVER1. One pattern a run (the mode word at 0xf0000). Each must
# be emulated correctly (the cell checks what it reads back and says
# "result: ok") or fail the cell with a GIC fault; the hypervisor never
# faults itself, and every bit of those registers that is not the cell's
# (read from root with devmem) stays as it was. Afterwards the RTC's
# interrupt (SPI 34) still arrives (an alarm), hello (CPU 3) still beats,
# and every CPU is back.
D=/usr/share/warden/cells.d
GICD=0x08000000
rd() { devmem $((GICD + $1)) "${2:-32}"; }
# Every bit that is not SPI 40's in the distributor registers it shares
# with root's SPIs 33-39: group, enable, priorities 32-43, configuration,
# and the routing of SPIs 33 and 34.
root_regs() {
	printf 'IGROUPR1=0x%08x ' $(($(rd 0x84) & ~0x100))
	printf 'ISENABLER1=0x%08x ' $(($(rd 0x104) & ~0x100))
	printf 'IPRIORITYR8=0x%08x ' $(($(rd 0x420)))
	printf 'IPRIORITYR9=0x%08x ' $(($(rd 0x424)))
	printf 'IPRIORITYR10=0x%08x ' $(($(rd 0x428) & ~0xff))
	printf 'ICFGR2=0x%08x ' $(($(rd 0xc08) & ~0x30000))
	printf 'IROUTER33=%s IROUTER34=%s\n' "$(rd 0x6108 64)" "$(rd 0x6110 64)"
}
rtc_irqs() { grep rtc-pl031 /proc/interrupts | awk '{ s = 0; for (i = 2; i <= 5; i++) s += $i; print s }'; }

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)
rtc0=$(rtc_irqs)

# mode NUMBER: one run; prints the outcome
mode() {
	local m=$1 before after st list con rc out
	before=$(root_regs)
	run_mode $D/hostile-gic-width.yaml hostile-gic-width "$m"
	wait_while 100 cell_is hostile-gic-width running
	st=$(field "$(warden cell stats hostile-gic-width --json)" state)
	after=$(root_regs)
	list=$(warden cell list --json)
	con=$(warden cell console hostile-gic-width)
	echo "$con"
	echo "state $st: $(echo "$list" | grep -o '"reason":"[^"]*"')"
	rc=0
	out=$(warden cell destroy hostile-gic-width 2>&1) || rc=$?
	[ $rc -eq 0 ] || fail "mode $m: destroy failed: $out; $(warden status)"
	if [ "$before" != "$after" ]; then
		soft_fail "mode $m: root's interrupt state changed: before $before, after $after"
	else
		echo "ok: mode $m: root's interrupt state unchanged ($after)"
	fi
	# A wrong value read back is wrong even if a later access failed the cell.
	if echo "$con" | grep -q WRONG; then
		soft_fail "mode $m: the cell saw wrong values"
		st=checked
	fi
	case $st in
	checked)
		;;
	'"shut down"')
		if echo "$con" | grep -q 'result: ok'; then
			echo "ok: mode $m: emulated correctly"
		else
			soft_fail "mode $m: the cell ran on but saw wrong values"
		fi
		;;
	'"failed"')
		if echo "$list" | grep -q '"kind":"gic"'; then
			echo "ok: mode $m: refused (GIC fault)"
		else
			soft_fail "mode $m: the cell failed, but not on a GIC fault"
		fi
		;;
	*)
		soft_fail "mode $m: the cell neither finished nor failed: state $st"
		;;
	esac
	expect_match "mode $m: the hypervisor runs on" '"state":"enabled"' "$(warden status --json)"
}

echo "root's interrupts before: $(root_regs)"
for m in 1 2 3 4 7 8 9 10 11 5 6; do
	mode $m
done

echo +1 >/sys/class/rtc/rtc0/wakealarm
rtc_still() { [ "$(rtc_irqs)" = "$rtc0" ]; }
wait_while 50 rtc_still
rtc1=$(rtc_irqs)
if [ "$rtc1" -gt "$rtc0" ]; then
	echo "ok: the RTC's interrupt still arrives ($rtc0 -> $rtc1)"
else
	soft_fail "the RTC's interrupt (SPI 34) no longer arrives ($rtc0 -> $rtc1)"
fi
grep -E 'uart-pl011|rtc-pl031' /proc/interrupts
expect_beating "$hb0"
stop_hello
expect_all_back
expect_no_soft_fail
