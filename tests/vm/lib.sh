# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The VM rig's machinery, shared by tests/vm/run and tests/vm/demo (sourced).
# docs/testing.md describes the images, the overlay, the markers and the exit
# codes; the comments here say how.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_TOP=$(cd "$VM_DIR/../.." && pwd)

# Exit codes besides the command's own status.
VM_EXIT_USAGE=2     # bad options, or no build
VM_EXIT_TIMEOUT=124 # the machine ran out of time
VM_EXIT_NORUN=125   # the machine did not run the command to its end

# Settings; the front ends change them from their options.
vm_prog=tests/vm/run
vm_synopsis="tests/vm/run [OPTIONS] [--] COMMAND..."
vm_image=initramfs      # initramfs | systemd | packages
vm_smp=                 # default: 4 (initramfs), 2 (systemd)
vm_timeout=             # seconds; default: 120 (initramfs), 300 (systemd)
vm_cpu=cortex-a57
vm_gic=3                # QEMU virt "gic-version="; 2 installs systems/qemu-virt-gicv2.yaml
vm_tcg=                 # TCG threads: single (initramfs default) | multi (systemd default)
vm_el2=on               # QEMU virt "virtualization=": EL2 present
vm_keep_going=0         # 1: no oops=panic
vm_linux_cell=0         # 1: a Linux cell's kernel and initramfs in /warden/linux
vm_u_boot=0             # 1: Debian's u-boot-qemu files at /usr/lib/u-boot, as the package puts them
vm_rt_cell=0            # 1: the PREEMPT_RT kernel at /boot/vmlinuz-RT_KERNEL_RELEASE, linked as rt-demo's
vm_verbose=0
vm_build=$VM_TOP/build
vm_interactive=0        # demo on a terminal: console handed to the user
vm_show=                # demo: show script file copied into the guest
vm_qemu_args=()
vm_kernel_args=()
vm_nargs=0              # set by vm_common_option for the front ends

say() { printf '%s: %s\n' "$vm_prog" "$*" >&2; }
die() { # STATUS MESSAGE...
	local rc=$1
	shift
	printf '%s: error: %s\n' "$vm_prog" "$*" >&2
	exit "$rc"
}
vm_usage_error() {
	printf '%s: %s\n' "$vm_prog" "$*" >&2
	printf 'usage: %s (--help for the options)\n' "$vm_synopsis" >&2
	exit "$VM_EXIT_USAGE"
}

# The header comment of the front end, up to its first non-comment line.
vm_help() { # SCRIPT
	sed -n '3,/^[^#]/{/^#/!d; s/^# \{0,1\}//; p}' "$1"
}

