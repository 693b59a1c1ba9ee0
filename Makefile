# SPDX-License-Identifier: GPL-2.0-only
# Warden: one Makefile for every part.
#
#   make            build everything (hypervisor image, module, arm64 and host tools,
#                   demo inmates and guests)
#   make check      build, then run the host unit tests and the VM tests
#   make demo       boot the emulated machine with Warden installed and show it
#   make bench      measure and report figures
#   make fuzz       run every fuzzer for FUZZ_SECONDS (default 300) each, the
#                   hypervisor's from a cell and the stress harness included
#   make install DESTDIR=...   install the arm64 build as a user would have it
#   make deb        build the Debian packages into build/deb/ and run lintian on them
#
# Dependencies (Debian packages, the stock Debian arm64 kernel, its PREEMPT_RT
# sibling and rt-tests) are installed by scripts/deps, which make runs first; it
# is quick when nothing is missing.

TOP := $(CURDIR)
BUILD := $(TOP)/build
# One version for the build and the packages: debian/changelog's (a native package).
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' $(TOP)/debian/changelog)
export WARDEN_VERSION := $(VERSION)

ifeq ($(filter help clean distclean,$(MAKECMDGOALS)),)
DEPS_OUT := $(shell $(TOP)/scripts/deps --print || echo DEPS_FAILED=1)
$(foreach v,$(DEPS_OUT),$(eval $(v)))
ifeq ($(DEPS_FAILED),1)
$(error scripts/deps failed: see the messages above)
endif
endif

KDIR := $(KERNEL_DIR)/build
KVER := $(KERNEL_ABI)-arm64
CROSS := aarch64-linux-gnu-

Q := $(if $(V),,@)
MAKEFLAGS += --no-print-directory

.PHONY: all unit-tests fuzz fuzz-short fuzz-vm hypervisor inmates guests probe kmod tools-arm64 tools-host install deb check check-unit \
	check-vm demo bench clean distclean help kernel-info

all: kernel-info hypervisor inmates guests probe kmod tools-arm64 tools-host

kernel-info:
	@echo "  KERNEL  Debian linux-image-$(KVER) $(KERNEL_VERSION) ($(KERNEL_DIR))"

hypervisor:
	$(Q)$(MAKE) -C hypervisor O=$(BUILD)/hypervisor CROSS=$(CROSS) VERSION=$(VERSION)

# Bare-metal programs for cells (docs/inmates.md): build/inmates/*.bin
inmates:
	$(Q)$(MAKE) -C inmates O=$(BUILD)/inmates CROSS=$(CROSS)

# Operating systems for cells (guests/): linux-demo's initramfs for the
# kernel Warden is built against, from Debian's static busybox and that
# kernel's modules (docs/linux-demo.md); rt-demo's (busybox, cyclictest and
# its libraries, docs/rt-demo.md). All from scripts/deps' cache.
guests:
	$(Q)guests/linux-demo/build $(BUILD)/guests/linux-demo $(KERNEL_DIR)/busybox $(KVER) $(KERNEL_DIR)/modules
	@echo "  GUEST   build/guests/linux-demo/initramfs-$(KVER).cpio.gz"
	$(Q)guests/rt-demo/build $(BUILD)/guests/rt-demo/initramfs.cpio.gz $(KERNEL_DIR)/busybox $(RT_DIR)/root
	@echo "  GUEST   build/guests/rt-demo/initramfs.cpio.gz"

# The GIC probe (tests/probe/, docs/testing.md): build/probe/gic-probe.elf
probe:
	$(Q)$(MAKE) -C tests/probe O=$(BUILD)/probe CROSS=$(CROSS)

