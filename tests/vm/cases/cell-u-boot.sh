# image: initramfs
# args: --u-boot --timeout=300
# Debian's U-Boot (u-boot-qemu's qemu_arm64 u-boot.bin, unmodified) in a
# cell, as cells.d/u-boot-demo.yaml describes it: RAM at guest 0x4000_0000
# with the generated device tree at its start, u-boot.bin entered at
# 0x4020_0000 (os.boot-loader), its console on the virtual PL011. Its banner
# and `=>` prompt reach the cell's console; commands sent through the
# console input (`warden cell console -i`) answer: an echo of this run's
# nonce through a variable (so that the answer differs from the typed line),
# `bdinfo` and `fdt print /chosen` of the tree U-Boot was given; `poweroff`
# (PSCI SYSTEM_OFF) ends the cell shut down, reason system-off. A second
# run's `reset` ends it by SYSTEM_RESET. hello ticks on CPU 3 all along and
# root keeps working.
D=/usr/share/warden/cells.d
# Until the cell's console (its ring, read whole) matches the extended
# regexp, some 120 s at most (U-Boot's autoboot under TCG); it is left in /tmp/out.
wait_for() {	# PATTERN
	local i=0
	while warden cell console u-boot-demo >/tmp/out 2>/dev/null && ! grep -qE "$1" /tmp/out && [ $i -lt 1200 ]; do
		sleep 0.1; i=$((i + 1))
	done
	grep -qE "$1" /tmp/out || { cat /tmp/out; fail "no '$1' in the cell's console"; }
}
ticks() { field "$(warden cell stats hello --json)" heartbeat; }
# The cell's console input: fd 3, through warden cell console -i (netlink).
attach() {
	rm -f /tmp/in
	mkfifo /tmp/in
	warden cell console -i u-boot-demo </tmp/in >/dev/null 2>/tmp/attach.err &
	reader=$!
	exec 3>/tmp/in
}
detach() {
	exec 3>&-
	wait $reader || true
}
# Types a command line (U-Boot takes CR as Enter).
type_line() { printf '%s\r' "$1" >&3; }
stopped() {	# REASON: the cell's state and stop reason once it no longer runs
	local i=0 list stats
	while warden cell list --json | grep -q '"name":"u-boot-demo"[^]]*"state":"running"' && [ $i -lt 600 ]; do
		sleep 0.1; i=$((i + 1))
	done
	list=$(warden cell list --json)
	stats=$(warden cell stats u-boot-demo --json)
	echo "$list"
	echo "$stats"
	echo "U-Boot's exits: $(field "$stats" exits) (it polls the UART's FR at its prompt)"
	expect_match "U-Boot's cell shut down" '"name":"u-boot-demo"[^]]*"state":"shut down"' "$list"
	expect_match "by $1" "\"stop_reason\": *\"$1\"" "$stats"
}

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml >/dev/null
cellctl validate $D/u-boot-demo.yaml $D/system.yaml
cellctl show $D/u-boot-demo.yaml | sed -n '/^os:/,/^console:/p'

# Boot: U-Boot's autoboot finds nothing to boot (no fw_cfg, disk or network
# in the cell) and ends at its prompt.
warden cell run $D/u-boot-demo.yaml >/dev/null
attach
wait_for '^=> '
out=$(cat /tmp/out)
echo "$out"
expect_match "U-Boot's banner" '^U-Boot 2[0-9]{3}\.[0-9]{2}' "$out"
expect_match "the cell's RAM" 'DRAM: +48 MiB' "$out"
expect_match "its console is the virtual PL011" 'In: +serial@9000000' "$out"
expect_match "the blank flash: default environment" 'bad CRC, using default environment' "$out"
ticks0=$(ticks)

# Commands through the console input.
type_line "setenv w $WARDEN_NONCE; echo got-\${w}-ok"
wait_for "^got-$WARDEN_NONCE-ok"
type_line 'bdinfo'
wait_for '^-> size += 0x0*3000000'
type_line 'fdt addr $fdtcontroladdr; fdt print /chosen'
wait_for 'stdout-path = "/serial@9000000"'
cat
expect_match "bdinfo shows the cell's RAM at 0x4000_0000" '^-> start += 0x0*40000000' "$(cat /tmp/out)"

# Root works meanwhile: the same checksum of u-boot.bin twice.
f=/usr/lib/u-boot/qemu_arm64/u-boot.bin
expect_eq "root works next to U-Boot" "$(md5sum <$f)" "$(md5sum <$f)"

ticks1=$(ticks)
echo "hello's heartbeat: $ticks0 at U-Boot's prompt, $ticks1 after its commands"
[ "$ticks1" -gt "$ticks0" ] || fail "hello stopped ticking while U-Boot ran ($ticks0, then $ticks1)"
type_line 'poweroff'
stopped system-off
detach
warden console | tail -n 6
warden cell destroy u-boot-demo

# reset: PSCI SYSTEM_RESET.
warden cell run $D/u-boot-demo.yaml >/dev/null
attach
wait_for '^=> '
type_line 'reset'
stopped system-reset
detach
warden cell destroy u-boot-demo

expect_match "hello still runs" '"name":"hello"[^]]*"state":"running"' "$(warden cell list --json)"
warden cell destroy hello
expect_eq "CPUs back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
rmmod warden
dmesg_clean
