# SPDX-License-Identifier: GPL-2.0-only
# Helpers shared by the VM test cases (tests/vm/cases/*.sh). tests/run and
# tests/vm/run-case put this file between tests/vm/assert.sh and the case, so
# it runs in the guest (busybox sh or dash) under `set -e` and may use the
# assertions. A case may redefine `fail` (hv-stress, hv-fuzz): the helpers
# call whichever is defined when they run.

# ---- JSON as warden prints it

# field JSON KEY: KEY's value in compact JSON, as written (strings keep their quotes)
field() { echo "$1" | grep -o "\"$2\":[^,}]*" | head -1 | cut -d: -f2-; }
# num JSON KEY: KEY's number, in compact or spaced JSON ("" when absent)
num() { echo "$1" | grep -o "\"$2\": *[0-9]*" | head -1 | cut -d: -f2 | tr -d ' '; }
# str JSON KEY: KEY's string without its quotes, in compact or spaced JSON
str() { echo "$1" | grep -o "\"$2\": *\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

# ---- time

# now: seconds since boot
now() { cut -d. -f1 /proc/uptime; }
# now_cs: hundredths of a second since boot
now_cs() { cut -d' ' -f1 /proc/uptime | tr -d .; }
# now_ms: milliseconds of the wall clock
# shellcheck disable=SC3028 # busybox ash has $EPOCHREALTIME
now_ms() { echo $(($(echo "$EPOCHREALTIME" | tr -d .) / 1000)); }

# ---- waiting

# wait_until TENTHS COMMAND...: run COMMAND every 0.1 s until it succeeds, TENTHS
# times at most; sets `waited` to the tenths waited (the checks that follow judge)
wait_until() {
	local n=$1
	shift
	waited=0
	while ! "$@" && [ $waited -lt "$n" ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
}
# wait_while TENTHS COMMAND...: the same, for as long as COMMAND succeeds
wait_while() {
	local n=$1
	shift
	waited=0
	while "$@" && [ $waited -lt "$n" ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
}

# ---- cells

# cell_json CELL: CELL's stats as one JSON object ("" when there is no such cell)
cell_json() { warden cell stats "$1" --json 2>/dev/null || true; }
# cell_is CELL STATE: CELL's state is STATE ("running", "shut down", "failed")
cell_is() { [ "$(field "$(warden cell stats "$1" --json 2>/dev/null)" state)" = "\"$2\"" ]; }
# no_cpu_runs CELL: none of CELL's CPUs runs it
no_cpu_runs() { warden cell stats "$1" --json | grep -q '"cpus_running":\[\]'; }
# console_has CELL PATTERN: CELL's console has a line matching PATTERN (grep)
console_has() { warden cell console "$1" | grep -q -- "$2"; }

# run_mode SOURCE CELL MODE: create CELL from SOURCE, load its image and the
# mode word MODE (0-255, 8 bytes at 0xf0000, as the hostile-* inmates read it), start it
run_mode() {
	warden cell create "$1" >/dev/null
	warden cell load "$2"
	printf "\\$(printf %03o "$3")\\0\\0\\0\\0\\0\\0\\0" >/tmp/mode
	warden cell load "$2" /tmp/mode@0xf0000
	warden cell start "$2"
}

# ---- a Linux cell (tests/vm/run --linux-cell)

# linux_cell_yaml POWER [INTERRUPTS]: /tmp/cells/linux.yaml, the machine's own
# kernel and the test initramfs (/warden/linux) on CPU 1, its console on the
# virtual UART (SPI 96) and a power button (SPI 97); POWER is its /init's
# power= (acpid: busybox acpid powers off on KEY_POWER; ignore: nothing does)
linux_cell_yaml() {
	mkdir -p /tmp/cells
	cat >/tmp/cells/linux.yaml <<YAML
cell: linux
description: "Debian's kernel with a power button"
cpus: [1]
memory:
  - name: ram
    host: 0x7200_0000
    size: 128M
    access: [read, write, execute, loadable]
irqs: [96, 97]
os:
  kernel: /warden/linux/Image
  initramfs: /warden/linux/initramfs.cpio.gz
  command-line: console=ttyAMA0 panic=-1 nokaslr rdinit=/init power=$1
  uart: {irq: 96}
  power-button: {irq: 97}
  psci: hvc
interrupts: ${2:-trapped}
shutdown: cooperative
shutdown-timeout: 5s
restart: no
YAML
}

# ---- hello, the neighbour that beats on CPU 3

# heartbeat: hello's heartbeat counter
heartbeat() { field "$(warden cell stats hello --json)" heartbeat; }
# beat_since HB0: hello's heartbeat is past HB0
beat_since() { [ "$(heartbeat)" -gt "$1" ]; }
# expect_beating HB0 [WHEN]: hello's heartbeat has grown since HB0 (WHEN:
# "throughout"). hello beats once a second, so a case quicker than that waits
# up to 3 s for the next beat: a stopped hello still fails.
expect_beating() {
	local hb1
	wait_until 30 beat_since "$1"
	hb1=$(heartbeat)
	[ "$hb1" -gt "$1" ] || fail "hello stopped beating ${2:-throughout} ($1 -> $hb1)"
	echo "ok: hello beat ${2:-throughout} ($1 -> $hb1)"
}
# stop_hello: shut hello down (it approves) and destroy it
stop_hello() {
	warden cell shutdown hello
	warden cell destroy hello
}
# expect_all_back: every CPU online in Linux, the hypervisor disabled, the kernel log clean
expect_all_back() {
	expect_eq "CPUs back" "0-3" "$(cat /sys/devices/system/cpu/online)"
	warden disable
	dmesg_clean
}

# ---- checks after which the case goes on

FAILED=0
# soft_fail MESSAGE: a failed check; the case goes on and fails at expect_no_soft_fail
soft_fail() {
	echo "FAIL: $*" >&2
	FAILED=$((FAILED + 1))
}
# soft_match WHAT PATTERN TEXT: expect_match, as a soft failure
soft_match() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then
		echo "ok: $1 matches '$2'"
	else
		soft_fail "$1: '$2' not found in: $3"
	fi
}
# expect_no_soft_fail: fail if a soft check failed
expect_no_soft_fail() { [ $FAILED -eq 0 ] || fail "$FAILED check(s) failed (above)"; }

# ---- cell blobs (include/warden/config.h)

# u32_at FILE OFFSET: the little-endian 32-bit word at OFFSET
u32_at() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# put_u32 FILE OFFSET VALUE: write VALUE there, little endian
put_u32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 & 255)) $(($3 >> 8 & 255)) \
		$(($3 >> 16 & 255)) $(($3 >> 24 & 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# granted_blob DESC OUT: DESC compiled with WARDEN_CELL_MAY_REFUSE (1 << 2) set in
# struct warden_cell.flags (the 64-byte header, then cpu_set and entry: offset 80)
granted_blob() {
	cellctl compile "$1" -o "$2"
	put_u32 "$2" 80 $(($(u32_at "$2" 80) | 4))
}

# ---- long runs (hv-stress, hv-fuzz); W is the case's work directory

# follow_hv_log: read the hypervisor's log all along into $W/hv.log (a flood
# would overwrite its ring otherwise); sets log_pid
follow_hv_log() {
	warden console -f > $W/hv.log 2> $W/hv.err &
	log_pid=$!
}
# stop_hv_log: stop the reader follow_hv_log started
stop_hv_log() {
	kill $log_pid
	wait $log_pid || true
}
# expect_hv_log_sound [CONTEXT]: no FATAL and no root abort in $W/hv.log (CONTEXT prefixes the failure)
expect_hv_log_sound() {
	if grep -q FATAL $W/hv.log; then
		grep -m 5 FATAL $W/hv.log
		fail "${1:+$1: }FATAL in the hypervisor's log"
	fi
	if grep -qE 'root CPU [0-9]+: (data|instruction) abort' $W/hv.log; then
		grep -m 5 -E 'root CPU [0-9]+: (data|instruction) abort' $W/hv.log
		fail "${1:+$1: }root took aborts: a CPU entered root at a foreign address"
	fi
}

# A warden command that never returns (a CPU stuck in the hypervisor, or
# Linux unable to bring a CPU back) would hold the module's lock and hang
# the case until the machine's timeout. The main loop marks its progress
# with `alive`; a watchdog that sees none for HANG_SECONDS (default 60)
# prints what can be had without the module (blocked tasks, every CPU's
# backtrace, interrupts per CPU, the log read so far) and ends the case. (A
# machine wedged as a whole runs into the timeout instead.)

# alive: the main loop is making progress
alive() { now > $W/alive; }
# hang_evidence: what can be seen of a hang without the module
hang_evidence() {
	echo "---- evidence: CPUs online: $(cat /sys/devices/system/cpu/online)"
	echo "---- evidence: interrupts per CPU"
	head -n 12 /proc/interrupts
	echo "---- evidence: the hypervisor's log read so far (last 40 lines)"
	tail -n 40 $W/hv.log
	echo w > /proc/sysrq-trigger
	echo l > /proc/sysrq-trigger
	sleep 2
	echo "---- evidence: blocked tasks and CPU backtraces (dmesg, last 120 lines)"
	dmesg | tail -n 120
	echo "---- end of evidence"
}
# watchdog MAIN: kill MAIN (the case's shell) after HANG_SECONDS without `alive`; ends at $W/stop
watchdog() {
	local main=$1 age
	while sleep 5; do
		[ ! -e $W/stop ] || exit 0
		age=$(($(now) - $(cat $W/alive)))
		if [ $age -ge ${HANG_SECONDS:-60} ]; then
			echo "FAIL: hung: no progress for $age s (a warden command does not return)"
			hang_evidence
			kill -9 $main
			exit 1
		fi
	done
}
# start_watchdog: mark progress and start the watchdog on this shell
start_watchdog() {
	alive
	watchdog $$ >&2 &
}

# expect_cpus_home POOL0: CPUs 1-3 online (brought back if need be) and under
# the hypervisor, no fatal CPU, the hypervisor's pool at POOL0 pages used
expect_cpus_home() {
	local c status fatal
	for c in 1 2 3; do
		[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 1 ] ||
			echo 1 > /sys/devices/system/cpu/cpu$c/online ||
			fail "CPU $c cannot be brought back online"
	done
	expect_eq "CPUs online" "0-3" "$(cat /sys/devices/system/cpu/online)"
	status=$(warden status --json)
	expect_eq "CPUs under the hypervisor" '"cpus_enabled":[0,1,2,3]' \
		"$(echo "$status" | grep -o '"cpus_enabled":\[[0-9,]*\]')"
	fatal=$(num "$status" fatal_cpus)
	[ -z "$fatal" ] || expect_eq "fatal CPUs" 0 "$fatal"
	expect_eq "pool as before" "$1" "$(num "$status" used_pages)"
}
