# image: initramfs
# Direct interrupt delivery under attack (hostile-direct, one mode a run on
# CPU 2, hello beating on CPU 3). Whatever the cell does to its CPU
# interface with every exception masked, destroy gets the CPU back: the
# kick preempts a held interrupt, a zeroed priority mask and a binary point
# game; an active priority written by hand blocks the kick, and the
# hypervisor revokes the cell's stage 2 instead. The SGI registers it may
# not use fail it; its own SPI stays Group 1; an EOI of root's interrupt
# changes nothing for root. Each time the CPU comes back to root and takes
# interrupts there, and hello and root keep running. A blocked kick
# followed by WFI or WFE: a direct-strict cell is stopped at its next wait;
# a direct one leaves its CPU quarantined, and the rest of it comes back.
D=/usr/share/warden/cells.d
cpu2_irqs() { awk '/arch_timer/ { print $4 }' /proc/interrupts; }

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)

CELL=hostile-direct SRC=$D/hostile-direct.yaml
# mode NUMBER: one run of $CELL, left running or failed
mode() {
	local i=0
	run_mode $SRC $CELL "$1"
	while ! console_has $CELL 'spinning\|still alive\|needs\|waiting in' &&
		! cell_is $CELL failed && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	warden cell console $CELL
}

# back: destroy; CPU 2 is Linux's again and takes its timer interrupts
back() {
	local t0
	warden cell destroy $CELL
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

# direct-strict: a wait traps, so the blocked kick does not matter
mkdir -p /run/cells.d
sed -e 's/^cell: hostile-direct$/cell: hostile-strict/' \
	-e 's/^interrupts: direct$/interrupts: direct-strict/' $D/hostile-direct.yaml >/run/cells.d/hostile-strict.yaml
CELL=hostile-strict SRC=/run/cells.d/hostile-strict.yaml
for m in 9 10; do	# ap1r-wfi, ap1r-wfe
	mode $m
	console_has $CELL 'ICC_AP1R0_EL1 0x1, waiting' || fail "strict mode $m: the cell did not block the kick"
	back "strict mode $m"
done
expect_eq "strict: no CPU quarantined" 0 "$(warden console | grep -c quarantined)"

# direct, blocked kick, WFI: nothing stops the CPU. The destroy succeeds,
# the memory and interrupts are free for the next cell, the CPU stays
# quarantined.
CELL=hostile-direct SRC=$D/hostile-direct.yaml
# root_s2: bytes root's stage 2 maps; quarantined: the status's list, compact
root_s2() { warden status --json | tr -d ' \n' | grep -o '"root_stage2":{[^}]*}' | grep -o '"bytes":[0-9]*' | cut -d: -f2; }
quarantined() { warden status --json | tr -d ' \n' | grep -o '"cpus_quarantined":\[[^]]*\]' | cut -d: -f2; }
s2_before=$(root_s2)
mode 9
out=$(warden cell destroy $CELL 2>&1) || fail "destroy of a cell with a stuck CPU failed: $out"
expect_match "destroy says the CPU is quarantined" 'CPUs 0x4 did not stop: they stay quarantined' "$out"
expect_match "the hypervisor's log" 'CPUs 0x4 do not stop: quarantined until reset' "$(warden console)"
sleep 1
expect_eq "CPU 2 stays out of Linux" "0-1" "$(cat /sys/devices/system/cpu/online)"
expect_match "warden status lists it" 'Quarantined CPUs: +2 ' "$(warden status)"
expect_eq "warden status --json lists it" "[2]" "$(quarantined)"
expect_eq "root maps all but CPU 2's redistributor SGI frame again" 65536 $((s2_before - $(root_s2)))
out=$(warden cell run $D/hostile-direct.yaml 2>&1) && fail "a cell was given the quarantined CPU"
expect_match "a new cell on CPU 2 is refused" 'CPU is quarantined' "$out"

expect_beating "$hb0" throughout
warden cell destroy hello

# The quarantined cell's memory and SPI serve a new cell on CPU 3.
sed -e 's/^cell: hostile-direct$/cell: reuse/' -e 's/^cpus: \[2\]$/cpus: [3]/' \
	$D/hostile-direct.yaml >/run/cells.d/reuse.yaml
run_mode /run/cells.d/reuse.yaml reuse 7	# group0: takes its SPI 41 as an IRQ
wait_until 50 console_has reuse 'taken as an IRQ'
console_has reuse 'taken as an IRQ 1 times' || fail "the new cell's SPI 41 did not arrive"
warden cell destroy reuse
wait_until 50 sh -c '[ "$(cat /sys/devices/system/cpu/online)" = 0-1,3 ]'
expect_eq "CPU 3 comes back, CPU 2 does not" "0-1,3" "$(cat /sys/devices/system/cpu/online)"
out=$(warden disable 2>&1) && fail "the hypervisor disabled with a quarantined CPU"
expect_match "disable is refused" 'CPUs 0x4 are quarantined' "$out"
dmesg_clean