# A path as the user knows it: relative to the checkout when inside it.
vm_rel() {
	case $1 in
	"$VM_TOP"/*) echo "${1#"$VM_TOP"/}" ;;
	*) echo "$1" ;;
	esac
}

vm_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "$VM_EXIT_NORUN" "need root for '$*': run as root or install sudo"
	fi
}

# One option both front ends accept, at $1 (its value in $1 after '=' or in
# $2). Sets vm_nargs to the number of words used; 0 when $1 is not one.
# shellcheck disable=SC2034 # vm_nargs is read by the front ends
vm_common_option() {
	local opt=$1 val='' inline=0
	case $opt in
	--*=*) val=${opt#*=} opt=${opt%%=*} inline=1 ;;
	esac
	vm_nargs=1
	case $opt in
	--smp|--timeout|--cpu|--gic|--tcg|--qemu-arg|--kernel-arg|--build-dir)
		if [ "$inline" = 0 ]; then
			[ $# -ge 2 ] || vm_usage_error "option $opt needs a value"
			val=$2
			vm_nargs=2
		fi
		;;
	--no-el2|--keep-going|--linux-cell|--u-boot|--rt-cell|-v|--verbose)
		[ "$inline" = 0 ] || vm_usage_error "option $opt takes no value"
		;;
	esac
	case $opt in
	--smp)
		[[ $val =~ ^[1-9][0-9]?$ ]] || vm_usage_error "--smp wants a CPU count (1-99), not '$val'"
		vm_smp=$val ;;
	--timeout)
		[[ $val =~ ^[1-9][0-9]*$ ]] || vm_usage_error "--timeout wants whole seconds, not '$val'"
		vm_timeout=$val ;;
	--cpu)
		[ -n "$val" ] || vm_usage_error "--cpu wants a QEMU CPU model"
		vm_cpu=$val ;;
	--gic)
		case $val in
		2|3) vm_gic=$val ;;
		*) vm_usage_error "--gic wants 2 or 3, not '$val'" ;;
		esac ;;
	--tcg)
		case $val in
		single|multi) vm_tcg=$val ;;
		*) vm_usage_error "--tcg wants single or multi, not '$val'" ;;
		esac ;;
	--qemu-arg) vm_qemu_args+=("$val") ;;
	--kernel-arg) vm_kernel_args+=("$val") ;;
	--build-dir)
		[ -d "$val" ] || vm_usage_error "--build-dir: no directory '$val'"
		vm_build=$(cd "$val" && pwd) ;;
	--no-el2) vm_el2=off ;;
	--keep-going) vm_keep_going=1 ;;
	--linux-cell) vm_linux_cell=1 ;;
	--u-boot) vm_u_boot=1 ;;
	--rt-cell) vm_rt_cell=1 ;;
	-v|--verbose) vm_verbose=1 ;;
	*) vm_nargs=0 ;;
	esac
}

vm_defaults() {
	# Measured on 2 host cores: single-threaded TCG boots the initramfs
	# fastest (2.3 s against 2.6 s a run), multi-threaded TCG with 2 CPUs the
	# systemd image (13 s against 19 s; 16 s with 4 CPUs).
	case $vm_image in
	initramfs) : "${vm_smp:=4}" "${vm_timeout:=120}" "${vm_tcg:=single}" ;;
	systemd|packages) : "${vm_smp:=2}" "${vm_timeout:=300}" "${vm_tcg:=multi}" ;;
	*) vm_usage_error "--image must be initramfs, systemd or packages, not '$vm_image'" ;;
	esac
}

# How the guest's /init treats the image: the packages image is a systemd one.
vm_mode() {
	case $vm_image in
	packages) echo systemd ;;
	*) echo "$vm_image" ;;
	esac
}

# The cached image a run boots from besides the initramfs (none for it).
vm_root_kind() {
	case $vm_image in
	systemd) echo rootfs ;;
	packages) echo pkgroot ;;
	esac
}

# The build outputs scripts/install takes (the packages image: the .debs of
# make deb); checked first, before anything slow.
vm_check_build() {
	local f
	if [ "$vm_image" = packages ]; then
		if ! compgen -G "$vm_build/deb/*.deb" >/dev/null; then
			printf "%s: no packages found in %s: run 'make deb' first\n" \
				"$vm_prog" "$(vm_rel "$vm_build/deb")" >&2
			exit "$VM_EXIT_USAGE"
		fi
		return 0
	fi
	for f in hypervisor/warden-arm64.bin kmod/warden.ko arm64/bin/celld \
		arm64/bin/cellctl arm64/bin/warden; do
		if [ ! -e "$vm_build/$f" ]; then
			printf "%s: no build found (missing %s): run 'make' first\n" \
				"$vm_prog" "$(vm_rel "$vm_build/$f")" >&2
			exit "$VM_EXIT_USAGE"
		fi
	done
}

# KERNEL_ABI, KERNEL_DIR, WARDEN_CACHE from scripts/deps, and KREL.
vm_load_deps() {
	local out line
	out=$("$VM_TOP/scripts/deps" --print) ||
		die "$VM_EXIT_NORUN" "scripts/deps --print failed (see above)"
	KERNEL_ABI='' KERNEL_DIR='' WARDEN_CACHE='' U_BOOT_DIR='' RT_DIR='' RT_KERNEL_RELEASE=''
	while IFS= read -r line; do
		case $line in
		KERNEL_ABI=*) KERNEL_ABI=${line#*=} ;;
		KERNEL_DIR=*) KERNEL_DIR=${line#*=} ;;
		WARDEN_CACHE=*) WARDEN_CACHE=${line#*=} ;;
		U_BOOT_DIR=*) U_BOOT_DIR=${line#*=} ;;
		RT_DIR=*) RT_DIR=${line#*=} ;;
		RT_KERNEL_RELEASE=*) RT_KERNEL_RELEASE=${line#*=} ;;
		esac
	done <<<"$out"
	if [ -z "$KERNEL_ABI" ] || [ -z "$KERNEL_DIR" ] || [ -z "$WARDEN_CACHE" ]; then
		die "$VM_EXIT_NORUN" "scripts/deps --print did not name KERNEL_ABI, KERNEL_DIR and WARDEN_CACHE"
	fi
	[ -r "$KERNEL_DIR/vmlinuz" ] || die "$VM_EXIT_NORUN" "no kernel at $KERNEL_DIR/vmlinuz: run scripts/deps"
	KREL=$KERNEL_ABI-arm64
	export WARDEN_CACHE # for the recipes' memo of slow key parts
}

# Cached images: $WARDEN_CACHE/images/<kind>-<hash>.<ext>, hash over the
# recipe tests/vm/images/<kind>.sh and what its `key` prints.
vm_image_path() { # KIND
	local kind=$1 recipe=$VM_DIR/images/$1.sh key hash
	key=$("$recipe" key "$KERNEL_DIR" "$KREL") ||
		die "$VM_EXIT_NORUN" "tests/vm/images/$kind.sh key failed"
	hash=$({ cat "$recipe"; printf '%s\n' "$key"; } | sha256sum | cut -c1-16)
	echo "$WARDEN_CACHE/images/$kind-$hash.$(vm_image_ext "$kind")"
}

vm_image_ext() { # KIND
	case $1 in
	initramfs) echo cpio.gz ;;
	rootfs|pkgroot) echo ext4 ;;
	esac
}

# Build the image under a temporary name, then rename: a crash never leaves a
# half image under the final name. A lock serialises concurrent builders.
vm_ensure_image() { # KIND PATH
	local kind=$1 path=$2 dir recipe=$VM_DIR/images/$1.sh tmp lock start
	if [ -e "$path" ]; then
		touch -c "$path" 2>/dev/null || true # last use, for vm_prune_images
		return 0
	fi
	dir=$(dirname "$path")
	mkdir -p "$dir" || die "$VM_EXIT_NORUN" "cannot create $dir"
	exec {lock}>"$dir/.lock" || die "$VM_EXIT_NORUN" "cannot open $dir/.lock"
	if ! flock -n "$lock"; then
		say "waiting for another build in $dir to finish"
		flock "$lock"
	fi
	if [ -e "$path" ]; then
		exec {lock}>&-
		return 0
	fi
	# Whatever a crashed build left behind (the lock says nobody builds now).
	if compgen -G "$dir/.rootfs-build.*" >/dev/null || compgen -G "$dir/*.tmp.*" >/dev/null; then
		say "removing what an interrupted image build left in $dir"
		vm_as_root rm -rf "$dir"/.rootfs-build.* "$dir"/*.tmp.*
	fi
	tmp=$path.tmp.$$
	start=$SECONDS
	case $kind in
	initramfs)
		say "building the initramfs image $(basename "$path") (a few seconds, once)"
		"$recipe" build "$KERNEL_DIR" "$KREL" "$tmp" ||
			{ rm -f "$tmp"; die "$VM_EXIT_NORUN" "building the initramfs image failed (tests/vm/images/initramfs.sh)"; }
		;;
	rootfs|pkgroot)
		say "building the $kind image $(basename "$path") with mmdebstrap (a few minutes, once)"
		vm_as_root "$recipe" build "$KERNEL_DIR" "$KREL" "$tmp" ||
			{ vm_as_root rm -f "$tmp" "$tmp.packages"; die "$VM_EXIT_NORUN" "building the $kind image failed (tests/vm/images/$kind.sh)"; }
		[ "$(id -u)" -eq 0 ] || vm_as_root chown "$(id -u):$(id -g)" "$tmp" "$tmp.packages"
		mv -f "$tmp.packages" "$path.packages"
		;;
	esac
	mv -f "$tmp" "$path" || die "$VM_EXIT_NORUN" "cannot rename $tmp to $path"
	say "built $path in $((SECONDS - start)) s"
	vm_prune_images "$kind" "$dir"
	exec {lock}>&-
}

# Keep the two most recently used images of a kind (another checkout may use
# the older recipe); remove older ones. Called with the lock held.
vm_prune_images() { # KIND DIR
	local f
	local -a old=()
	# shellcheck disable=SC2012 # the names are ours: KIND-HASH.EXT
	mapfile -t old < <(ls -t "$2/$1"-*."$(vm_image_ext "$1")" | tail -n +3)
	for f in "${old[@]}"; do
		say "removing the old image $(basename "$f")"
		rm -f "$f" "$f.packages" || say "warning: cannot remove $f"
	done
}

vm_nonce() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }

# The initramfs has no libc: copy the arm64 libraries the staged programs need
# (tests/vm/libs lists them, from the host's multiarch packages) into ROOT,
# under usr/lib/aarch64-linux-gnu, with the loader where PT_INTERP names it.
vm_add_libs() { # ROOT
	local root=$1 lib interp
	local -a elfs=()
	mapfile -t elfs < <(find "$root/usr/bin" "$root/usr/sbin" "$root/usr/libexec" \
		-type f -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' sh {} \; -print 2>/dev/null)
	[ ${#elfs[@]} -gt 0 ] || return 0
	mkdir -p "$root/usr/lib/aarch64-linux-gnu"
	"$VM_DIR/libs" "${elfs[@]}" >"$vm_tmp/libs" ||
		die "$VM_EXIT_NORUN" "tests/vm/libs could not resolve the libraries of: ${elfs[*]#"$root"/}"
	while read -r lib; do
		cp -L "$lib" "$root/usr/lib/aarch64-linux-gnu/" ||
			die "$VM_EXIT_NORUN" "cannot copy $lib into the overlay"
	done <"$vm_tmp/libs"
	aarch64-linux-gnu-readelf -l "${elfs[@]}" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p' | sort -u |
		while read -r interp; do
			interp=${interp#/}
			interp=usr/${interp#usr/}
			[ -e "$root/$interp" ] && continue
			mkdir -p "$(dirname "$root/$interp")"
			cp -L "/$interp" "$root/$interp" ||
				die "$VM_EXIT_NORUN" "cannot copy the dynamic loader /$interp into the overlay"
		done
}

# modules.dep and friends for the systemd image with the staged updates/ in
# them, made here with the host's depmod over the same Debian module tree the
# image holds (depmod -a inside the emulated guest takes some 15 s).
vm_depmod_rootfs() { # STAGE
	local stage=$1 scratch=$vm_tmp/depmod m f
	m=$scratch/lib/modules/$KREL
	mkdir -p "$m"
	ln -s "$(readlink -f "$KERNEL_DIR/modules")/kernel" "$m/kernel"
	cp "$KERNEL_DIR"/modules/modules.{builtin,builtin.modinfo,order} "$m/"
	if [ -d "$stage/usr/lib/modules/$KREL" ]; then
		cp -a "$stage/usr/lib/modules/$KREL/." "$m/"
	fi
	depmod -b "$scratch" "$KREL" || die "$VM_EXIT_NORUN" "host depmod for the systemd image failed (in $scratch)"
	mkdir -p "$stage/usr/lib/modules/$KREL"
	for f in "$m"/modules.*; do
		case ${f##*/} in
		modules.builtin|modules.builtin.modinfo|modules.order) ;;
		*) cp "$f" "$stage/usr/lib/modules/$KREL/" ;;
		esac
	done
}

