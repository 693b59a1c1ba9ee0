# image: initramfs
# args: --cpu=cortex-a53
# A CPU with a 40-bit physical address range (Cortex-A53; A55 and A76 have
# the same): stage 2 starts at level 1 in two concatenated tables, and the
# whole stack works as on the 44-bit reference CPU: enable, a cell with its
# console and interrupts (gic-demo's timer, an SGI to itself) next to
# hello, a contained fault, destroy, disable. A system placing memory
# beyond 40 bits is refused at enable, naming the range.
D=/usr/share/warden/cells.d
expect_match "the CPU has 40 physical address bits" 'Cortex-A53|0xd03' "$(grep -m1 -iE 'CPU part|model name' /proc/cpuinfo)"
modprobe warden

# Beyond the range: RAM ending past 2^40 (1 TiB).
sed 's/      size: 1G$/      size: 1025G/' $D/system.yaml > /tmp/big.yaml
out=$(warden enable /tmp/big.yaml 2>&1) && fail "RAM beyond 40 bits accepted"
echo "$out"
expect_match "refusal names the range" "beyond the CPU's 40-bit physical address range" "$out"
expect_match "nothing enabled" '"state":"disabled"' "$(warden status --json)"

warden enable $D/system.yaml
pool0=$(field "$(warden status --json)" used_pages)
# hello moves to CPU 2: gic-demo takes CPU 3.
sed 's/^cpus: \[3\]/cpus: [2]/' $D/hello.yaml > /tmp/hello.yaml
warden cell run /tmp/hello.yaml
warden cell run $D/gic-demo.yaml
sleep 2
out=$(warden cell console gic-demo)
echo "$out" | tail -n 5
expect_match "gic-demo's timer interrupts" 'timer latency|timer interrupts' "$out"
expect_match "SGI to itself" 'SGI 1 received on CPU 3' "$out"
expect_match "hello beats" 'hello: heartbeat [12]' "$(warden cell console hello)"
warden cell shutdown gic-demo
warden cell destroy gic-demo
sed 's/^cpus: \[2\]/cpus: [3]/' $D/crash-demo.yaml > /tmp/crash-demo.yaml
warden cell run /tmp/crash-demo.yaml
wait_until 50 cell_is crash-demo failed
expect_match "crash contained" '"name":"crash-demo","state":"failed"' "$(warden cell list --json)"
warden cell destroy crash-demo
warden cell shutdown hello
warden cell destroy hello
expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_eq "pool back" "$pool0" "$(field "$(warden status --json)" used_pages)"
warden disable
dmesg_clean
