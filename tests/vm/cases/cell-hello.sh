# image: initramfs
# A cell's whole life: hello is created on CPU 3 (taken from Linux), loaded,
# started; its console reaches `warden cell console`; root keeps working;
# a shutdown request is approved by the cell; destroy gives CPU 3 back to
# Linux and the hypervisor's pool back to where it was.
D=/usr/share/warden/cells.d
modprobe warden
warden enable $D/system.yaml
pool0=$(field "$(warden status --json)" used_pages)

id=$(warden cell create $D/hello.yaml)
expect_eq "first cell id" 1 "$id"
expect_eq "CPU 3 left Linux" "0-2" "$(cat /sys/devices/system/cpu/online)"
warden cell load hello
warden cell start hello
sleep 2.5
out=$(warden cell console hello)
echo "$out"
expect_match "hello greets from CPU 3" 'Hello from cell 1 on CPU 3' "$out"
expect_match "heartbeat lines" 'hello: heartbeat [12]' "$out"

json=$(warden cell list --json)
echo "$json"
expect_match "listed running on CPU 3" '"name":"hello".*"state":"running"' "$json"
expect_match "its CPUs" '"cpus":\[3\]' "$json"
stats=$(warden cell stats hello --json)
hb=$(field "$stats" heartbeat)
[ "$hb" -ge 1 ] || fail "heartbeat counter $hb"
echo "ok: heartbeat counter $hb"

# Root keeps working while the cell runs.
i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done
expect_match "root still enabled" '"state":"enabled"' "$(warden status --json)"

warden cell shutdown hello
i=0
while ! warden cell list --json | grep -q '"state":"shut down"' && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
expect_match "cell approved its shutdown" '"state":"shut down"' "$(warden cell list --json)"
expect_match "it said so" 'hello: shutdown requested' "$(warden cell console hello)"

warden cell destroy hello
expect_eq "no cells" "[]" "$(warden cell list --json)"
expect_eq "CPU 3 back in Linux" "0-3" "$(cat /sys/devices/system/cpu/online)"
expect_eq "pool back to where it was" "$pool0" "$(field "$(warden status --json)" used_pages)"
taskset -c 3 true
warden disable
rmmod warden
dmesg_clean