# What a cell needs to boot Linux, under STAGE (the root the guest runs, for
# either image): the machine's own kernel as an Image (uncompressed if it came
# gzip'ed) at /boot/vmlinuz-KREL, where Debian installs it and linux-demo's
# description finds it (/boot/vmlinuz-%v), with /warden/linux/Image a link to
# it; and /warden/linux/initramfs.cpio.gz: the static busybox, /init
# (tests/vm/guest/linux-cell-init), the kernel's evdev.ko and gpio_keys.ko
# (for the power button) and busybox acpid's configuration (the recipe in
# docs/description-language.md, "Stopping an OS: the power button").
vm_add_linux_cell() { # STAGE
	local d=$1/warden/linux root=$vm_tmp/linux-cell k m img=$1/boot/vmlinuz-$KREL
	k=$(readlink -f "$KERNEL_DIR/vmlinuz")
	mkdir -p "$d" "$root/bin" "$root/proc" "$root/dev" "$root/sys" "$root/lib/modules" \
		"$root/etc/acpi/PWRF" "$1/boot"
	if gzip -t "$k" 2>/dev/null; then
		gzip -dc "$k" >"$img"
	else
		cp "$k" "$img"
	fi || die "$VM_EXIT_NORUN" "cannot copy the kernel $k into the overlay"
	ln -s "/boot/vmlinuz-$KREL" "$d/Image"
	install -m 0755 "$(readlink -f "$KERNEL_DIR/busybox")" "$root/bin/busybox"
	install -m 0755 "$VM_DIR/guest/linux-cell-init" "$root/init"
	for m in evdev keyboard/gpio_keys; do
		install -m 0644 "$KERNEL_DIR/modules/kernel/drivers/input/$m.ko" "$root/lib/modules/" ||
			die "$VM_EXIT_NORUN" "no $m.ko in $KERNEL_DIR/modules/kernel/drivers/input"
	done
	printf '%s\n' 'EV_KEY 01 KEY_POWER 116 1 button/power PWRF 00000080' >"$root/etc/acpi.map"
	printf '%s\n' 'PWRF PWRF/00000080' >"$root/etc/acpid.conf"
	printf '%s\n' '#!/bin/busybox sh' 'echo "acpid: KEY_POWER: powering off" >/dev/console' \
		'exec /bin/busybox poweroff -f' >"$root/etc/acpi/PWRF/00000080"
	chmod 0755 "$root/etc/acpi/PWRF/00000080"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$d/initramfs.cpio.gz" || die "$VM_EXIT_NORUN" "cannot make the Linux cell's initramfs"
}

