# image: initramfs
# args: --kernel-arg=iomem=relaxed
# Issue 10, class 8: root wedging a cell. With /dev/mem open to claimed
# regions (iomem=relaxed), root writes to the redistributor of a cell's CPU
# (hostile-spin, CPU 2, a passive cell that never traps: only the
# hypervisor's kick stops it): GICR_ICENABLER0 with bit 15, the kick SGI.
# The redistributors of cells' CPUs are the hypervisor's control path, not
# root's: the write must fault (SIGBUS, status 135), as must one setting
# GICR_WAKER.ProcessorSleep, and the cell must still be destroyable. Once CPU 2 is root's again, so is its
# redistributor: Linux brings the CPU online and root reads the frame.
# Root's own CPUs' frames stay root's throughout. hello (CPU 3) beats.
D=/usr/share/warden/cells.d
GICR=0x080a0000
STRIDE=0x20000
frame() { echo $((GICR + $1 * STRIDE)); }

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)
warden cell run $D/hostile-spin.yaml
sleep 0.5
warden cell console hostile-spin

# Root's own CPU 1: its frame is root's (GICR_TYPER, Aff0 in bits 32-39).
expect_match "root reads its CPU 1's frame" '^0x0*1[0-9A-F]{8}$' "$(devmem $(($(frame 1) + 8)) 64)"

# write_faults WHAT OFFSET VALUE: root's 32-bit write of VALUE at OFFSET in
# CPU 2's frame must get SIGBUS (status 135). Not fatal at once: whether the
# cell can still be destroyed says more.
write_faults() {
	local rc=0
	devmem $(($(frame 2) + $2)) 32 "$3" || rc=$?
	if [ $rc -eq 135 ]; then
		echo "ok: root's write to CPU 2's $1 got SIGBUS"
	else
		echo "FAIL: root's write to CPU 2's $1: status $rc, expected 135 (SIGBUS)" >&2
		wrote=1
	fi
}
write_faults "GICR_ICENABLER0 (the kick SGI)" 0x10180 0x8000
# GICR_WAKER.ProcessorSleep would put CPU 2's redistributor to sleep: no
# interrupt, the kick included, would reach the CPU.
write_faults GICR_WAKER 0x14 0x2
rc=0
out=$(devmem $(($(frame 2) + 0x10100)) 32) || rc=$?
echo "root's read of CPU 2's GICR_ISENABLER0: status $rc ${out:+($out)}"

rc=0
out=$(warden cell destroy hostile-spin 2>&1) || rc=$?
[ $rc -eq 0 ] || fail "hostile-spin could not be destroyed after root's write: $out"
echo "ok: hostile-spin destroyed"
expect_eq "CPU 2 back in Linux (hello has 3)" "0-2" "$(cat /sys/devices/system/cpu/online)"
expect_match "root reads CPU 2's frame again" '^0x0*2[0-9A-F]{8}$' "$(devmem $(($(frame 2) + 8)) 64)"
warden console | grep -E 'root CPU [0-9]+: data abort' | tail -n 3

expect_beating "$hb0"
stop_hello
expect_all_back
[ -z "${wrote:-}" ] || fail "root could write a cell CPU's redistributor"
