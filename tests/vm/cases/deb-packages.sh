# image: packages
# args: --smp=4 --timeout=1500
# The Debian packages of make deb on a Debian machine with no project files:
# apt installs them from /root/debs, DKMS builds warden.ko against the
# installed kernel's headers (the time is printed) and says it skipped a
# second kernel whose headers are missing, without failing the installation;
# celld.service and cells.target are enabled, not started; the journal
# catalog knows celld's messages (systemd's dpkg trigger). Then `warden
# enable` and `systemctl start cell@hello` run hello on CPU 3. apt purge
# removes everything: no file left that the packages or DKMS made, units and
# catalog entries gone, the module unloads. rt-demo's kernel hook keeps its
# link on the newest PREEMPT_RT kernel in /boot as kernels come and go.
KREL=$(uname -r)
# Everything on the root file system but what apt, dpkg and the rig keep.
files() {
	find / -xdev \( -path /root -o -path /tmp -o -path /var/log -o -path /var/cache \
		-o -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/tmp \) -prune \
		-o -print | sort
}

for f in /usr/bin/warden /usr/sbin/celld /usr/share/warden /usr/lib/firmware/warden-arm64.bin \
	/usr/lib/systemd/system/celld.service "/lib/modules/$KREL/updates"; do
	[ ! -e "$f" ] || fail "the image has $f before the packages are installed"
done
echo "ok: no project files in the image"

# A second, newer kernel whose headers are not installed: DKMS builds for the
# running kernel and the newest one in /boot.
FAKE=6.1.0-999-arm64
mkdir -p "/lib/modules/$FAKE"
mkdir -p /boot
touch "/boot/config-$FAKE"
files >/tmp/files-before

export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
apt install -y ./debs/*.deb </dev/null >/tmp/apt.log 2>&1 ||
	{ cat /tmp/apt.log; fail "apt install of the packages failed"; }
t1=$(date +%s)
cat /tmp/apt.log
echo "apt install took $((t1 - t0)) s"
# DKMS's make.log starts with the date the build started; the file was last
# written when make ended.
log=$(find /var/lib/dkms/warden -name make.log | head -n 1)
[ -n "$log" ] || fail "no make.log of DKMS's build under /var/lib/dkms/warden"
build_s=$(($(stat -c %Y "$log") - $(date -d "$(sed -n 2p "$log")" +%s)))
echo "DKMS build of warden.ko for $KREL: $build_s s ($(nproc) emulated CPUs, $log)"

for p in warden warden-hypervisor warden-dkms warden-demos; do
	expect_eq "$p installed" "install ok installed" "$(dpkg-query -W -f='${Status}' "$p")"
done
expect_match "DKMS built for the running kernel" "Building initial module for $KREL" "$(cat /tmp/apt.log)"
expect_match "DKMS says the headers of $FAKE are missing" \
	"Module build for kernel $FAKE was skipped since the" "$(cat /tmp/apt.log)"
echo "module signed by: $(modinfo -F signer warden) ($(ls /var/lib/dkms))"
expect_match "dkms status" "^warden/[^,]*, $KREL, aarch64: installed" "$(dkms status -m warden 2>/dev/null)"
if [ -e "/lib/modules/$FAKE/updates" ] || ls -d /var/lib/dkms/warden/*/"$FAKE" 2>/dev/null; then
	fail "DKMS built something for $FAKE"
fi
echo "ok: nothing built for $FAKE"
expect_eq "modinfo finds the DKMS module" "/lib/modules/$KREL/updates/dkms/warden.ko" \
	"$(modinfo -F filename warden)"
expect_eq "celld.service enabled" enabled "$(systemctl is-enabled celld.service)"
expect_eq "cells.target enabled" enabled "$(systemctl is-enabled cells.target)"
expect_eq "celld not started by the installation" inactive "$(systemctl is-active celld.service || true)"
catalog_id=a1d5e2c94b7f4e0c8f3b6d2a9c1e7f40
expect_match "journal catalog updated by systemd's trigger" "$catalog_id" \
	"$(journalctl --list-catalog $catalog_id)"

