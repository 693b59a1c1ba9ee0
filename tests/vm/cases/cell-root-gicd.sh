# image: initramfs
# machines: gicv2
# args: --kernel-arg=iomem=relaxed
# Root is locked out of a cell's interrupts: the distributor is read-only
# in root's stage 2 and root's writes are checked (GICv3 and GICv2). With
# hello on CPU 3 owning SPI 200, root's writes through /dev/mem can neither
# enable it, nor change its priority, trigger or group, nor route it (or
# its own SPI 201) to another CPU or to the cell's; root's own SPI 201
# still obeys root, and root's interrupts never exit. At destroy SPI 200 is
# root's again, as root had it.
. /warden/env
D=/usr/share/warden/cells.d
GICD=0x08000000
SPI=200
reg() { devmem $((GICD + $1)) "${2:-32}"; }
put() { devmem $((GICD + $1)) "$2" "$3"; }
bit() { echo $(( ($(reg "$1") >> $2) & 1 )); }
route() { # IRQ: its target, as the version spells it
	if [ "$WARDEN_GIC" = 2 ]; then reg $((0x800 + $1)) 8; else reg $((0x6000 + 8 * $1)) 64; fi
}
route_to() { # IRQ CPU
	if [ "$WARDEN_GIC" = 2 ]; then put $((0x800 + $1)) 8 $((1 << $2)); else put $((0x6000 + 8 * $1)) 64 "$2"; fi
}
EN=$((0x100 + 4 * (SPI / 32))) DIS=$((0x180 + 4 * (SPI / 32))) B=$((SPI % 32))
GRP=$((0x80 + 4 * (SPI / 32))) CFG=$((0xc00 + 4 * (SPI / 16))) CB=$((SPI % 16 * 2))

modprobe warden
warden enable /etc/cells.d/system.yaml
before_en=$(bit $EN $B) before_route=$(route $SPI) before_prio=$(reg $((0x400 + SPI)) 8)

# Root's own SPI 201 left routed to CPU 3 (by hand: Linux would move it)
# moves to one of root's CPUs when the cell takes CPU 3.
route_to 201 3
expect_eq "root may route its SPI to CPU 3 while no cell owns it" \
	"$(if [ "$WARDEN_GIC" = 2 ]; then echo 0x08; else echo 0x0000000000000003; fi)" "$(route 201)"

mkdir -p /tmp/c
sed 's/^watchdog: 5s$/watchdog: 5s\nirqs: ['$SPI']/' $D/hello.yaml > /tmp/c/hello.yaml
# ... and root keeps writing that route while the cell is created: each
# write lands before the hypervisor moves the route, or is refused after.
( while :; do route_to 201 3; done ) &
racer=$!
warden cell run /tmp/c/hello.yaml
kill $racer
wait $racer 2>/dev/null || true
r201=$(route 201)
if [ "$WARDEN_GIC" = 2 ]; then
	[ $((r201 & 8)) = 0 ] && [ $((r201)) != 0 ] || fail "root's SPI 201 still targets CPU 3 (targets $r201)"
else
	[ $((r201 & 0xff)) != 3 ] && [ $((r201 >> 31 & 1)) = 0 ] || fail "root's SPI 201 still routed to CPU 3 ($r201)"
fi
echo "ok: root's SPI 201 left CPU 3 with the cell: route $r201"
wait_until 30 console_has hello "heartbeat 1"
route=$(route $SPI) prio=$(reg $((0x400 + SPI)) 8) grp=$(bit $GRP $B) cfg=$(( ($(reg $CFG) >> CB) & 3 ))
echo "SPI $SPI in the cell: route $route, priority $prio, group $grp, trigger $cfg"
dabt0=$(warden status --json | grep -o '"dabt":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s}')

put $EN 32 $((1 << B))
expect_eq "root cannot enable the cell's SPI" 0 "$(bit $EN $B)"
put $((0x400 + SPI)) 8 0
expect_eq "root cannot change its priority" "$prio" "$(reg $((0x400 + SPI)) 8)"
put $CFG 32 0xffffffff
expect_eq "root cannot change its trigger" "$cfg" $(( ($(reg $CFG) >> CB) & 3 ))
put $GRP 32 0
expect_eq "root cannot change its group" "$grp" "$(bit $GRP $B)"
route_to $SPI 0
expect_eq "root cannot route it to CPU 0" "$route" "$(route $SPI)"
dabt1=$(warden status --json | grep -o '"dabt":[0-9]*' | cut -d: -f2 | awk '{s+=$1} END {print s}')
[ "$dabt1" -gt "$dabt0" ] || fail "root's distributor writes did not trap ($dabt0 -> $dabt1)"

# Root's own SPI next to it obeys root, but not towards the cell's CPU.
O=$((SPI + 1))
put $EN 32 $((1 << (O % 32)))
expect_eq "root enables its SPI $O" 1 "$(bit $EN $((O % 32)))"
put $DIS 32 $((1 << (O % 32)))
expect_eq "root disables its SPI $O" 0 "$(bit $EN $((O % 32)))"
route_to $O 1
r1=$(route $O)
route_to $O 3
expect_eq "root cannot route its SPI $O to the cell's CPU 3" "$r1" "$(route $O)"
route_to $O 0

sleep 1
expect_eq "root's interrupts do not exit" "0" "$(warden status --json | grep -o '"irq":[0-9]*' | cut -d: -f2 | sort -u | tr '\n' ' ' | sed 's/ $//')"
console_has hello "heartbeat" || fail "hello stopped"

warden cell destroy hello
expect_eq "SPI $SPI's routing back as root had it" "$before_route" "$(route $SPI)"
expect_eq "SPI $SPI's priority back" "$before_prio" "$(reg $((0x400 + SPI)) 8)"
expect_eq "SPI $SPI's enable back" "$before_en" "$(bit $EN $B)"
put $EN 32 $((1 << B))
expect_eq "root owns SPI $SPI again" 1 "$(bit $EN $B)"
put $DIS 32 $((1 << B))
warden disable
rmmod warden
dmesg_clean
