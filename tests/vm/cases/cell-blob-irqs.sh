# image: initramfs
# args: --kernel-arg=iomem=relaxed
# Issue 10, class 4: ownership checked in the hypervisor, not only by the
# description rules. A cell description the rules accept (SPI 100) is
# compiled, and its blob patched to give the cell another interrupt, which
# the rules would refuse: the hypervisor's event SPI (160), root's UART
# (33), an SPI root keeps for a device (34, the RTC), an SPI a running cell
# owns (120, hostile-spi-state), and a PPI (25, the maintenance interrupt). `warden cell create BLOB` sends it as it is;
# each must be refused, with a message that names the interrupt. Root's
# UART and event interrupt stay enabled (devmem), cell events still reach
# root (a shutdown that waits for its event), hello (CPU 3) beats.
#
# Should a blob be accepted, the case destroys that cell and enables the
# UART's and the event's SPI again, so that the rest of the case can still
# report; it fails all the same.
D=/usr/share/warden/cells.d
GICD=0x08000000
enabled() { # SPI: its bit in GICD_ISENABLER
	echo $(($(devmem $((GICD + 0x100 + $1 / 32 * 4))) >> ($1 % 32) & 1))
}

cat >/tmp/blobcell.yaml <<'EOF'
cell: blobcell
cpus: [1]
memory:
  - name: ram
    guest: 0x0
    host: 0x7690_0000
    size: 1M
    access: [read, write, execute, loadable]
irqs: [100]
image: /usr/lib/warden/inmates/hostile-spin.bin
entry: 0x0
console: virtual
shutdown: passive
restart: no
EOF
cellctl validate $D/system.yaml /tmp/blobcell.yaml
cellctl compile /tmp/blobcell.yaml -o /tmp/blobcell.bin
# include/warden/config.h: the 64-byte header, struct warden_cell (64
# bytes since revision 7: num_regions at 84, num_irqs at 88), the 64-byte
# regions, the irqs.
regions=$(u32_at /tmp/blobcell.bin 84)
irq_off=$((128 + 64 * regions))
expect_eq "the blob has one interrupt" 1 "$(u32_at /tmp/blobcell.bin 88)"
expect_eq "the blob's interrupt is where config.h puts it" 100 "$(u32_at /tmp/blobcell.bin $irq_off)"

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)
warden cell run $D/hostile-spi-state.yaml
expect_eq "UART SPI 33 enabled" 1 "$(enabled 33)"
expect_eq "event SPI 160 enabled" 1 "$(enabled 160)"

# The unpatched blob is fine: created, destroyed.
warden cell create /tmp/blobcell.bin
warden cell destroy blobcell
echo "ok: the unpatched blob is accepted"

# refused IRQ WHAT
refused() {
	local rc=0 out
	cp /tmp/blobcell.bin /tmp/patched.bin
	put_u32 /tmp/patched.bin $irq_off "$1"
	out=$(warden cell create /tmp/patched.bin 2>&1) || rc=$?
	echo "interrupt $1 ($2): status $rc: $out"
	if [ $rc -eq 0 ]; then
		soft_fail "a blob giving the cell $2 (interrupt $1) was accepted"
		# Keep root's console and events alive for the rest of the case.
		warden cell destroy blobcell
		devmem $((GICD + 0x104)) 32 $((1 << 1))
		devmem $((GICD + 0x114)) 32 1
		return
	fi
	if ! echo "$out" | grep -qE "[^0-9x]$1([^0-9]|\$)|$(printf '%#x' "$1")"; then
		soft_fail "the refusal of interrupt $1 does not name it: $out"
		return
	fi
	echo "ok: $2 refused with a reason"
}

refused 160 "the hypervisor's event interrupt"
refused 33 "root's UART interrupt"
refused 34 "an SPI root keeps for its RTC (root-cell.irqs)"
refused 120 "an SPI of the running cell hostile-spi-state"
refused 25 "the hypervisor's maintenance interrupt (a PPI)"

expect_eq "UART SPI 33 still enabled" 1 "$(enabled 33)"
expect_eq "event SPI 160 still enabled" 1 "$(enabled 160)"
warden cell destroy hostile-spi-state
expect_beating "$hb0"
# `cell shutdown` waits for the cell's answer as an event from the module.
stop_hello
echo "ok: the shutdown's event reached root"
expect_all_back
expect_no_soft_fail
