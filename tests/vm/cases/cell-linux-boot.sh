# image: initramfs
# args: --linux-cell --timeout=150
# The stock Debian kernel (the machine's own) boots in a cell on CPUs 1 and
# 2 with 128 MiB, next to hello on CPU 3, from a generated device tree:
# the first CPU enters it with x0 = the tree (arm64 boot protocol), PSCI
# over HVC brings up the second,
# Linux's GICv3 driver sets up the emulated distributor and walks the cell's
# redistributors. Its /init (tests/vm/guest/linux-cell-init) counts the
# CPUs and powers off: the cell ends "shut down" by PSCI SYSTEM_OFF. A
# panic (panic=-1) or a wrong CPU count would reset it instead; anything
# the hypervisor refuses fails it with a recorded fault.
D=/usr/share/warden/cells.d
L=/warden/linux
modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml >/dev/null

mkdir -p /tmp/cells
cat >/tmp/cells/linux.yaml <<YAML
cell: linux
description: "Debian's kernel, to its /init"
cpus: [1, 2]
memory:
  - name: ram
    host: 0x7200_0000
    size: 128M
    access: [read, write, execute, loadable]
os:
  kernel: $L/Image
  initramfs: $L/initramfs.cpio.gz
  command-line: panic=-1 nokaslr rdinit=/init expect_cpus=2
  uart: none
  psci: hvc
console: none
shutdown: passive
restart: no
YAML
cellctl validate /tmp/cells/linux.yaml $D/system.yaml
cellctl show --dts /tmp/cells/linux.yaml

t0=$(date +%s)
warden cell run /tmp/cells/linux.yaml
i=0
while warden cell list --json | grep -q '"name":"linux"[^]]*"state":"running"' && [ $i -lt 900 ]; do
	sleep 0.1; i=$((i + 1))
done
t1=$(date +%s)
list=$(warden cell list --json)
echo "$list"
stats=$(warden cell stats linux --json)
echo "$stats"
warden console | tail -n 40
echo "the Linux cell ran for $((t1 - t0)) s"
expect_match "Linux powered its cell off" '"name":"linux"[^]]*"state":"shut down"' "$list"
expect_match "by SYSTEM_OFF" '"stop_reason": *"system-off"' "$stats"
expect_match "hello unharmed" '"name":"hello"[^]]*"state":"running"' "$list"
warden cell destroy linux
warden cell destroy hello
expect_eq "CPUs back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
rmmod warden
dmesg_clean