# Kbuild writes next to the sources; build in a copy under build/kmod.
kmod:
	$(Q)mkdir -p $(BUILD)/kmod
	$(Q)cp -u kmod/Kbuild kmod/*.c kmod/*.h $(BUILD)/kmod/
	$(Q)$(MAKE) -C $(KDIR) M=$(BUILD)/kmod ARCH=arm64 CROSS_COMPILE=$(CROSS) \
		WARDEN_TOP=$(TOP) WARDEN_VERSION=$(VERSION) modules \
		$(if $(V),V=1,>$(BUILD)/kmod/build.log 2>&1) || \
		{ cat $(BUILD)/kmod/build.log; exit 1; }
	@echo "  KMOD    build/kmod/warden.ko"

tools-arm64:
	$(Q)$(MAKE) -C celld BUILDDIR=$(BUILD)/arm64 CROSS=$(CROSS) VERSION=$(VERSION)

tools-host:
	$(Q)$(MAKE) -C celld BUILDDIR=$(BUILD)/host CROSS= VERSION=$(VERSION)

install: all
	$(Q)test -n "$(DESTDIR)" || { echo "make install needs DESTDIR=..." >&2; exit 2; }
	$(Q)scripts/install "$(DESTDIR)" "$(BUILD)" "$(KVER)"
	@if [ -e "$(DESTDIR)/lib/modules/$(KVER)/modules.builtin" ]; then \
		echo "  DEPMOD  $(KVER) in $(DESTDIR)"; \
	else \
		echo "  NOTE    $(DESTDIR) has no module tree of $(KVER): depmod skipped, run 'depmod $(KVER)' on the target"; \
	fi

# The Debian packages (docs/packaging.md): build/deb/*.deb, checked by lintian.
deb: all
	$(Q)scripts/deb $(BUILD)/deb

# Host tests of code shared with the hypervisor and the module (tests/unit/),
# built with the test registry celld's tests use.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/host/tests/%,$(wildcard tests/unit/test-*.c))
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-D_GNU_SOURCE -Iinclude -Icelld/tests -DWARDEN_VERSION='"$(VERSION)"'

$(BUILD)/host/tests/%: tests/unit/%.c $(wildcard include/warden/*) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(TOP)/%,%,$@)"
	$(Q)gcc $(HOST_CFLAGS) -o $@ $<

# test-hv-* also build hypervisor core code for the host. tests/unit/hv-host
# stands in for hypervisor/lib/inc (types.h from stdint, libc's string.h), and
# hypervisor/core/inc comes after the system directories, so its errno.h never
# hides libc's.
HV_HOST_SRCS := hypervisor/core/pool.c hypervisor/core/paging.c hypervisor/core/ratelimit.c \
	hypervisor/core/vpl011.c hypervisor/core/vpl061.c
HV_HOST_CFLAGS := -Itests/unit/hv-host -idirafter hypervisor/core/inc -idirafter hypervisor/arch/arm64/inc

$(BUILD)/host/tests/test-hv-%: tests/unit/test-hv-%.c $(HV_HOST_SRCS) \
		$(wildcard hypervisor/core/inc/*.h hypervisor/arch/arm64/inc/arch/*.h tests/unit/hv-host/*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(TOP)/%,%,$@)"
	$(Q)gcc $(HOST_CFLAGS) $(HV_HOST_CFLAGS) -o $@ $< $(HV_HOST_SRCS)

# The GIC probe in QEMU (tests/probe/run, which finds the checkout through the link) is one too.
$(BUILD)/host/tests/test-qemu-gic-probe:
	@mkdir -p $(dir $@)
	@echo "  LN      $(patsubst $(TOP)/%,%,$@)"
	$(Q)ln -sfn ../../../tests/probe/run $@

unit-tests: $(UNIT_TESTS) $(BUILD)/host/tests/test-qemu-gic-probe

# Fuzzing: a short run of every libFuzzer target inside make check, a long one as make fuzz.
FUZZ_SECONDS ?= 300
fuzz-short: all
	$(Q)$(MAKE) -C celld BUILDDIR=$(BUILD)/host CROSS= fuzz FUZZ_SECONDS=5

fuzz: all
	$(Q)$(MAKE) -C celld BUILDDIR=$(BUILD)/host CROSS= fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(Q)$(MAKE) fuzz-vm

# The hypervisor fuzzed from inside a cell, then root's stress loop against a
# racing cell, FUZZ_SECONDS each, in the emulated machine (make check runs
# them for 45 s as tests/vm/cases/hv-fuzz.sh and hv-stress.sh). Both run even
# if the first fails.
fuzz-vm: all
	$(Q)st=0; \
	tests/vm/run-case hv-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) || st=1; \
	tests/vm/run-case hv-stress STRESS_SECONDS=$(FUZZ_SECONDS) || st=1; \
	exit $$st

check: all unit-tests fuzz-short deb
	$(Q)tests/run

check-unit: all unit-tests
	$(Q)tests/run --unit

check-vm: all deb
	$(Q)tests/run --vm

demo: all
	$(Q)tests/vm/demo --smp=4 --linux-cell

bench: all
	$(Q)$(MAKE) -C celld BUILDDIR=$(BUILD)/host CROSS= bench
	$(Q)tests/bench/run

clean:
	rm -rf $(BUILD)

distclean: clean

help:
	@sed -n '2,16p' Makefile | sed 's/^# \{0,1\}//'