# Debian's u-boot-qemu, unpacked by scripts/deps, at the path the package
# gives it on a Debian system: /usr/lib/u-boot/qemu_arm64/u-boot.bin.
vm_add_u_boot() { # OVERLAY
	local f=usr/lib/u-boot/qemu_arm64/u-boot.bin
	[ -r "$U_BOOT_DIR/$f" ] || die "$VM_EXIT_NORUN" "no $f in ${U_BOOT_DIR:-the cache}: run scripts/deps"
	install -D -m 0644 "$U_BOOT_DIR/$f" "$1/$f" ||
		die "$VM_EXIT_NORUN" "cannot copy u-boot.bin into the overlay"
}

# rt-demo's kernel (docs/rt-demo.md): Debian's PREEMPT_RT kernel from
# scripts/deps' cache at /boot/vmlinuz-RELEASE of the root, where the
# package installs it, and the link to it that the installed
# cells.d/rt-demo.yaml names (its initramfs is the build's, which
# scripts/install stages).
vm_add_rt_cell() { # STAGE
	local k
	k=$(readlink -f "$RT_DIR/vmlinuz") ||
		die "$VM_EXIT_NORUN" "no PREEMPT_RT kernel in ${RT_DIR:-the cache}: run scripts/deps"
	[ -e "$vm_build/guests/rt-demo/initramfs.cpio.gz" ] ||
		die "$VM_EXIT_USAGE" "no $(vm_rel "$vm_build")/guests/rt-demo/initramfs.cpio.gz: run make"
	install -D -m 0644 "$k" "$1/boot/vmlinuz-$RT_KERNEL_RELEASE" ||
		die "$VM_EXIT_NORUN" "cannot copy the kernel $k into the overlay"
	# What the kernel hook (guests/rt-demo/kernel-hook) makes on an installed system.
	mkdir -p "$1/usr/lib/warden/guests/rt-demo"
	ln -sfn "/boot/vmlinuz-$RT_KERNEL_RELEASE" "$1/usr/lib/warden/guests/rt-demo/vmlinuz"
}

