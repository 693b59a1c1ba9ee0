# image: systemd
# args: --smp=4 --linux-cell --timeout=1200
# linux-demo (cells.d/linux-demo.yaml, guests/linux-demo/) under celld: the
# Debian kernel root runs (/boot/vmlinuz-%v) boots in a cell on CPUs 1-2 to
# a busybox shell on its virtual PL011, while hello beats on CPU 3 and root
# runs a workload. Its kernel log (earlycon, then ttyAMA0) is in the unit's
# journal; commands written through celld (busctl ConsoleWrite, cellctl
# console -i) are answered by the shell, with job control; poweroff from
# inside ends the unit inactive; reboot from inside, and a panic (panic=5:
# the kernel resets the cell), boot it again under the same unit; stopping
# the unit presses its power button, the guest powers off cleanly, and the
# CPUs come back.
# shellcheck disable=SC2016 # the commands sent are the guest shell's to expand
D=/usr/share/warden/cells.d
cp $D/linux-demo.yaml $D/hello.yaml /etc/cells.d/
P=/org/warden/cell1/cell/linux_2ddemo

now_ms() { echo $(($(date +%s%N) / 1000000)); }
journal() { journalctl -u cell@linux-demo --no-pager -o cat; }
journal_has() { journal | grep -qE -- "$1"; }
# boots: how many times the cell reached its user space (rcS's line)
boots() { journal | grep -cE '^linux-demo: Linux [^ ]+ on 2 CPUs' || true; }
booted() { [ "$(boots)" -ge "$1" ]; }
inactive() { [ "$(systemctl is-active cell@linux-demo)" = inactive ]; }
# send TEXT: TEXT and a newline into the cell's UART through celld's ConsoleWrite;
# the FIFO takes 32 bytes at most, the rest is sent again once it has room
send() {
	# shellcheck disable=SC2046 # one argument per byte
	set -- $(printf '%s\n' "$1" | od -An -tu1)
	while [ $# -gt 0 ]; do
		n=$(busctl call org.warden.cell1 $P org.warden.cell1.Cell ConsoleWrite ay $# "$@") ||
			fail "ConsoleWrite refused"
		n=${n#u }
		[ "$n" -gt 0 ] || sleep 0.05
		shift "$n"
	done
}
# wait_boot N: until the cell has reached its user space N times (3 min at
# most), then until its shell answers (a command sent again every 10 s)
wait_boot() {
	local i=0
	wait_until 1800 booted "$1"
	[ "$(boots)" -ge "$1" ] || { journal | tail -n 40; fail "linux-demo did not reach its user space (boot $1)"; }
	echo "ok: linux-demo reached its user space (boot $1, after $((waited / 10)) s)"
	while [ $i -lt 6 ]; do
		send "echo shell-$1-\$((6*7))"
		wait_until 100 journal_has "^shell-$1-42\$"
		journal_has "^shell-$1-42\$" && break
		i=$((i + 1))
	done
	expect_match "its shell answers (boot $1)" "^shell-$1-42\$" "$(journal)"
}
# reply PATTERN: until the journal has a line matching PATTERN (1 min at most)
reply() {
	wait_until 600 journal_has "$1"
	expect_match "the cell answered" "$1" "$(journal)"
}

systemctl start cell@hello
hb0=$(heartbeat)
# Root's workload: the same checksum over and over while the Linux cell runs.
dd if=/dev/urandom of=/tmp/work bs=1M count=4 2>/dev/null
sum=$(sha256sum </tmp/work)
(
	n=0
	while [ ! -e /tmp/work.stop ]; do
		[ "$(sha256sum </tmp/work)" = "$sum" ] || echo "round $n: wrong sum" >>/tmp/work.bad
		n=$((n + 1))
		echo $n >/tmp/work.rounds
	done
) &
work=$!

t0=$(now_ms)
systemctl start cell@linux-demo
echo "systemctl start cell@linux-demo took $(($(now_ms) - t0)) ms"
expect_eq "cell@linux-demo active" active "$(systemctl is-active cell@linux-demo)"
expect_eq "CPUs 1-3 left Linux" "0" "$(cat /sys/devices/system/cpu/online)"
wait_boot 1
out=$(journal)
echo "$out" | head -n 5
echo "$out" | tail -n 8
expect_match "the early console (earlycon, /chosen/stdout-path)" 'bootconsole \[pl11\] enabled' "$out"
expect_match "the kernel log through ttyAMA0" 'printk: console \[ttyAMA0\] enabled' "$out"
expect_match "the kernel root runs" "Linux version $(uname -r)" "$out"
expect_match "both CPUs" 'smp: Brought up 1 node, 2 CPUs' "$out"
expect_match "the power button's modules load" 'linux-demo: Linux [^ ]+ on 2 CPUs' "$out"
if echo "$out" | grep -q 'power button will not work'; then fail "evdev or gpio_keys did not load"; fi

send 'echo answer-$((6*7)) cpus-$(nproc)'
reply '^answer-42 cpus-2$'
# The line came in through the UART's receive interrupt (the sbsa-uart driver
# of amba-pl011.c), as the count in the guest's /proc/interrupts says.
send 'set -- $(grep pl011 /proc/interrupts); echo uart-irqs-$(($2 + $3))'
reply '^uart-irqs-[1-9][0-9]*$'

# cellctl console -i: the shell has job control on ttyAMA0.
mkfifo /tmp/in
cellctl console -i linux-demo </tmp/in >/tmp/attach 2>/tmp/attach.err &
attach=$!
exec 3>/tmp/in
printf 'sleep 1000 &\njobs\n' >&3
reply '^\[1\]\+ +Running +sleep 1000'
exec 3>&-
wait $attach
expect_match "cellctl console shows the answer" 'Running +sleep 1000' "$(cat /tmp/attach)"
# ash asks the terminal for the cursor position (ESC [ 6 n) at each prompt:
# the attached console gets it, the journal does not.
grep -q "$(printf '\033')\[6n" /tmp/attach || fail "the attached console did not get ash's cursor query"
if journal | grep -q '\[6n'; then fail "a terminal escape sequence in the journal: $(journal | grep '\[6n' | head -n 1)"; fi
echo "ok: ash's cursor queries reach the attached console, not the journal"
send 'kill %1'
expect_beating "$hb0" "while linux-demo booted"

# poweroff from inside: the unit ends inactive, its CPUs come back.
send poweroff
wait_until 600 inactive
expect_eq "poweroff ends the unit inactive" inactive "$(systemctl is-active cell@linux-demo)"
expect_match "a clean power-off" 'linux-demo: going down' "$(journal)"
expect_eq "CPUs 1-2 back" "0-2" "$(cat /sys/devices/system/cpu/online)"

# reboot from inside: the cell boots again, the unit stays active.
systemctl start cell@linux-demo
wait_boot 2
send reboot
wait_boot 3
expect_match "celld rebooted it" 'Cell linux-demo asked for a reset \(PSCI SYSTEM_RESET\): rebooting it' "$(journal)"
expect_eq "the unit stayed active" active "$(systemctl is-active cell@linux-demo)"

# A panic: panic=5 resets the cell 5 s later, and it boots again.
send 'echo c >/proc/sysrq-trigger'
wait_boot 4
out=$(journal)
expect_match "the panic is in the journal" 'Kernel panic - not syncing: sysrq triggered crash' "$out"
expect_match "and the reset after it" 'Rebooting in 5 seconds' "$out"
expect_eq "the unit stayed active" active "$(systemctl is-active cell@linux-demo)"
send 'echo after-panic-$((1+1))'
reply '^after-panic-2$'

# systemctl stop presses the power button: acpid runs poweroff in the guest.
systemctl stop cell@linux-demo
expect_eq "stopped" inactive "$(systemctl is-active cell@linux-demo)"
expect_match "the power button powered it off" 'linux-demo: power button pressed' "$(journal)"
expect_match "celld saw the guest's own power-off" 'powered off on request' "$(journal)"
expect_eq "CPUs 1-2 back" "0-2" "$(cat /sys/devices/system/cpu/online)"

echo "the shell's banner came $(journal | grep -c 'built-in shell (ash)') times in 4 boots"
touch /tmp/work.stop
wait $work
[ ! -e /tmp/work.bad ] || fail "root's workload went wrong: $(cat /tmp/work.bad)"
expect_match "root's workload ran throughout" '^[1-9][0-9]*$' "$(cat /tmp/work.rounds)"
echo "root's workload: $(cat /tmp/work.rounds) checksums of 4 MiB"
expect_beating "$hb0"
expect_eq "hello still active" active "$(systemctl is-active cell@hello)"
systemctl stop cell@hello
expect_eq "every CPU back" "0-3" "$(cat /sys/devices/system/cpu/online)"
dmesg_clean
