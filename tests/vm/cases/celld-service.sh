# image: systemd
# celld runs as a Type=notify service, owns org.warden.cell1, publishes the
# hypervisor state over D-Bus (and announces its changes), logs its startup
# to the journal, lets only root call methods, and stops cleanly. Its sandbox
# keeps `systemd-analyze security` exposure at 3.0 or below. Here it is
# told not to enable the hypervisor (/etc/warden/celld.conf), so that the
# module can be unloaded under it.
mkdir -p /etc/warden
printf '[Manager]\nEnableHypervisor=no\n' >/etc/warden/celld.conf
systemctl start celld
expect_eq "celld active" active "$(systemctl is-active celld)"
expect_match "module loaded by the unit" '^warden ' "$(cat /proc/modules)"

state=$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState)
expect_eq "HypervisorState over D-Bus" 's "disabled"' "$state"
expect_match "introspection announces changes" 'HypervisorState' \
	"$(busctl introspect org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager)"

# The live interface is the one documented in celld/data (installed with it).
live=$(busctl introspect --xml-interface org.warden.cell1 /org/warden/cell1 |
	sed -n '/<interface name="org.warden.cell1.Manager">/,/<\/interface>/p')
want=$(sed -n '/<interface name="org.warden.cell1.Manager">/,/<\/interface>/p' \
	/usr/share/dbus-1/interfaces/org.warden.cell1.Manager.xml)
expect_eq "introspection matches celld/data/org.warden.cell1.Manager.xml" "$want" "$live"

out=$(cellctl status)
echo "$out"
expect_match "cellctl status shows the state" 'disabled' "$out"
expect_match "cellctl status --json" '"hypervisor_state": ?"disabled"' \
	"$(cellctl status --json)"

journal=$(journalctl -u celld --no-pager -o cat)
expect_match "journal shows celld's startup" 'celld [0-9.]+ starting' "$journal"
expect_match "journal shows the state celld read" 'Hypervisor state: disabled, module [0-9.]+' "$journal"
expect_match "configuration file read" 'Not enabling the hypervisor \(EnableHypervisor=no\)' "$journal"
expect_match "STATUS= set" 'Status: ".*disabled' "$(systemctl status celld --no-pager)"

# Only root may call methods; anyone may read.
expect_match "nobody may read" 's "disabled"' \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState)"
expect_fail "nobody may not call Reload" setpriv --reuid=65534 --regid=65534 --clear-groups \
	busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Reload
busctl call org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager Reload
echo "ok: root may call Reload"

# Unloading the module is announced: celld learns it from nlctrl, no polling.
busctl monitor --match="type=signal,interface=org.freedesktop.DBus.Properties,member=PropertiesChanged,path=/org/warden/cell1" >/tmp/sig 2>&1 &
monitor=$!
sleep 1
rmmod warden
for i in $(seq 20); do
	grep -q unavailable /tmp/sig && break
	sleep 0.5
done
kill $monitor
expect_match "PropertiesChanged announces the new state" 'PropertiesChanged' "$(cat /tmp/sig)"
expect_match "the signal carries it" 'unavailable' "$(cat /tmp/sig)"
expect_eq "HypervisorState after rmmod" 's "unavailable"' \
	"$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState)"
modprobe warden
for i in 1 2 3 4 5 6 7 8 9 10; do
	state=$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager HypervisorState)
	[ "$state" = 's "disabled"' ] && break
	sleep 0.5
done
expect_eq "HypervisorState after modprobe" 's "disabled"' "$state"

# The sandbox (issue 6: exposure at most 3.0, while loading the module and using netlink).
out=$(systemd-analyze security --no-pager celld.service 2>&1 || true)
echo "$out" | tail -n 1
level=$(echo "$out" | sed -n 's/.*Overall exposure level for celld.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || fail "no exposure level in: $(echo "$out" | tail -n 3)"
awk -v l="$level" 'BEGIN { exit !(l <= 3.0) }' || fail "celld.service exposure $level > 3.0"
echo "ok: celld.service exposure $level <= 3.0"

systemctl stop celld
expect_eq "celld stopped" inactive "$(systemctl is-active celld || true)"
expect_eq "clean result" "Result=success" "$(systemctl show -p Result celld)"
