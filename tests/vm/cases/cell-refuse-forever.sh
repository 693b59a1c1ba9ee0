# image: initramfs
# Issue 10, class 9: a cooperative cell that denies every shutdown request
# without holding the lock (hostile-refuse). Refusing is the system
# owner's grant (may-refuse in the description, WARDEN_CELL_MAY_REFUSE in
# the blob):
# - granted (its blob with WARDEN_CELL_MAY_REFUSE set, as may-refuse: true
#   compiles; refusing for REFUSE_S seconds): the shutdown is refused, the
#   destroy too, with a message saying its description allows it to
#   refuse, and the cell runs on; once it approves, it goes;
# - not granted (cells.d/hostile-refuse.yaml, refusing forever): after a
#   refused request, root's destroy stops it all the same.
# hello (CPU 3) beats throughout; at the end every CPU is back and the
# hypervisor can be disabled.
D=/usr/share/warden/cells.d
REFUSE_S=8
state() { field "$(warden cell stats hostile-refuse --json)" state; }

modprobe warden
warden enable $D/system.yaml
warden cell run $D/hello.yaml
hb0=$(heartbeat)

# Granted: refusing for REFUSE_S seconds; the destroy is refused meanwhile.
granted_blob $D/hostile-refuse.yaml /tmp/refuse-granted.bin
run_mode /tmp/refuse-granted.bin hostile-refuse $REFUSE_S
t0=$(cut -d' ' -f1 /proc/uptime)
sleep 1
rc=0
out=$(warden cell shutdown hostile-refuse 2>&1) || rc=$?
echo "shutdown (granted): status $rc: $out"
[ $rc -ne 0 ] || fail "the shutdown of a cell that refuses and may refuse succeeded"
expect_match "the shutdown says it refused" 'refused' "$out"
rc=0
out=$(warden cell destroy hostile-refuse 2>&1) || rc=$?
echo "destroy (granted): status $rc: $out"
[ $rc -ne 0 ] || fail "the destroy of a cell that refused and may refuse succeeded"
soft_match "the refusal says its description allows refusing" \
	'may-refuse|(allows|allowed|permits|permitted|grants|granted).*refus' "$out"
expect_eq "it runs on" '"running"' "$(state)"
warden cell stats hostile-refuse

# Its time of refusing over, it approves.
while [ "$(echo "$(cut -d' ' -f1 /proc/uptime) - $t0 < $REFUSE_S + 1" | bc)" = 1 ]; do
	sleep 0.5
done
warden cell shutdown hostile-refuse
warden cell console hostile-refuse
warden cell destroy hostile-refuse

# Not granted: refusing forever, stopped all the same.
warden cell run $D/hostile-refuse.yaml
sleep 1
rc=0
out=$(warden cell shutdown hostile-refuse 2>&1) || rc=$?
echo "shutdown (not granted): status $rc: $out"
warden cell console hostile-refuse
expect_match "it denied the request" 'shutdown request 1: denied' "$(warden cell console hostile-refuse)"
rc=0
out=$(warden cell destroy hostile-refuse 2>&1) || rc=$?
echo "destroy (not granted): status $rc: $out"
[ $rc -eq 0 ] || fail "a cell that may not refuse kept running after its refusal: $out"
echo "ok: not granted: destroyed although it refused"
expect_eq "CPU 2 back in Linux (hello has 3)" "0-2" "$(cat /sys/devices/system/cpu/online)"

expect_beating "$hb0"
stop_hello
expect_all_back
expect_no_soft_fail
