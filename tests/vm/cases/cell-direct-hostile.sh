# image: initramfs
# Direct interrupt delivery under attack (hostile-direct, one mode a run on
# CPU 2, hello beating on CPU 3). Whatever the cell does to its CPU
# interface with every exception masked, destroy gets the CPU back: the
# kick preempts a held interrupt, a zeroed priority mask and a binary point
# game; an active priority written by hand blocks the kick, and the
# hypervisor revokes the cell's stage 2 instead. The SGI registers it may
# not use fail it; its own SPI stays Group 1; an EOI of root's interrupt
# changes nothing for root. Each time the CPU comes back to root and takes
# interrupts there, and hello and root keep running.
D=/usr/share/warden/cells.d
cpu2_irqs() { awk '/arch_timer/ { print $4 }' /proc/interrupts; }

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)

# mode NUMBER: one run, left running or failed
mode() {
	local i=0
	run_mode $D/hostile-direct.yaml hostile-direct "$1"
	while ! console_has hostile-direct 'spinning\|still alive\|needs' &&
		! cell_is hostile-direct failed && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	warden cell console hostile-direct
}

# back: destroy; CPU 2 is Linux's again and takes its timer interrupts
back() {
	local t0
	warden cell destroy hostile-direct
	wait_until 50 sh -c '[ "$(cat /sys/devices/system/cpu/online)" = 0-2 ]'
	expect_eq "$1: CPU 2 back (3 is hello's)" "0-2" "$(cat /sys/devices/system/cpu/online)"
	t0=$(cpu2_irqs)
	sleep 0.3
	[ "$(cpu2_irqs)" -gt "$t0" ] || fail "$1: CPU 2 takes no interrupts in root"
	echo "ok: $1: CPU 2 takes interrupts in root again"
}

for m in 0 1 2; do	# hold, pmr, bpr: the kick still preempts
	mode $m
	cell_is hostile-direct running || fail "mode $m: the cell is not running"
	back "mode $m"
done
expect_eq "no revocation needed so far" 0 "$(warden console | grep -c 'stage 2 revoked')"

mode 3			# ap1r: the kick is blocked
console_has hostile-direct 'ICC_AP1R0_EL1 0x1' || fail "ap1r: the write did not take"
back "ap1r"
expect_match "ap1r: the hypervisor revoked the stage 2" 'does not stop for the kick: stage 2 revoked' \
	"$(warden console)"

for m in 4 5 6; do	# sgi0r, asgi1r, kick: refused
	mode $m
	expect_match "mode $m: failed on the GIC" '"kind":"gic"' "$(warden cell stats hostile-direct --json)"
	back "mode $m"
done

mode 7			# group0
console_has hostile-direct 'group after writing 0: 1' || fail "group0: the SPI left Group 1"
console_has hostile-direct 'taken as an IRQ 1 times' || fail "group0: the SPI did not arrive as an IRQ"
back "group0"

mode 8			# eoi
back "eoi"

expect_beating "$hb0" throughout
warden cell destroy hello
warden disable
rmmod warden
dmesg_clean
