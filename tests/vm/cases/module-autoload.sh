# image: initramfs
# The tools load warden.ko on demand: looking up the generic netlink family
# "warden" by name makes the kernel request "net-pf-16-proto-16-family-warden",
# the module's alias (modules.alias, from depmod). `warden monitor` only
# watches and loads nothing. When the module cannot be loaded (here: it is not
# installed), the tools say so and where to look.
expect_match "alias in modules.alias" 'alias net-pf-16-proto-16-family-warden warden' \
	"$(cat /lib/modules/$(uname -r)/modules.alias)"
expect_fail "not loaded at boot" grep -q '^warden ' /proc/modules

warden monitor --json >/tmp/events 2>&1 &
mon=$!
wait_until 20 grep -q . /tmp/events
expect_eq "the monitor reports the module unloaded" '{"event":"module-unloaded"}' "$(sed -n 1p /tmp/events)"
expect_fail "the monitor did not load it" grep -q '^warden ' /proc/modules

out=$(warden status)
echo "$out"
expect_match "warden status answered" 'disabled' "$out"
expect_match "loaded on demand" '^warden ' "$(cat /proc/modules)"
expect_match "module announces itself" 'version [0-9.]+ loaded' "$(dmesg | grep warden:)"
wait_until 20 grep -q module-loaded /tmp/events
kill $mon
cat /tmp/events
expect_match "the monitor saw the load" 'module-loaded' "$(cat /tmp/events)"

# Unloaded again, then asked by a cell command: loaded again.
rmmod warden
out=$(warden cell list --json)
echo "$out"
expect_match "loaded again for cell list" '^warden ' "$(cat /proc/modules)"

# Not installed: the lookup still fails, with a message that says why.
rmmod warden
rm "/lib/modules/$(uname -r)/updates/warden.ko"
depmod
err=$(warden status 2>&1) && fail "warden status succeeded without the module installed"
echo "$err"
expect_match "status names the cause" 'warden.ko is not loaded, and loading it on demand failed' "$err"
expect_match "and where to look" "'modprobe warden' and the kernel log say why" "$err"
err=$(warden enable /etc/cells.d/system.yaml 2>&1) && fail "warden enable succeeded without the module"
echo "$err"
expect_match "enable names the cause" '^warden: enable: warden.ko is not loaded, and loading it on demand failed' "$err"
dmesg_clean