warden enable /etc/cells.d/system.yaml
cp /usr/share/warden/cells.d/hello.yaml /etc/cells.d/
systemctl start cell@hello
expect_eq "cell@hello active" active "$(systemctl is-active cell@hello)"
expect_eq "CPU 3 left Linux" "0-2" "$(cat /sys/devices/system/cpu/online)"
beats() { journalctl -u cell@hello --no-pager -o cat | grep -q 'hello: heartbeat'; }
wait_until 50 beats
beats || fail "no heartbeat of hello in its journal after 5 s"
echo "ok: hello beats in the journal"
systemctl stop cell@hello
warden disable
rm /etc/cells.d/hello.yaml

# rt-demo's kernel link (its kernel hook): none without a PREEMPT_RT kernel;
# then the newest in version order (-1000 after -998, which a plain sort
# gets wrong); after a removal, the one left; none once all are gone.
L=/usr/lib/warden/guests/rt-demo/vmlinuz
[ ! -e "$L" ] && [ ! -L "$L" ] || fail "rt-demo's kernel link without a PREEMPT_RT kernel: $(readlink "$L")"
for r in 6.1.0-998-rt-arm64 6.1.0-1000-rt-arm64; do
	touch "/boot/vmlinuz-$r"
	/etc/kernel/postinst.d/warden-rt-demo "$r"
done
expect_eq "rt-demo's kernel: the newest" /boot/vmlinuz-6.1.0-1000-rt-arm64 "$(readlink "$L")"
rm /boot/vmlinuz-6.1.0-1000-rt-arm64
/etc/kernel/postrm.d/warden-rt-demo 6.1.0-1000-rt-arm64
expect_eq "rt-demo's kernel: the one left" /boot/vmlinuz-6.1.0-998-rt-arm64 "$(readlink "$L")"
rm /boot/vmlinuz-6.1.0-998-rt-arm64
/etc/kernel/postrm.d/warden-rt-demo 6.1.0-998-rt-arm64
[ ! -e "$L" ] && [ ! -L "$L" ] || fail "rt-demo's kernel link outlived the kernels: $(readlink "$L")"
echo "ok: rt-demo's kernel link follows the PREEMPT_RT kernels"

apt purge -y warden warden-hypervisor warden-dkms warden-demos </dev/null >/tmp/purge.log 2>&1 ||
	{ cat /tmp/purge.log; fail "apt purge failed"; }
cat /tmp/purge.log
expect_eq "celld stopped at removal" inactive "$(systemctl is-active celld.service || true)"
rmmod warden
echo "ok: warden.ko unloads"
expect_eq "no package left" "" "$(dpkg-query -W -f='${Package} ${Status}\n' 'warden*' 2>/dev/null || true)"
expect_eq "no unit left" "" "$(systemctl list-unit-files --no-legend 'cell*' 'celld*')"
expect_eq "no catalog entry left" "" "$(journalctl --list-catalog $catalog_id 2>/dev/null || true)"
expect_eq "modules.dep forgets warden" 0 "$(grep -c warden "/lib/modules/$KREL/modules.dep" || true)"
rm -r "/lib/modules/$FAKE" "/boot/config-$FAKE"
# DKMS keeps its own signing key (/var/lib/dkms/mok.*), made at its first build.
files >/tmp/files-after
left=$(comm -13 /tmp/files-before /tmp/files-after | grep -v '^/var/lib/dkms/mok\.' || true)
expect_eq "nothing left behind by the packages" "" "$left"
# deb-systemd-helper's purge also tidies empty .wants directories away (the
# image has an empty getty.target.wants).
gone=$(comm -23 /tmp/files-before /tmp/files-after |
	grep -v -e "$FAKE" -e '^/etc/systemd/system/[^/]*\.wants$' || true)
expect_eq "nothing of the system removed" "" "$gone"
dmesg_clean
