#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Recipe of the VM rig's busybox initramfs base image (see docs/testing.md).
#
#   initramfs.sh key   KERNEL_DIR KREL      print what, besides this file, the image depends on
#   initramfs.sh build KERNEL_DIR KREL OUT  write OUT (a gzip-compressed newc cpio)
#
# The image holds a static arm64 busybox with its applet links, a usr-merged
# layout (/bin, /sbin, /lib are links into /usr), and /lib/modules/KREL with the
# kernel's module metadata plus the few modules needed to reach the systemd
# image (virtio PCI, virtio-blk, ext4 and their dependencies). Everything that
# changes per run (/init, the command, the project) comes in the run's overlay.
# tests/vm/lib.sh names the cached file after a hash of this file and `key`.
set -euo pipefail
umask 022

# Modules the rig's /init loads before mounting the systemd image (dependencies
# are added from modules.dep; ext4 also needs the crc32c it soft-depends on).
MODULES=(virtio_pci virtio_blk crc32c_generic ext4)
prog=initramfs.sh

die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }

# Run the arm64 busybox on this host (through qemu-user).
bb_host() {
	local bb=$1; shift
	if command -v qemu-aarch64-static >/dev/null; then
		qemu-aarch64-static "$bb" "$@"
	else
		"$bb" "$@"
	fi
}

key() {
	local kdir=$1 krel=$2
	echo "kernel=$(cat "$kdir/version") krel=$krel"
	echo "busybox=$(sha256sum <"$kdir/busybox" | cut -d' ' -f1)"
	echo "modules=${MODULES[*]}"
}

# modules.dep of the whole Debian module tree, made in a scratch directory
# (the kernel package leaves it to its postinst, so the cache has none).
full_moddep() {
	local kdir=$1 krel=$2 scratch=$3 m
	m=$scratch/lib/modules/$krel
	mkdir -p "$m"
	ln -s "$(readlink -f "$kdir/modules")/kernel" "$m/kernel"
	cp "$kdir/modules/modules.builtin" "$kdir/modules/modules.builtin.modinfo" \
		"$kdir/modules/modules.order" "$m/"
	depmod -b "$scratch" "$krel" || die "depmod of $kdir/modules failed"
}

# The module files (paths relative to the modules directory) that MODULES need.
module_closure() {
	local dep=$1 name
	for name in "${MODULES[@]}"; do
		awk -v n="$name" -F: '{ f = $1; sub(/.*\//, "", f); sub(/\.ko$/, "", f); gsub(/-/, "_", f) }
			f == n { print $1; k = split($2, d, " "); for (i = 1; i <= k; i++) print d[i]; found = 1 }
			END { exit !found }' "$dep" || die "module $name not found in $dep"
	done | sort -u
}

build() {
	local kdir=$1 krel=$2 out=$3 tmp root mods f applet dir
	for f in vmlinuz busybox modules/modules.builtin; do
		[ -e "$kdir/$f" ] || die "missing $kdir/$f: run scripts/deps"
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/warden-initramfs.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	root=$tmp/root
	mkdir -p "$root"/usr/{bin,sbin,lib} "$root"/{etc,dev,proc,sys,run,tmp,root,mnt,newroot}
	chmod 1777 "$root/tmp"
	chmod 0700 "$root/root"
	ln -s usr/bin "$root/bin"
	ln -s usr/sbin "$root/sbin"
	ln -s usr/lib "$root/lib"

	install -m 0755 "$kdir/busybox" "$root/usr/bin/busybox"
	bb_host "$kdir/busybox" --list-full >"$tmp/applets" || die "cannot list the busybox applets (qemu-user missing?)"
	while read -r applet; do
		dir=${applet%/*}
		case $dir in
		bin|usr/bin) dir=usr/bin ;;
		sbin|usr/sbin) dir=usr/sbin ;;
		*) continue ;;
		esac
		[ "$applet" = bin/busybox ] || [ "$applet" = usr/bin/busybox ] && continue
		[ -e "$root/$dir/${applet##*/}" ] || ln -s ../bin/busybox "$root/$dir/${applet##*/}"
	done <"$tmp/applets"

	full_moddep "$kdir" "$krel" "$tmp/full"
	module_closure "$tmp/full/lib/modules/$krel/modules.dep" >"$tmp/closure"
	mods=$root/usr/lib/modules/$krel
	mkdir -p "$mods"
	while read -r f; do
		install -D -m 0644 "$kdir/modules/$f" "$mods/$f"
	done <"$tmp/closure"
	cp "$kdir/modules/modules.builtin" "$kdir/modules/modules.builtin.modinfo" \
		"$kdir/modules/modules.order" "$mods/"
	depmod -b "$root" "$krel" || die "depmod of the initramfs modules failed"

	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	printf 'warden\n' >"$root/etc/hostname"
	printf 'PRETTY_NAME="Warden VM rig initramfs"\nID=warden-initramfs\n' >"$root/etc/os-release"

	mkdir -p "$(dirname "$out")"
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$out" ||
		die "cannot write $out"
}

case "${1:-}" in
key) [ $# -eq 3 ] || die "usage: $prog key KERNEL_DIR KREL"; key "$2" "$3" ;;
build) [ $# -eq 4 ] || die "usage: $prog build KERNEL_DIR KREL OUT"; build "$2" "$3" "$4" ;;
*) die "usage: $prog key|build KERNEL_DIR KREL [OUT]" ;;
esac
