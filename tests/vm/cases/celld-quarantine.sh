# image: systemd
# args: --smp=4
# celld reports a quarantined CPU. hostile-direct (mode ap1r-wfi, its mode
# word loaded as a second image) keeps the kick out and waits in WFI on CPU
# 2; `systemctl stop` destroys it, CPU 2 does not stop and stays
# quarantined: the unit ends inactive, its journal says why (crit, catalog
# entry), the Manager's QuarantinedCPUs and celld's status line name CPU 2,
# Linux does not get it back, and another cell still starts and stops.
D=/usr/share/warden/cells.d
printf '\011\0\0\0\0\0\0\0' >/usr/lib/warden/inmates/mode-ap1r-wfi
sed -e 's/^cell: hostile-direct$/cell: stuck/' \
	-e 's|^image: \(.*\)$|image:\n  - \1\n  - { file: /usr/lib/warden/inmates/mode-ap1r-wfi, offset: 0xf0000 }|' \
	$D/hostile-direct.yaml >/etc/cells.d/stuck.yaml
cp $D/hello.yaml /etc/cells.d/
cellctl validate /etc/cells.d/stuck.yaml
systemctl start cell@stuck
wait_until 100 sh -c 'journalctl -u cell@stuck -o cat | grep -q "waiting in WFI"'
expect_match "the cell blocks the kick and waits" 'ICC_AP1R0_EL1 0x1, waiting in WFI' \
	"$(journalctl -u cell@stuck -o cat --no-pager)"
expect_eq "nothing quarantined yet" 's ""' \
	"$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager QuarantinedCPUs)"

systemctl stop cell@stuck
systemctl status cell@stuck --no-pager -l || true
expect_eq "the unit ends inactive" inactive "$(systemctl is-active cell@stuck || true)"
wait_until 50 sh -c '[ "$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager QuarantinedCPUs)" = "s \"2\"" ]'
expect_eq "QuarantinedCPUs" 's "2"' \
	"$(busctl get-property org.warden.cell1 /org/warden/cell1 org.warden.cell1.Manager QuarantinedCPUs)"
journal=$(journalctl -u cell@stuck -p crit --no-pager -o cat)
expect_match "the cell's journal, at crit" 'CPUs 2 did not stop: they stay quarantined until the machine resets' "$journal"
journalctl --update-catalog
expect_match "the catalog explains it" 'no interrupt then' "$(journalctl -u cell@stuck -p crit -x --no-pager)"
expect_match "celld's status line" 'CPUs 2 quarantined' "$(systemctl show -p StatusText celld)"
expect_match "warden status" 'Quarantined CPUs: +2 ' "$(warden status)"
case "$(cat /sys/devices/system/cpu/online)" in
*2*) fail "CPU 2 came back to Linux: $(cat /sys/devices/system/cpu/online)" ;;
esac
systemctl start cell@hello || journalctl -u cell@hello -u celld --no-pager -o cat | tail -20
expect_eq "hello still starts" active "$(systemctl is-active cell@hello)"
systemctl stop cell@hello
dmesg_clean