# The run's overlay cpio: /init, /warden/{env,cmd,runner,show} and the project
# staged by scripts/install (at / for the initramfs, under /warden/stage for
# the systemd image, which /init copies it into). The packages image gets no
# project files, only build/deb/*.deb in /root/debs. Appended to the cached
# base, it reaches the guest as one initramfs.
vm_make_initrd() { # TMPDIR BASE COMMAND OUT
	local tmp=$1 base=$2 cmd=$3 out=$4 ov=$1/overlay stage rows=24 cols=80 pad
	mkdir -p "$ov/warden"
	case $vm_image in
	initramfs) stage=$ov ;;
	systemd|packages) stage=$ov/warden/stage ;;
	esac
	if [ "$vm_image" = packages ]; then
		mkdir -p "$stage/root/debs"
		cp "$vm_build"/deb/*.deb "$stage/root/debs/" ||
			die "$VM_EXIT_NORUN" "cannot copy $(vm_rel "$vm_build/deb")/*.deb into the overlay"
	else
		"$VM_TOP/scripts/install" "$stage" "$vm_build" "$KREL" "$(vm_system)" ||
			die "$VM_EXIT_NORUN" "scripts/install of $(vm_rel "$vm_build") failed"
	fi
	case $vm_image in
	initramfs) vm_add_libs "$ov" ;;
	systemd) vm_depmod_rootfs "$stage" ;;
	esac
	[ "$vm_linux_cell" = 1 ] && vm_add_linux_cell "$stage"
	[ "$vm_u_boot" = 1 ] && vm_add_u_boot "$stage"
	[ "$vm_rt_cell" = 1 ] && vm_add_rt_cell "$stage"
	install -m 0755 "$VM_DIR/guest/init" "$ov/init"
	install -m 0755 "$VM_DIR/guest/runner" "$ov/warden/runner"
	[ -n "$vm_show" ] && install -m 0755 "$vm_show" "$ov/warden/show"
	printf '%s\n' "$cmd" >"$ov/warden/cmd"
	if [ "$vm_interactive" = 1 ]; then
		read -r rows cols < <(stty size 2>/dev/null || echo 24 80)
	fi
	cat >"$ov/warden/env" <<-EOF
	WARDEN_MODE=$(vm_mode)
	WARDEN_GIC=$vm_gic
	WARDEN_NONCE=$vm_nonce
	WARDEN_KREL=$KREL
	WARDEN_INTERACTIVE=$vm_interactive
	WARDEN_ROWS=$rows
	WARDEN_COLS=$cols
	EOF
	(cd "$ov" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
		>"$tmp/overlay.cpio" || die "$VM_EXIT_NORUN" "cpio of the overlay in $ov failed"
	# The kernel takes an uncompressed cpio after a compressed one only at an
	# offset that is a multiple of 4, and skips zeros in between.
	pad=$(( (4 - $(stat -c %s "$base") % 4) % 4 ))
	{ cat "$base" && head -c "$pad" /dev/zero && cat "$tmp/overlay.cpio"; } >"$out" ||
		die "$VM_EXIT_NORUN" "cannot write $out"
}

vm_cmdline() {
	local -a a=(console=ttyAMA0 kvm-arm.mode=none mem=768M panic=-1 quiet)
	[ "$vm_keep_going" = 1 ] || a+=(oops=panic)
	[ "$(vm_mode)" = systemd ] && a+=(systemd.show_status=false systemd.getty_auto=0)
	a+=("${vm_kernel_args[@]}")
	echo "${a[*]}"
}

# The machine's system description: the reference one, or the GICv2 machine's.
vm_system() {
	case $vm_gic in
	3) echo "$VM_TOP/cells.d/system.yaml" ;;
	2) echo "$VM_TOP/systems/qemu-virt-gicv2.yaml" ;;
	esac
}

vm_qemu_cmd() { # INITRD ROOTFS_IMAGE
	vm_qemu=(qemu-system-aarch64
		-M "virt,gic-version=$vm_gic,virtualization=$vm_el2,its=off"
		-cpu "$vm_cpu" -smp "$vm_smp" -m 1G)
	# QEMU tries several -accel in turn: one given with --qemu-arg replaces ours.
	case " ${vm_qemu_args[*]} " in
	*" -accel "*) ;;
	*) vm_qemu+=(-accel "tcg,thread=$vm_tcg") ;;
	esac
	vm_qemu+=(-nographic -no-reboot -nic none
		-kernel "$KERNEL_DIR/vmlinuz" -initrd "$1" -append "$(vm_cmdline)")
	if [ "$(vm_mode)" = systemd ]; then
		# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
		vm_qemu+=(-snapshot -drive "if=none,id=rootfs,format=raw,file=${2//,/,,}"
			-device virtio-blk-pci,drive=rootfs)
	fi
	vm_qemu+=("${vm_qemu_args[@]}")
}

vm_qemu_pid=
vm_tail_pid=
vm_on_signal() { # SIGNAL
	if [ -n "$vm_qemu_pid" ]; then kill -TERM "$vm_qemu_pid" 2>/dev/null || true; fi
	say "interrupted (SIG$1): machine stopped"
	exit $((128 + $(kill -l "$1")))
}

# Run QEMU under timeout with the console in LOG; sets vm_status.
vm_boot() { # LOG
	local log=$1
	: >"$log"
	if [ "$vm_interactive" = 1 ]; then
		# The user's terminal is the serial console; QEMU restores it on exit.
		set +e
		"${vm_qemu[@]}" 2>&1 | tee "$log"
		vm_status=${PIPESTATUS[0]}
		set -e
		return
	fi
	timeout -k 10 "$vm_timeout" "${vm_qemu[@]}" </dev/null >"$log" 2>"$vm_tmp/qemu.err" &
	vm_qemu_pid=$!
	trap 'vm_on_signal INT' INT
	trap 'vm_on_signal TERM' TERM
	if [ "$vm_verbose" = 1 ]; then
		tail -f -n +1 --pid="$vm_qemu_pid" "$log" >&2 &
		vm_tail_pid=$!
	fi
	set +e
	wait "$vm_qemu_pid"
	vm_status=$?
	set -e
	vm_qemu_pid=
	if [ -n "$vm_tail_pid" ]; then
		wait "$vm_tail_pid" 2>/dev/null
		vm_tail_pid=
	fi
	trap - INT TERM
}

# Print the command's output from the console log; write what was found to
# STATUSFILE: "rc N", "running" (begin marker only), "none", "init-error MSG".
vm_extract() { # LOG STATUSFILE
	awk -v n="$vm_nonce" -v sf="$2" '
		{ sub(/\r+$/, "") }
		state == 0 && index($0, "@@WARDEN-INIT-ERROR " n ": ") {
			m = $0; sub(/.*@@WARDEN-INIT-ERROR [^:]*: /, "", m); sub(/@@$/, "", m)
			err = m; next
		}
		state == 0 { if (index($0, "@@WARDEN-OUT-BEGIN " n "@@")) state = 1; next }
		state == 1 {
			i = index($0, "@@WARDEN-RC=")
			if (i && substr($0, i) ~ ("^@@WARDEN-RC=[0-9]+ " n "@@")) {
				rc = substr($0, i + 12); sub(/ .*/, "", rc)
				printf "%s", substr($0, 1, i - 1)
				state = 2; exit
			}
			print
		}
		END {
			if (state == 2) print "rc " rc > sf
			else if (err != "") print "init-error " err > sf
			else if (state == 1) print "running" > sf
			else print "none" > sf
		}' "$1"
}

