# image: initramfs
# machines: a53 gicv2
# The machine describes itself: `warden hardware check` finds every
# requirement met on the reference machine (EL2, no VHE, kvm-arm.mode=none,
# GICv3, 44-bit Cortex-A57, PSCI by SMC, the 256 MiB mem=768M leaves, 4
# CPUs), in text and JSON; `warden config create` writes a description that
# validates with hello, enables the hypervisor and runs hello; then destroy
# and disable. On the a53 machine the same with 40 bits; on the GICv2
# machine the GIC is GICv2 with its four frames and root also keeps the
# first GICv2m MSI SPIs.
. /warden/env
D=/usr/share/warden/cells.d

out=$(warden hardware check) || fail "hardware check failed on the reference machine: $out"
echo "$out"
expect_eq "no missing or warning line" "" "$(echo "$out" | grep -E '^(missing|warning) ')"
if [ "$WARDEN_GIC" = 2 ]; then
	expect_match "GICv2 found" '^ok +GIC version +GICv2 with the virtualization extensions' "$out"
else
	expect_match "GICv3 found" '^ok +GIC version +GICv3' "$out"
fi
expect_match "the carve-out from mem=" 'Free carve-out +256 MiB at 0x70000000-0x7fffffff' "$out"
json=$(warden hardware check --json)
expect_match "JSON: ready" '"ready": *true' "$json"
expect_eq "JSON: nine checks, all ok" 9 "$(echo "$json" | grep -o '"status": *"ok"' | wc -l)"

warden config create > /tmp/sys.yaml
expect_match "hypervisor memory after Linux's RAM" 'base: 0x7000_0000' "$(sed -n '/^hypervisor:/,/^root-cell:/p' /tmp/sys.yaml)"
if [ "$WARDEN_GIC" = 2 ]; then
	expect_match "root keeps the devices' and MSI SPIs" 'irqs: \["33-39", "48-' "$(cat /tmp/sys.yaml)"
	expect_match "GICv2 frames" 'virtual-cpu-interface: 0x0804_0000' "$(cat /tmp/sys.yaml)"
else
	expect_match "root keeps the devices' SPIs" 'irqs: \["33-39", "48-79"\]' "$(cat /tmp/sys.yaml)"
fi
mkdir -p /tmp/v/etc/cells.d
cp /tmp/sys.yaml /tmp/v/etc/cells.d/system.yaml
cp $D/hello.yaml /tmp/v/etc/cells.d/
out=$(cellctl validate --root=/tmp/v 2>&1) || fail "the generated description does not validate: $out"
echo "$out"
expect_match "valid with hello" '2 descriptions valid' "$out"

modprobe warden
warden enable /tmp/sys.yaml
expect_match "enabled with the generated system" '"state":"enabled"' "$(warden status --json)"
expect_match "its name" "system 'linux-dummy-virt'" "$(dmesg | grep 'hypervisor enabled')"
warden cell run $D/hello.yaml
wait_until 50 console_has hello 'Hello from cell'
out=$(warden cell console hello)
echo "$out"
expect_match "hello greets from CPU 3" 'Hello from cell 1 on CPU 3' "$out"
warden cell shutdown hello
warden cell destroy hello
expect_eq "CPU 3 back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
out=$(warden hardware check) || fail "hardware check after the module's load: $out"
expect_match "warden.ko loaded counts for EL2" 'warden.ko is loaded' "$out"
rmmod warden
dmesg_clean
