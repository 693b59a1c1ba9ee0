# shellcheck shell=sh
# Run inside the systemd image (tests/vm/run --linux-cell) by tests/bench/run:
# linux-demo's figures, one "linux-demo: name<TAB>value" line each, in the
# same boot as root's own. Never asserts: a step that fails prints "failed".
#
#   boot            root's kernel to its user space (systemd-analyze's
#                   "kernel" part) and linux-demo's kernel to its /init (the
#                   cell's own "Run /init" stamp): both Linux's clock in the
#                   same emulated machine. From `systemctl start
#                   cell@linux-demo` to its shell's banner in the journal
#                   (journal stamps, celld's), and to systemctl's return.
#   round trip      a byte written with `warden cell console -i` until the
#                   shell's echo of it is read back (root -> hypervisor ->
#                   UART interrupt -> tty -> ash -> UART -> console ring ->
#                   event interrupt -> root), against the same trip through
#                   uart-demo (bare metal, echoes a line upper-cased) in the
#                   same run; wall clock, 20 each, median and best, and the
#                   ratio of the medians.
#
# With ICOUNT=1 set before it (tests/bench/run's second run, under QEMU's
# -icount), every clock is virtual time and every name ends in " (-icount)".
D=/usr/share/warden/cells.d
N=20
cp $D/linux-demo.yaml $D/uart-demo.yaml /etc/cells.d/
now_us() { echo $(($(date +%s%N) / 1000)); }
stats() { grep -E '^[0-9]+$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%d %d\n", v[int((NR + 1) / 2)], v[1] }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
if [ "${ICOUNT:-0}" = 1 ]; then
	suffix=' (-icount)' clock='virtual time, -icount'
else
	suffix='' clock='wall clock, TCG'
fi
out() { printf 'linux-demo: %s%s\t%s\n' "$1" "$suffix" "$2"; }
# first_us CELL PATTERN: the journal's stamp (us) of CELL's first line matching PATTERN
first_us() { journalctl -u "cell@$1" --no-pager -o short-unix | grep -E -- "$2" | head -1 | cut -d' ' -f1 | tr -d .; }

systemctl start celld || { out "start of celld.service" failed; exit 0; }
k=$(systemd-analyze 2>/dev/null | sed -n 's/.*in \([0-9.]*\)s (kernel).*/\1/p')
out "root: kernel to user space (systemd-analyze)" "${k:-failed} s"

t0=$(now_us)
systemctl start cell@linux-demo || { out "systemctl start cell@linux-demo" failed; exit 0; }
t1=$(now_us)
i=0
while ! journalctl -u cell@linux-demo --no-pager -o cat | grep -q 'built-in shell (ash)' && [ $i -lt 1800 ]; do
	sleep 0.1; i=$((i + 1))
done
banner=$(first_us linux-demo 'built-in shell \(ash\)')
init=$(journalctl -u cell@linux-demo --no-pager -o cat | sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' | head -1)
out "cell: kernel to /init (its own clock)" "${init:-failed} s"
out "systemctl start cell@linux-demo returns" "$(ms $((t1 - t0))) ms"
if [ -n "$banner" ]; then
	out "systemctl start to the shell's banner" "$(ms $((banner - t0))) ms"
else
	out "systemctl start to the shell's banner" failed
fi
[ -n "$init" ] && [ -n "$k" ] &&
	out "cell's kernel to /init / root's kernel to user space" "$(awk -v a="$init" -v b="$k" 'BEGIN { printf "%.2f", a / b }')"

# count TEXT: how often TEXT is in what the console reader printed
count() { grep -o -- "$1" /tmp/rt.out | wc -l; }
# rt_series CELL SEND_FORMAT EXPECT_FORMAT: N times, the microseconds from
# writing SEND to CELL's UART until its console (read back by the same warden
# process) has one more EXPECT; %d is the trip's number modulo 10
rt_series() {
	rm -f /tmp/rt.in /tmp/rt.out
	mkfifo /tmp/rt.in
	warden cell console -i "$1" </tmp/rt.in >/tmp/rt.out 2>/dev/null &
	reader=$!
	exec 3>/tmp/rt.in
	sleep 1
	j=1
	while [ $j -le $N ]; do
		# shellcheck disable=SC2059 # the format is the caller's
		want=$(printf "$3" $((j % 10)))
		have=$(count "$want")
		t0=$(now_us)
		# shellcheck disable=SC2059 # the format is the caller's
		printf "$2" $((j % 10)) >&3
		w=0
		while [ "$(count "$want")" -le "$have" ] && [ $w -lt 2000 ]; do
			sleep 0.002; w=$((w + 1))
		done
		[ $w -lt 2000 ] && echo $(($(now_us) - t0))
		j=$((j + 1))
	done
	printf '\025' >&3	# ^U: the shell forgets the line
	exec 3>&-
	kill $reader 2>/dev/null
	wait $reader 2>/dev/null
}
report_rt() { # NAME TIMES
	# shellcheck disable=SC2046 # the median and the best, two words
	set -- "$1" $(echo "$2" | stats)
	if [ -n "$2" ]; then
		out "$1" "$(ms "$2") ms median, $(ms "$3") ms best ($clock)"
	else
		out "$1" failed
	fi
}
# linux-demo: "x1", "x2"... each echoed by ash's line editor, on one line.
lin=$(rt_series linux-demo 'x%d' 'x%d')
report_rt "console round trip, a byte through its shell" "$lin"
systemctl start cell@uart-demo || out "systemctl start cell@uart-demo" failed
uart=$(rt_series uart-demo 'y%d\r' 'Y%d')
report_rt "the same, through uart-demo (bare metal)" "$uart"
lm=$(echo "$lin" | stats | cut -d' ' -f1) um=$(echo "$uart" | stats | cut -d' ' -f1)
[ -n "$lm" ] && [ -n "$um" ] &&
	out "console round trip, linux-demo / uart-demo (medians)" "$(awk -v a="$lm" -v b="$um" 'BEGIN { printf "%.2f", a / b }')"
systemctl stop cell@linux-demo cell@uart-demo
