# image: initramfs
# `warden cell` refusals that need no working cell: each exits 1 with one
# line naming the cause (2 for usage errors), and none leaves a cell behind.
# With the hypervisor disabled: create is refused by the module ("not
# enabled"), names and ids of cells that do not exist are said to be
# unknown, the list is empty. A description with errors, or a system
# description, never reaches the module (located diagnostics). Without
# CAP_NET_ADMIN the changing commands are refused, listing is not. Enabled,
# with no cells: the same for unknown cells, and a truncated cell blob is
# refused by the module with its reason.
D=/usr/share/warden/cells.d
modprobe warden
module_lines() { dmesg | grep -c 'warden:' || true; }

# run CMD...: sets $rc and $out (stdout and stderr) without stopping the case
run() {
	rc=0
	out=$("$@" 2>&1) || rc=$?
	echo "\$ $* -> $rc"
	echo "$out"
}

# --- the hypervisor disabled: there are no cells -----------------------------
run warden cell list
expect_eq "list, disabled: exit status" 0 "$rc"
expect_eq "list, disabled: no cells" "No cells." "$out"
run warden cell list --json
expect_eq "list --json, disabled: exit status" 0 "$rc"
expect_eq "list --json, disabled: empty array" "[]" "$out"

run warden cell create $D/hello.yaml
expect_eq "create, disabled: exit status" 1 "$rc"
expect_match "create, disabled: says so" \
	'^warden: cell create refused: the hypervisor is not enabled' "$out"
run warden cell run hello
expect_eq "run by name, disabled: exit status" 1 "$rc"
expect_match "run by name, disabled: says so" '^warden: cell run refused: the hypervisor is not enabled' "$out"

run warden cell start nosuch
expect_eq "start nosuch: exit status" 1 "$rc"
expect_eq "start nosuch: unknown cell" \
	"warden: cell start: no cell 'nosuch' (the hypervisor is not enabled)" "$out"
run warden cell destroy 7
expect_eq "destroy 7: exit status" 1 "$rc"
expect_eq "destroy 7: unknown id" "warden: cell destroy: no cell with id 7 (the hypervisor is not enabled)" "$out"
for verb in load shutdown stats console; do
	run warden cell $verb nosuch
	expect_eq "$verb nosuch: exit status" 1 "$rc"
	expect_match "$verb nosuch: unknown cell" "^warden: cell $verb: no cell 'nosuch'" "$out"
done
run warden cell start a-name-longer-than-thirty-one-chars
expect_eq "a name too long: exit status" 1 "$rc"
expect_match "a name too long: said" "no cell 'a-name-longer-than-thirty-one-chars' \\(cell names have at most 31" "$out"

# --- descriptions that never reach the module ---------------------------------
before=$(module_lines)
printf 'cell: bad\ncpus: [2]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n    size: 1M\n    bogus: 1\n' >/tmp/bad.yaml
run warden cell create /tmp/bad.yaml
expect_eq "invalid cell: exit status" 1 "$rc"
expect_match "invalid cell: located" '^/tmp/bad.yaml:7:5: error\[schema-additional\]: unknown property .bogus.' "$out"
expect_match "invalid cell: module not asked" '^warden: /tmp/bad.yaml: [0-9]+ errors? in the description; the module was not asked$' "$out"

# checked against the machine's description, as `cellctl validate` does
cat >/tmp/cpu9.yaml <<'CELL'
cell: cpu9
cpus: [9]
memory:
  - name: ram
    host: 0x7100_0000
    size: 1M
    access: [read, write, execute]
entry: 0x7100_0000
CELL
run warden cell create /tmp/cpu9.yaml
expect_eq "CPU 9: exit status" 1 "$rc"
expect_match "CPU 9: the machine has none" 'error\[cpu\]: CPU 9 does not exist on this platform' "$out"

run warden cell create $D/system.yaml
expect_eq "system description: exit status" 1 "$rc"
expect_eq "system description: named" \
	"warden: $D/system.yaml is a system description: cell create takes a cell description" "$out"
run warden cell create nosuch
expect_eq "no description: exit status" 1 "$rc"
expect_match "no description: where it was looked for" \
	"^warden: nosuch: no such file, and no description of cell 'nosuch' in /etc/cells.d, /run/cells.d, /usr/lib/cells.d or /usr/share/warden/cells.d$" "$out"
run warden cell create /nonexistent/cell.yaml
expect_eq "missing file: exit status" 1 "$rc"
expect_eq "missing file: named" "warden: Failed to open /nonexistent/cell.yaml: No such file or directory" "$out"
expect_eq "the module heard of none of them" "$before" "$(module_lines)"

# --- usage errors ---------------------------------------------------------------
run warden cell
expect_eq "no cell command: usage" 2 "$rc"
expect_match "no cell command: said" "^warden: missing cell command$" "$out"
run warden cell bogus
expect_eq "unknown cell command: usage" 2 "$rc"
expect_match "unknown cell command: said" "^warden: unknown cell command 'bogus'$" "$out"
run warden cell start
expect_eq "start without CELL: usage" 2 "$rc"
expect_match "start without CELL: said" "^warden: too few arguments for 'cell start'$" "$out"
run warden cell create a.yaml b.yaml
expect_eq "create with two: usage" 2 "$rc"
run warden cell start hello --json
expect_eq "--json on start: usage" 2 "$rc"
run warden cell list -f
expect_eq "-f on list: usage" 2 "$rc"

# --- without CAP_NET_ADMIN ---------------------------------------------------------
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
run su -s /bin/sh nobody -c "warden cell create $D/hello.yaml"
expect_eq "unprivileged create: exit status" 1 "$rc"
expect_match "unprivileged create: said" '^warden: cell create: permission denied \(needs CAP_NET_ADMIN\)$' "$out"
run su -s /bin/sh nobody -c "warden cell list --json"
expect_eq "unprivileged list works" 0 "$rc"
expect_eq "unprivileged list: empty" "[]" "$out"

# --- enabled, with no cells ------------------------------------------------------
warden enable $D/system.yaml
run warden cell list --json
expect_eq "list, enabled: empty array" "[]" "$out"
run warden cell start nosuch
expect_eq "start nosuch, enabled: exit status" 1 "$rc"
expect_eq "start nosuch, enabled: unknown cell" "warden: cell start: no cell 'nosuch'" "$out"
run warden cell destroy 42
expect_eq "destroy 42, enabled: exit status" 1 "$rc"
expect_eq "destroy 42, enabled: unknown id" "warden: cell destroy: no cell with id 42" "$out"

cellctl compile $D/hello.yaml -o /tmp/hello.bin 2>/dev/null
head -c 100 /tmp/hello.bin >/tmp/truncated.bin
run warden cell create /tmp/truncated.bin
expect_eq "truncated blob: exit status" 1 "$rc"
expect_match "truncated blob: the module's reason" '^warden: cell create refused: cell blob refused at offset [0-9]+' "$out"
reason=${out#warden: cell create refused: }
dmesg | grep -qF "warden: $reason" || fail "the module's reason is not in the kernel log: $reason"
echo "ok: the reason is in the kernel log too"

expect_eq "still no cells" "[]" "$(warden cell list --json)"
expect_eq "every CPU still Linux's" "0-3" "$(cat /sys/devices/system/cpu/online)"
warden disable
rmmod warden
dmesg_clean
