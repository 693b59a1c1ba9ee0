# image: initramfs
# args: --kernel-arg=iomem=relaxed
# Issue 10, class 5: interrupt state leaking across owners. Root gives SPI
# 120 (free on QEMU virt) values of its own through the distributor
# (devmem): priority 0xc8, routed to CPU 1. hostile-spi-state, which owns
# it, reconfigures it (priority 0x40, edge, routed to its CPU 2, enabled,
# taken once, pending again) and is destroyed while it holds it so. Root
# must get the SPI back exactly as it had it: group, group modifier,
# enable, pending, active, priority, trigger and routing. hello (CPU 3)
# beats throughout.
D=/usr/share/warden/cells.d
GICD=0x08000000
rd() { devmem $((GICD + $1)) "${2:-32}"; }
# The distributor's registers of SPI 120, one "name=value" each (whole
# words: SPIs 96-127 around it are unused).
spi_regs() {
	echo "IGROUPR3=$(rd 0x8c) IGRPMODR3=$(rd 0xd0c) ISENABLER3=$(rd 0x10c)" \
		"ISPENDR3=$(rd 0x20c) ISACTIVER3=$(rd 0x30c) IPRIORITYR30=$(rd 0x478)" \
		"ICFGR7=$(rd 0xc1c) IROUTER120=$(rd 0x63c0 64)"
}

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)

# Root's own values, not the reset ones, so that "restored" means restored.
devmem $((GICD + 0x478)) 32 $(($(rd 0x478) & ~0xff | 0xc8))
devmem $((GICD + 0x63c0)) 64 0x1
before=$(spi_regs)
echo "root's SPI 120: $before"
expect_match "root's priority set" 'IPRIORITYR30=0x[0-9A-F]{6}C8' "$before"

warden cell run $D/hostile-spi-state.yaml
wait_until 50 console_has hostile-spi-state reconfigured
warden cell console hostile-spi-state
during=$(spi_regs)
echo "the cell's SPI 120: $during"
# The cell did reconfigure it (else this case would prove nothing).
expect_match "the cell's priority" 'IPRIORITYR30=0x[0-9A-F]{6}40' "$during"
expect_match "the cell's routing" 'IROUTER120=0x0*2$' "$during"
expect_match "the cell's trigger (edge)" 'ICFGR7=0x000[2-3]0000' "$during"
expect_match "the cell's enable" 'ISENABLER3=0x01000000' "$during"

warden cell destroy hostile-spi-state
after=$(spi_regs)
echo "root's SPI 120 after the destroy: $after"
wrong=
for r in $before; do
	case " $after " in
	*" $r "*) echo "ok: ${r%%=*} back to root's value" ;;
	*) wrong="$wrong ${r%%=*}" ;;
	esac
done
[ -z "$wrong" ] || fail "not back to root's values:$wrong (root had: $before; now: $after)"

expect_beating "$hb0"
stop_hello
expect_all_back
