# image: initramfs
# machines: gicv2
# args: --linux-cell --timeout=420
# The power button (os.power-button: a virtual PL061 whose line 3 is a
# gpio-keys KEY_POWER) stops a Linux cell with no Warden driver. The stock
# Debian kernel boots in a cell on CPU 1 with its console on the virtual
# UART; its /init (tests/vm/guest/linux-cell-init) loads evdev and gpio_keys
# and, with power=acpid, runs busybox acpid, whose action powers off.
# `warden cell shutdown linux` presses the button: the cell ends "shut down"
# with stop reason system-off, and the command reports the answer. The same
# guest without acpid ignores the press: the shutdown is not answered, the
# cell keeps running, and a destroy stops it without its approval. hello
# runs next to it throughout, and root is unharmed. On the GICv2 machine
# too (the kernel's GICv2 driver on the emulated distributor and the
# virtual CPU interface).
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml >/dev/null

state() { warden cell list --json | grep -o '"name":"linux"[^]]*' | grep -o '"state":"[^"]*"' | cut -d'"' -f4; }
ready() { warden cell console linux 2>/dev/null | grep -q 'power-button: ready'; }
running() { [ "$(state)" = running ]; }

# --- a guest that answers: acpid powers off on KEY_POWER, with its interrupts
# trapped and, on GICv3, delivered directly (the hypervisor raises the
# button's SPI in the distributor either way; a direct cell's CPU takes it
# without an exit, while its PL061 registers are still emulated).
modes=trapped
grep -q '^    version: 3' $D/system.yaml && modes="trapped direct"
for mode in $modes; do
	echo "--- interrupts: $mode"
	linux_cell_yaml acpid "$mode"
	cellctl validate /tmp/cells/linux.yaml $D/system.yaml
	dts=$(cellctl show --dts /tmp/cells/linux.yaml)
	echo "$dts" | sed -n '/gpio@9030000/,/^	};/p;/gpio-keys/,/^	};/p'
	expect_match "the tree has the PL061" 'compatible = "arm,pl061", "arm,primecell"' "$dts"
	expect_match "and the key" 'linux,code = <0x74>' "$dts"
	t0=$(now)
	warden cell run /tmp/cells/linux.yaml
	wait_until 2400 ready
	t1=$(now)
	warden cell console linux | tail -n 20
	expect_eq "Linux came up with the power key in $((t1 - t0)) s" running "$(state)"
	expect_match "gpio-keys probed on the PL061" 'input: gpio-keys' "$(warden cell console linux)"
	ready || fail "the guest never said it was ready"

	t0=$(now_cs)
	warden cell shutdown linux
	t1=$(now_cs)
	echo "the press was answered in $(((t1 - t0) * 10)) ms (wall time, TCG)"
	warden cell console linux | tail -n 8
	stats=$(warden cell stats linux --json)
	echo "$stats"
	expect_eq "$mode: Linux powered off on the button" "shut down" "$(state)"
	expect_match "by SYSTEM_OFF" '"stop_reason": *"system-off"' "$stats"
	expect_match "acpid ran its action" 'acpid: KEY_POWER: powering off' "$(warden cell console linux)"
	expect_match "the hypervisor's log names the press" "cell [0-9]* 'linux': power button pressed" "$(warden console)"
	expect_match "hello unharmed" '"name":"hello"[^]]*"state":"running"' "$(warden cell list --json)"
	warden cell destroy linux
done

# --- a guest that ignores the button: no acpid
linux_cell_yaml ignore
warden cell run /tmp/cells/linux.yaml
wait_until 2400 ready
ready || fail "the guest without acpid never said it was ready"
t0=$(now)
out=$(warden cell shutdown --timeout=3 linux 2>&1) && fail "a guest that ignores the button answered: $out"
waited_s=$(($(now) - t0))
echo "$out"
expect_match "the request is not answered" "has not answered the shutdown request within 3 s" "$out"
[ "$waited_s" -ge 3 ] && [ "$waited_s" -lt 10 ] || fail "warden cell shutdown --timeout=3 gave up after $waited_s s"
expect_eq "the guest still runs" running "$(state)"
out=$(warden cell destroy linux 2>&1)
echo "$out"
expect_match "destroyed without its approval" "without its approval" "$out"
expect_match "hello unharmed" '"name":"hello"[^]]*"state":"running"' "$(warden cell list --json)"

warden cell destroy hello
expect_eq "CPUs back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
rmmod warden
dmesg_clean
