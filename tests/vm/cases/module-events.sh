# image: initramfs
# Loading and unloading the module reach listeners as events (`warden monitor`
# joins the netlink controller's notify group and the module's events group).
# The monitor first prints the current state (module not loaded), and the
# state after each load.
warden monitor --json >/tmp/events 2>&1 &
mon=$!
sleep 1
modprobe warden
rmmod warden
modprobe warden
for i in $(seq 20); do
	[ "$(grep -c . /tmp/events)" -ge 6 ] && break
	sleep 0.2
done
kill $mon
cat /tmp/events
expect_eq "initial state" '{"event":"module-unloaded"}' "$(sed -n 1p /tmp/events)"
expect_eq "load seen" '{"event":"module-loaded"}' "$(sed -n 2p /tmp/events)"
expect_eq "state after load" '{"event":"state-changed","state":"disabled"}' "$(sed -n 3p /tmp/events)"
expect_eq "unload seen" '{"event":"module-unloaded"}' "$(sed -n 4p /tmp/events)"
expect_eq "second load seen" '{"event":"module-loaded"}' "$(sed -n 5p /tmp/events)"
expect_eq "event count" 6 "$(grep -c . /tmp/events)"
expect_match "still answering" '"state":"disabled"' "$(warden status --json)"
rmmod warden
dmesg_clean