vm_console_tail() { # LOG
	echo "last console lines:" >&2
	sed 's/\r$//' "$1" | grep -v '^$' | tail -n 30 | sed 's/^/  | /' >&2
}

# Exit as the run ended: the command's status, or a message and 124/125.
vm_conclude() { # LOG STATUSFILE SHOWN_LOG
	local log=$1 kind rest panic when
	read -r kind rest <"$2" || kind=none
	case $vm_status in
	124|137)
		if [ "$kind" = rc ]; then
			exit "$rest" # finished; only the power-off was slow
		fi
		if [ "$kind" = running ]; then
			say "timeout: the command was still running after ${vm_timeout} s (--timeout=$vm_timeout)"
		else
			say "timeout: the machine did not reach the command within ${vm_timeout} s (hung boot?)"
		fi
		vm_console_tail "$log"
		say "full console log: $3"
		exit "$VM_EXIT_TIMEOUT"
		;;
	esac
	[ "$kind" = rc ] && exit "$rest"
	panic=$(sed 's/\r$//' "$log" | grep -m1 'Kernel panic - not syncing' || true)
	if [ -n "$panic" ]; then
		case $kind in
		running) when="while the command ran" ;;
		*) when="before the command started" ;;
		esac
		say "kernel panic $when: ${panic#*Kernel panic - not syncing: }"
	elif [ "$kind" = init-error ]; then
		say "the guest's /init failed: $rest"
	elif [ "$vm_status" -ne 0 ]; then
		say "QEMU failed with status $vm_status"
	elif [ "$kind" = running ]; then
		say "the machine stopped while the command was running (no exit status marker)"
	else
		say "the machine stopped without running the command (no output marker)"
	fi
	vm_console_tail "$log"
	say "full console log: $3"
	exit "$VM_EXIT_NORUN"
}

