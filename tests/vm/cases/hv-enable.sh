# image: initramfs
# The hypervisor enables under the running stock kernel on all 4 CPUs, puts
# root under a stage 2 made of 2 MiB blocks, keeps root's interrupts and
# timer off its exit path, refuses rmmod while enabled, and gives everything
# back on disable.
SYS=/usr/share/warden/cells.d/system.yaml
modprobe warden
warden enable "$SYS"
expect_match "module announces the enable" \
	"hypervisor enabled on 4 CPUs, system 'qemu-virt', memory 0x70000000-0x70ffffff" \
	"$(dmesg | grep warden:)"

json=$(warden status --json)
echo "$json"
expect_match "state enabled" '"state":"enabled"' "$json"
expect_match "every CPU under the hypervisor" '"cpus_enabled":\[0,1,2,3\]' "$json"
expect_match "system name" '"system":"qemu-virt"' "$json"
expect_match "hypervisor memory" '"hypervisor_memory":\{"base":1879048192,"size":16777216\}' "$json"
# root: 768 MiB RAM at 1 GiB (384 x 2 MiB), 896 MiB of devices at 128 MiB
# (448 x 2 MiB), the high PCIe ECAM (128 x 2 MiB) and 64-bit window (512 x
# 1 GiB), all in blocks but the 2 MiB around the redistributors, which stays
# in pages so that a cell can take its CPUs' frames from root: 7 tables
# (level 0, two level 1, three level 2, one level 3), 512 pages.
expect_match "root stage 2 in blocks" \
	'"root_stage2":\{"tables":7,"pages":512,"blocks_2m":959,"blocks_1g":512,"bytes":551769079808\}' "$json"
used=$(echo "$json" | grep -o '"used_pages":[0-9]*' | cut -d: -f2)
[ "$used" -gt 0 ] && [ "$used" -lt 64 ] || fail "pool use $used pages: expected a few tables"
echo "ok: pool uses $used pages"

# Root's timer and interrupts do not exit: the irq counters stay 0 while
# the machine takes timer ticks and console interrupts.
sleep 1
human=$(warden status)
echo "$human"
irq=$(warden status --json | grep -o '"irq":[0-9]*' | cut -d: -f2 | sort -u)
expect_eq "no interrupt exits" "0" "$irq"
expect_match "human status" 'Root stage 2: +513.9 GiB mapped: 512 1G blocks, 959 2M blocks, 512 pages' "$human"

log=$(warden console)
echo "$log"
for cpu in 0 1 2 3; do
	expect_match "log: CPU $cpu enabled" "CPU $cpu enabled \(MPIDR 0x$cpu\)" "$log"
done
expect_match "log: memory and stage 2" 'Warden [0-9.]+: 16384 KiB at 0x70000000' "$log"

# Root may not take EL2 back: the module is pinned while enabled.
expect_fail "rmmod refused while enabled" rmmod warden
grep -q '^warden ' /proc/modules || fail "module gone while enabled"

# The module claims the memory: /dev/mem refuses to map it.
expect_match "memory claimed in /proc/iomem" '70000000-70ffffff : Warden hypervisor' "$(cat /proc/iomem)"
expect_fail "/dev/mem refuses the hypervisor's memory" devmem 0x70000000

warden disable
expect_match "state disabled" '"state":"disabled"' "$(warden status --json)"
expect_fail "memory released" grep -q 'Warden hypervisor' /proc/iomem
# The stub is back: the image's header is readable again at its address.
expect_eq "image header readable after disable" "0x44524157" "$(devmem 0x70000000)"
rmmod warden
dmesg_clean
