# image: initramfs
# machines: gicv2
# args: --timeout=300
# A hostile inmate against its power button (cells.d/hostile-pl061.yaml,
# inmates/demos/hostile-pl061.c): all ones at every offset and width of its
# virtual PL061, GPIODATA's address masking; every read stays within a
# register's 8 bits and the IDs hold ("hammer: ok"). The cell's PL061 sits
# at the guest address of QEMU's real one, which root's Linux drives for
# its own power key: what root's gpiolib reads of it (each line's
# direction and level) must not change. Then a
# shutdown request presses the button: the inmate takes the interrupt on
# its SPI and sees the line high and the request in its communication page;
# its 64-bit read of GPIODIR fails it alone with a located device fault.
# hello runs next to it throughout.
D=/usr/share/warden/cells.d
# Root's PL061 through gpiolib's sysfs, which reads the hardware: each
# line's direction (GPIODIR) and level (GPIODATA).
chip=$(grep -l 9030000.pl061 /sys/class/gpio/gpiochip*/label | head -1)
base=$(cat "${chip%/label}/base")
for i in 0 1 2 3 4 5 6 7; do echo $((base + i)) >/sys/class/gpio/export; done
root_pl061() {
	for i in 0 1 2 3 4 5 6 7; do
		printf '%s:%s ' "$(cat /sys/class/gpio/gpio$((base + i))/direction)" \
			"$(cat /sys/class/gpio/gpio$((base + i))/value)"
	done
	echo
}
console() { warden cell console hostile-pl061; }
waiting() { console | grep -q 'waiting for the power button'; }
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml >/dev/null
before=$(root_pl061)
echo "root's PL061, as its gpiolib reads it:"
echo "$before"

warden cell run $D/hostile-pl061.yaml >/dev/null
wait_until 600 waiting
console
expect_match "the hammer found nothing wrong" 'hostile-pl061: hammer: ok \(0 wrong\)' "$(console)"
expect_eq "root's PL061 untouched by the hammer" "$before" "$(root_pl061)"
waiting || fail "hostile-pl061 never armed its button"

out=$(warden cell shutdown hostile-pl061 2>&1) && fail "the shutdown of a cell that fails itself succeeded: $out"
echo "$out"
out=$(console)
echo "$out" | tail -n 4
expect_match "the press reached the inmate" \
	'power button pressed \(MIS 0x8, 1 interrupt\(s\)\), shutdown requested in the communication page' "$out"
expect_match "its last words" 'a 64-bit read of GPIODIR now' "$out"
if echo "$out" | grep -q 'still here'; then fail "hostile-pl061 survived its 64-bit read"; fi
stats=$(warden cell stats hostile-pl061 --json)
echo "$stats"
expect_eq "it failed" failed "$(str "$stats" state)"
expect_match "a device fault" '"kind": *"device"' "$stats"
expect_match "at GPIODIR" '"reason": *"emulated device access refused at 0x9030400' "$stats"
expect_eq "root's PL061 untouched" "$before" "$(root_pl061)"
expect_match "hello unharmed" '"name":"hello"[^]]*"state":"running"' "$(warden cell list --json)"

warden cell destroy hostile-pl061
warden cell destroy hello
expect_eq "CPUs back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
rmmod warden
dmesg_clean