# EXIT trap: must not fail (under set -e that would replace the exit status).
vm_cleanup() {
	if [ -n "$vm_qemu_pid" ]; then kill -TERM "$vm_qemu_pid" 2>/dev/null || true; fi
	if [ -n "${vm_tmp:-}" ]; then rm -rf "$vm_tmp"; fi
	if [ -n "${vm_run_log:-}" ]; then rm -f "$vm_run_log"; fi
	return 0
}

# Everything after option parsing: images, overlay, boot, output, exit.
vm_main() { # COMMAND
	local cmd=$1 base rootfs='' kind logdir shown status_file t0
	vm_defaults
	vm_check_build
	vm_load_deps
	base=$(vm_image_path initramfs)
	vm_ensure_image initramfs "$base"
	kind=$(vm_root_kind)
	if [ -n "$kind" ]; then
		rootfs=$(vm_image_path "$kind")
		vm_ensure_image "$kind" "$rootfs"
	fi
	vm_tmp=$(mktemp -d "${TMPDIR:-/tmp}/warden-vm.XXXXXX")
	trap vm_cleanup EXIT
	vm_nonce=$(vm_nonce)
	vm_make_initrd "$vm_tmp" "$base" "$cmd" "$vm_tmp/initrd"
	vm_qemu_cmd "$vm_tmp/initrd" "$rootfs"

	logdir=$vm_build/vm
	mkdir -p "$logdir" || die "$VM_EXIT_NORUN" "cannot create $logdir"
	shown=$(vm_rel "$logdir/last-console.log")
	vm_run_log=$(mktemp "$logdir/console.XXXXXX.log")
	[ "$vm_verbose" = 1 ] && say "qemu: ${vm_qemu[*]}"
	[ "$vm_interactive" = 1 ] && say "booting the $vm_image image: leave with 'poweroff' in the guest, or Ctrl-A X"
	t0=$(date +%s%N)
	vm_boot "$vm_run_log"
	[ "$vm_verbose" = 1 ] && say "machine ran $(( ($(date +%s%N) - t0) / 1000000 )) ms, QEMU status $vm_status"
	status_file=$vm_tmp/status
	[ "$vm_interactive" = 1 ] || vm_extract "$vm_run_log" "$status_file"
	if [ -s "$vm_tmp/qemu.err" ]; then
		{ echo "---- QEMU's messages (stderr) ----"; cat "$vm_tmp/qemu.err"; } >>"$vm_run_log"
	fi
	mv -f "$vm_run_log" "$logdir/last-console.log"
	vm_run_log=
	if [ "$vm_interactive" = 1 ]; then
		[ "$vm_status" -eq 0 ] || say "QEMU exited with status $vm_status (console log: $shown)"
		exit "$vm_status"
	fi
	vm_conclude "$logdir/last-console.log" "$status_file" "$shown"
}
