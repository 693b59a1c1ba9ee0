# image: initramfs
# args: --gic=2 --cpu=cortex-a53 --kernel-arg=iomem=relaxed
# GICv2 (QEMU virt,gic-version=2; systems/qemu-virt-gicv2.yaml). A
# description that is not this machine's is refused at enable, naming what
# it says and what the machine has, with nothing taken. Enabled, root keeps
# its CPU interface and its interrupts (no interrupt exits), loses the
# hypervisor and virtual CPU interfaces, and its distributor writes reach
# only what no cell owns: a cell's SPI keeps its enable, target and
# priority whatever root writes, and root's SGIs never reach a cell's CPU.
SYS=/etc/cells.d/system.yaml
D=/usr/share/warden/cells.d
GICD=0x08000000
modprobe warden

# Not this machine's: the reference (GICv3) description, then a GICv2 one
# with a CPU interface frame where the device tree has none.
out=$(warden enable /usr/share/warden/systems/qemu-virt.yaml 2>&1) && fail "GICv3 description accepted"
echo "$out"
expect_match "version refusal names both" 'GIC is version 3: the device tree.s GIC .* is version 2' "$out"
sed 's/cpu-interface: 0x0801_0000/cpu-interface: 0x0802_0000/' $SYS > /tmp/frame.yaml
out=$(warden enable /tmp/frame.yaml 2>&1) && fail "wrong GICC frame accepted"
echo "$out"
expect_match "frame refusal names both" 'cpu-interface at 0x8020000: the device tree.s GIC .* has it at 0x8010000' "$out"
expect_match "nothing enabled" '"state":"disabled"' "$(warden status --json)"
expect_eq "every CPU still Linux's" "0-3" "$(cat /sys/devices/system/cpu/online)"

warden enable $SYS
json=$(warden status --json)
echo "$json"
expect_match "system name" '"system":"qemu-virt-gicv2"' "$json"
t0=$(grep arch_timer /proc/interrupts | awk '{print $2}')
sleep 1
expect_eq "no interrupt exits" "0" "$(warden status --json | grep -o '"irq":[0-9]*' | cut -d: -f2 | sort -u)"
[ "$(grep arch_timer /proc/interrupts | awk '{print $2}')" -gt "$t0" ] || fail "root's timer stopped"

# The hypervisor and virtual CPU interfaces are not root's.
for frame in 0x08030000 0x08040000; do
	rc=0
	devmem $frame || rc=$?
	expect_eq "root reads $frame: SIGBUS" 135 "$rc"
done

# gic-demo ships with direct delivery, which GICv2 cannot give: warned at
# validation, refused by the hypervisor, nothing taken.
out=$(warden cell run $D/gic-demo.yaml 2>&1) && fail "a direct cell was created on GICv2"
echo "$out"
expect_match "validation warns, naming the file" 'gic-demo.yaml:[0-9]+:[0-9]+: warning\[interrupts\]' "$out"
expect_match "the hypervisor refuses, saying why" 'direct interrupt delivery needs GICv3' "$out"
expect_eq "no cell left" "No cells." "$(warden cell list)"
expect_eq "CPU 3 still Linux's" "0-3" "$(cat /sys/devices/system/cpu/online)"

# hello on CPU 3 (GIC CPU interface 3: target 0x08). Root's writes to a
# cell's SPIs: cell-root-gicd.
mkdir -p /tmp/c
cp $D/hello.yaml /tmp/c/hello.yaml
warden cell run /tmp/c/hello.yaml
wait_until 30 console_has hello "heartbeat 1"
# SGIs from root to the cell's CPU (interface 3) are dropped, the rest delivered.
irq3() { warden status --json | grep -o '"irq":[0-9]*' | sed -n 4p | cut -d: -f2; }
i0=$(irq3)
n=0
while [ $n -lt 50 ]; do
	devmem $((GICD + 0xf00)) 32 $(((0x08 << 16) | 5))	# SGI 5 to CPU interface 3
	n=$((n + 1))
done
expect_eq "no SGI from root reached the cell's CPU" "$i0" "$(irq3)"
console_has hello "heartbeat" || fail "hello stopped"

warden cell destroy hello
warden disable
expect_eq "virtual CPU interface readable after disable" 0 "$(devmem 0x08040000 >/dev/null; echo $?)"
rmmod warden
dmesg_clean
