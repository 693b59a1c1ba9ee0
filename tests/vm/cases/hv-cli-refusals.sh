# image: initramfs
# `warden enable`, `disable` and `console` refuse with the reason and exit 1,
# and a refusal leaves the hypervisor disabled: a missing file and a
# description with errors never reach the module (located diagnostics); a
# truncated blob and a cell description are refused; disable and console
# without an enabled hypervisor say so; without CAP_NET_ADMIN the three are
# refused with "permission denied".
modprobe warden
module_lines() { dmesg | grep -c 'warden:' || true; }

# run CMD...: sets $rc and $out (stdout and stderr) without stopping the case
run() {
	rc=0
	out=$("$@" 2>&1) || rc=$?
	echo "\$ $* -> $rc"
	echo "$out"
}

# (a) a file that does not exist
before=$(module_lines)
run warden enable /nonexistent/system.yaml
expect_eq "missing file: exit status" 1 "$rc"
expect_match "missing file: named with the cause" \
	'^warden: Failed to open /nonexistent/system.yaml: No such file or directory$' "$out"

# (b) a description with a schema error: located diagnostic, module not asked
printf 'system: bad\nplatform:\n  cpus: 0-3\n  bogus: 1\n' >/tmp/bad.yaml
run warden enable /tmp/bad.yaml
expect_eq "schema error: exit status" 1 "$rc"
expect_match "schema error: located" '^/tmp/bad.yaml:4:3: error\[schema-additional\]: unknown property .bogus.' "$out"
expect_match "schema error: module not asked" 'the module was not asked' "$out"
expect_eq "the module heard of neither" "$before" "$(module_lines)"

# a cell description is not a system description
cat >/tmp/cell.yaml <<'CELL'
cell: demo
cpus: [3]
memory:
  - name: ram
    host: 0x7100_0000
    size: 1M
    access: [read, write, execute]
entry: 0x7100_0000
CELL
run warden enable /tmp/cell.yaml
expect_eq "cell description: exit status" 1 "$rc"
expect_match "cell description: named" 'is a cell description: enable takes the system description' "$out"

# (c) a truncated blob goes to the module, which refuses it with its reason
cellctl compile /usr/share/warden/cells.d/system.yaml -o /tmp/system.bin
head -c 100 /tmp/system.bin >/tmp/truncated.bin
run warden enable /tmp/truncated.bin
expect_eq "truncated blob: exit status" 1 "$rc"
expect_match "truncated blob: the module's reason" '^warden: enable refused: .{8,}' "$out"
reason=${out#warden: enable refused: }
dmesg | grep -qF "warden: $reason" || fail "the module's reason is not in the kernel log: $reason"
echo "ok: the reason is in the kernel log too"

# (d) disable and console when not enabled
run warden disable
expect_eq "disable when disabled: exit status" 1 "$rc"
expect_match "disable when disabled: says so" '^warden: disable refused: .*not enabled' "$out"
run warden console
expect_eq "console when disabled: exit status" 1 "$rc"
expect_match "console when disabled: says so" '^warden: console refused: .*not enabled' "$out"

# without CAP_NET_ADMIN: refused by the kernel before the module, said plainly
grep -q '^nobody:' /etc/passwd || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
for verb in "enable /usr/share/warden/cells.d/system.yaml" disable console; do
	run su -s /bin/sh nobody -c "warden $verb"
	expect_eq "unprivileged ${verb%% *}: exit status" 1 "$rc"
	expect_eq "unprivileged ${verb%% *}: message" \
		"warden: ${verb%% *}: permission denied (needs CAP_NET_ADMIN)" "$out"
done
run su -s /bin/sh nobody -c "warden status"
expect_eq "unprivileged status still works" 0 "$rc"

# usage errors
run warden enable
expect_eq "enable without SYSTEM: usage" 2 "$rc"
run warden status --follow
expect_eq "--follow on status: usage" 2 "$rc"

out=$(warden status)
echo "$out"
expect_match "still disabled" '^State: +disabled$' "$out"
expect_match "json still disabled" '"state": ?"disabled"' "$(warden status --json)"
rmmod warden
dmesg_clean
