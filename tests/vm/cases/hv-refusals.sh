# image: initramfs
# Malformed and hostile system blobs are refused with the reason, by the
# module (which checks first) and by the hypervisor (which trusts nobody),
# and leave the machine as it was: disabled, every CPU online, the memory
# unclaimed, the module unloadable.
SYS=/usr/share/warden/cells.d/system.yaml
modprobe warden
cellctl compile "$SYS" -o /tmp/good.bin

# patch FILE OFFSET OCTAL-BYTES: overwrite bytes in a copy of the good blob
patch() {
	cp /tmp/good.bin "$1"
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# refused NAME FILE PATTERN: enable must fail with PATTERN in its message.
# warden runs on CPU 0, which the module therefore brings in first.
refused() {
	local out rc=0
	out=$(taskset -c 0 warden enable "$2" 2>&1) || rc=$?
	echo "$out"
	expect_eq "$1: exit status" 1 "$rc"
	expect_match "$1: reason" "$3" "$out"
	expect_match "$1: still disabled" '"state":"disabled"' "$(warden status --json)"
}

# Offsets follow include/warden/config.h (pinned in abi-check.c): header 64
# bytes, system 104, one platform RAM range (64), the root cell (64) at 232,
# its regions at 296 (ram) and 360 (mmio), 64 bytes each: phys_start,
# virt_start, size, flags.
patch /tmp/magic.bin 0 'X'
refused "bad magic" /tmp/magic.bin 'blob refused at offset 0: bad magic'
patch /tmp/rev.bin 8 '\011'
refused "bad revision" /tmp/rev.bin 'blob refused at offset 8.*revision'
head -c 100 /tmp/good.bin > /tmp/short.bin
refused "truncated" /tmp/short.bin 'blob refused'
patch /tmp/size.bin 16 '\160'
refused "total size mismatch" /tmp/size.bin 'blob refused at offset 16'
# mmio region moved onto root's RAM (phys and guest address 0x40000000)
patch /tmp/overlap.bin 362 '\000\100'
patch /tmp/overlap.bin 370 '\000\100'
cp /tmp/overlap.bin /tmp/o.bin
printf '\000\000\000\100' | dd of=/tmp/o.bin bs=1 seek=360 conv=notrunc 2>/dev/null
printf '\000\000\000\100' | dd of=/tmp/o.bin bs=1 seek=368 conv=notrunc 2>/dev/null
refused "overlapping root regions" /tmp/o.bin 'blob refused at offset 360 .*overlap'
# root RAM grown over the hypervisor's memory (size 0x40000000)
cp /tmp/good.bin /tmp/grow.bin
printf '\000\000\000\100' | dd of=/tmp/grow.bin bs=1 seek=312 conv=notrunc 2>/dev/null
refused "root RAM over the hypervisor" /tmp/grow.bin 'blob refused at offset 296 .*overlaps the hypervisor'

# A description that is valid on paper, but puts the hypervisor in RAM
# Linux uses (Linux runs with mem=768M, so 0x6f000000 is its).
sed -e 's/base: 0x7000_0000/base: 0x6f00_0000/' -e 's/size: 768M/size: 0x2f00_0000/' "$SYS" > /tmp/inram.yaml
refused "hypervisor memory in Linux RAM" /tmp/inram.yaml \
	'hypervisor memory 0x6f000000-0x6fffffff is RAM Linux uses'

# Only the hypervisor knows how many CPUs it was built for: a system with
# CPU 9 passes the module and is refused at EL2, on the first CPU, with
# every CPU given back to Linux.
sed -e 's/^  cpus: 0-3/  cpus: 0-3,9/' "$SYS" > /tmp/cpu9.yaml
refused "more CPUs than the build supports" /tmp/cpu9.yaml \
	'hypervisor refused on CPU 0: system has more CPUs than this hypervisor build supports \(offset 64, element 9'

# A CPU failing after others are in: the module's test hook gives CPU 2 a
# wrong number; the CPUs already in must be rolled back to Linux's stub.
echo 2 > /sys/module/warden/parameters/inject_init_fault
refused "init failing on CPU 2" /tmp/good.bin \
	'hypervisor refused on CPU 2: CPU number does not match this CPU.s MPIDR'
echo -1 > /sys/module/warden/parameters/inject_init_fault

expect_eq "every CPU still online" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_fail "memory not claimed" grep -q 'Warden hypervisor' /proc/iomem
# And a good blob still enables after all that, on every CPU: the rolled
# back CPUs had their stub back.
warden enable /tmp/good.bin
expect_match "good blob enables" '"state":"enabled"' "$(warden status --json)"
expect_match "on every CPU" '"cpus_enabled":\[0,1,2,3\]' "$(warden status --json)"
warden disable
rmmod warden
# The test hook taints the kernel; nothing else may show.
dmesg_clean
