// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lookup of kernel symbols that are not exported.
 *
 * Warden uses exported symbols only: kallsyms_lookup_name() itself is not
 * exported since Linux 5.7, but its address can be learnt through the
 * exported kprobe API. It is used for read-only facts the kernel does not
 * export (how the CPUs were booted, KVM's mode), never to patch the kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include "warden.h"

static unsigned long (*ksym_lookup_name)(const char *name);

int warden_ksym_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("cannot find kallsyms_lookup_name through kprobes (error %d); is CONFIG_KPROBES off?\n",
		       ret);
		return ret;
	}
	ksym_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

/**
 * warden_ksym_lookup() - address of a kernel symbol
 * @name: symbol name
 *
 * Return: the address, or 0 when the symbol does not exist.
 */
unsigned long warden_ksym_lookup(const char *name)
{
	return ksym_lookup_name ? ksym_lookup_name(name) : 0;
}
