# image: systemd
# args: --smp=4 --linux-cell --timeout=1500
# 10 start/stop cycles of linux-demo under celld leak nothing: after each
# stop, CPUs 1-2 are back in Linux and the hypervisor's page pool is where
# it was; over the 10, unreclaimable slab, free memory and celld's resident
# memory do not grow (after 2 cycles of warm-up, with the margins of
# hv-cycles: kernel counters are noisy here). Each cycle boots the cell to
# its user space (/etc/init.d/rcS's line in the journal) before the stop.
# Starting and stopping any unit costs the kernel slab of its own (systemd's
# cgroups, which die lazily), so the slab figure is compared with 10 cycles
# of cell@hello in the same boot: linux-demo's growth minus hello's. The
# journal is volatile here (tmpfs): each boot's log, about 180 kB of it,
# takes free memory for good, so the journal's growth is taken out of the
# free memory figure.
D=/usr/share/warden/cells.d
cp $D/linux-demo.yaml $D/hello.yaml /etc/cells.d/
kb() { grep "^$1:" /proc/meminfo | awk '{print $2}'; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$(systemctl show -P MainPID celld)/status"; }
journal() { journalctl -u cell@linux-demo --no-pager -o cat; }
boots() { journal | grep -cE '^linux-demo: Linux [^ ]+ on 2 CPUs' || true; }
booted() { [ "$(boots)" -ge "$1" ]; }
pool() { num "$(warden status --json)" used_pages; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }
# journal_kb: what the volatile journal takes, in kB
journal_kb() { du -sk /run/log/journal | cut -f1; }
# slabs: "NAME BYTES" of every cache, active objects times their size
slabs() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo | sort; }
# slab_growth BEFORE AFTER: the five caches that grew most, in kB
slab_growth() {
	join "$1" "$2" | awk '{ d = ($3 - $2) / 1024; if (d > 0) printf "%s +%d kB\n", $1, d }' |
		sort -t+ -k2 -rn | head -n 5
}

cycle() { # N
	systemctl start cell@linux-demo
	wait_until 1800 booted "$1"
	[ "$(boots)" -ge "$1" ] || { journal | tail -n 30; fail "cycle $1: linux-demo did not reach its user space"; }
	systemctl stop cell@linux-demo
	expect_eq "cycle $1: stopped" inactive "$(systemctl is-active cell@linux-demo)"
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] ||
		fail "cycle $1: CPUs online $(cat /sys/devices/system/cpu/online), not 0-3"
}

systemctl start celld
# The control: 2 cycles of cell@hello to warm up, then 10 measured.
for i in 1 2; do systemctl start cell@hello; systemctl stop cell@hello; done
settle
h0=$(kb SUnreclaim)
for i in 1 2 3 4 5 6 7 8 9 10; do systemctl start cell@hello; systemctl stop cell@hello; done
settle
h1=$(kb SUnreclaim)
echo "SUnreclaim over 10 cycles of cell@hello: $h0 -> $h1 kB"

pool0=$(pool)
cycle 1
cycle 2
expect_eq "the pool after 2 cycles" "$pool0" "$(pool)"
settle
slab0=$(kb SUnreclaim) free0=$(kb MemFree) rss0=$(rss) jour0=$(journal_kb)
slabs >/tmp/slabs0

i=3
while [ $i -le 12 ]; do
	cycle $i
	[ "$(pool)" = "$pool0" ] || fail "cycle $i: the pool uses $(pool) pages, $pool0 before"
	i=$((i + 1))
done
echo "ok: 10 cycles, the pool at $pool0 pages and CPUs 1-2 back after each"

settle
slab1=$(kb SUnreclaim) free1=$(kb MemFree) rss1=$(rss) jour1=$(journal_kb)
slabs >/tmp/slabs1
echo "SUnreclaim $slab0 -> $slab1 kB, MemFree $free0 -> $free1 kB, the journal $jour0 -> $jour1 kB, celld's VmRSS $rss0 -> $rss1 kB"
echo "caches that grew most:"
slab_growth /tmp/slabs0 /tmp/slabs1
grow=$(((slab1 - slab0) - (h1 - h0)))
[ $grow -lt 320 ] ||
	fail "unreclaimable slab grew by $((slab1 - slab0)) kB over 10 cycles, $grow kB more than over 10 of cell@hello"
lost=$(((free0 - free1) - (jour1 - jour0)))
[ $lost -lt 8192 ] ||
	fail "free memory shrank by $((free0 - free1)) kB over 10 cycles, $lost kB more than the journal grew"
[ $((rss1 - rss0)) -lt 512 ] || fail "celld's resident memory grew by $((rss1 - rss0)) kB over 10 cycles"
echo "ok: no growth in kernel or celld memory"
expect_eq "12 boots in the journal" 12 "$(boots)"
dmesg_clean
