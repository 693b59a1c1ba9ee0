# image: systemd
# args: --smp=4 --linux-cell --timeout=480
# The power button under celld: `systemctl stop cell@linux` presses the
# button of a Linux cell (stock Debian kernel, busybox acpid, see
# cell-power-button); Linux powers off, which answers the request: the unit
# ends inactive and the journal says the cell powered off on request. The
# same guest without acpid ignores the press and is stopped without its
# approval when its shutdown timeout ends, as an inmate that does not
# answer. hello runs next to them and is untouched.
D=/usr/share/warden/cells.d
L=/warden/linux
cp $D/hello.yaml /etc/cells.d/
cell_desc() { # NAME CPU HOST IRQ POWER TIMEOUT
	cat >/etc/cells.d/$1.yaml <<YAML
cell: $1
cpus: [$2]
memory:
  - name: ram
    host: $3
    size: 96M
    access: [read, write, execute, loadable]
irqs: [$4, $(($4 + 1))]
os:
  kernel: $L/Image
  initramfs: $L/initramfs.cpio.gz
  command-line: console=ttyAMA0 panic=-1 nokaslr rdinit=/init power=$5
  uart: {irq: $4}
  power-button: {irq: $(($4 + 1))}
  psci: hvc
shutdown: cooperative
shutdown-timeout: $6
restart: no
YAML
}
cell_desc linux 1 0x7200_0000 96 acpid 60s
cell_desc linux-deaf 2 0x7800_0000 98 ignore 3s
cellctl validate /etc/cells.d/*.yaml
journal() { journalctl -u "cell@$1" --no-pager -o cat; }
ready() { journal "$1" | grep -q 'power-button: ready'; }

systemctl start cell@hello

# --- acpid answers the button
systemctl start cell@linux
wait_until 2400 ready linux
ready linux || { journal linux | tail -n 30; fail "the Linux cell never said it was ready"; }
t0=$(now_cs)
systemctl stop cell@linux
t1=$(now_cs)
echo "systemctl stop cell@linux took $(((t1 - t0) * 10)) ms (wall time, TCG)"
out=$(journal linux)
echo "$out" | tail -n 12
expect_eq "cell@linux inactive" inactive "$(systemctl is-active cell@linux || true)"
expect_match "acpid powered off" 'acpid: KEY_POWER: powering off' "$out"
expect_match "the journal: powered off on request" \
	'Stopped cell linux: it powered off on request \(PSCI SYSTEM_OFF\)' "$out"
expect_eq "CPU 1 back in Linux" "0-2" "$(cat /sys/devices/system/cpu/online)"

# --- a guest that ignores the button: stopped when its shutdown timeout ends
systemctl start cell@linux-deaf
wait_until 2400 ready linux-deaf
ready linux-deaf || { journal linux-deaf | tail -n 30; fail "the deaf Linux cell never said it was ready"; }
systemctl stop cell@linux-deaf
out=$(journal linux-deaf)
echo "$out" | tail -n 6
expect_eq "cell@linux-deaf inactive" inactive "$(systemctl is-active cell@linux-deaf || true)"
expect_match "stopped when its timeout ended" \
	'was stopped without its approval after its shutdown timeout of 3 ?s: it did not answer' "$out"
expect_eq "CPU 2 back in Linux" "0-2" "$(cat /sys/devices/system/cpu/online)"

expect_eq "hello still runs" active "$(systemctl is-active cell@hello)"
expect_match "hello's heartbeat goes on" 'hello: heartbeat' "$(journal hello)"
systemctl stop cell@hello
dmesg_clean
