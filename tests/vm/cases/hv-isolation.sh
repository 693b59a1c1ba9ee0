# image: initramfs
# machines: a53 gicv2
# args: --kernel-arg=iomem=relaxed
# With /dev/mem allowed to map claimed memory (iomem=relaxed), root's only
# protection left is its stage 2: reads and writes of the hypervisor's
# memory come back as external aborts (SIGBUS for a process), the
# hypervisor logs them and both keep running.
modprobe warden
warden enable /usr/share/warden/cells.d/system.yaml

rc=0
devmem 0x70000000 || rc=$?
expect_eq "read of hypervisor memory: SIGBUS" 135 "$rc"
rc=0
devmem 0x70001000 32 0x12345678 || rc=$?
expect_eq "write to hypervisor memory: SIGBUS" 135 "$rc"
rc=0
devmem 0x70fffffc || rc=$?
expect_eq "last word of hypervisor memory: SIGBUS" 135 "$rc"
# Memory beyond the hypervisor's (cells' memory) is not root's either.
rc=0
devmem 0x71000000 || rc=$?
expect_eq "memory set aside for cells: SIGBUS" 135 "$rc"

log=$(warden console)
echo "$log"
expect_match "log names the address" 'data abort at 0x[0-9a-f]+ \(address 0x70000000' "$log"
expect_match "log names the write" 'address 0x70001000' "$log"
# On GICv2 root's distributor writes are data aborts too (trapped and
# checked): the exit counter is at least the four, the log exactly them.
dabt=$(warden status --json | grep -o '"dabt":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s}')
[ "$dabt" -ge 4 ] || fail "four aborts counted: got $dabt"
expect_eq "four aborts logged" 4 "$(echo "$log" | grep -c 'outside its memory')"

# Everything still runs: the hypervisor answers, root's RAM works.
expect_match "still enabled" '"state":"enabled"' "$(warden status --json)"
echo 3 > /proc/sys/vm/drop_caches
warden disable
expect_eq "hypervisor memory readable once disabled" "0x44524157" "$(devmem 0x70000000)"
rmmod warden
