// SPDX-License-Identifier: GPL-2.0-only
/*
 * Can the hypervisor have EL2? Checked once, at load, with a log line that
 * names the cause when it cannot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/virt.h>
#include <asm/kvm_host.h>
#include <asm/sysreg.h>
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include "warden.h"
#include "hvc.h"

/*
 * No EL2 at all: the ID register says whether the CPU implements EL2. Linux
 * cannot be asked how the CPUs were booted (__boot_cpu_mode is data, and the
 * Debian kernel's kallsyms has text symbols only), hence the stub probe below.
 */
static int el2_check_implemented(void)
{
	u64 pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1);

	if (!((pfr0 >> ID_AA64PFR0_EL1_EL2_SHIFT) & 0xf)) {
		pr_err("cannot load: no EL2: the CPU does not implement EL2 (ID_AA64PFR0_EL1 %#llx); Warden needs it (QEMU: -M virt,virtualization=on)\n",
		       pfr0);
		return -ENODEV;
	}
	return 0;
}

/*
 * EL2 exists: is Linux's hyp stub there? HVC_RESET_VECTORS is a no-op that
 * returns 0 in the stub; anything else below Linux (a hypervisor running
 * this kernel as a guest) answers differently. Called after the KVM check,
 * because KVM's own stub handler would act on it.
 */
static int el2_check_stub(void)
{
	register unsigned long x0 asm("x0") = HVC_RESET_VECTORS;

	asm volatile("hvc #0" : "+r"(x0) : : "x1", "memory");
	if (x0) {
		pr_err("cannot load: EL2 is not Linux's hyp stub (HVC_RESET_VECTORS answered %#lx): Linux was not started at EL2, or runs under another hypervisor\n",
		       x0);
		return -ENODEV;
	}
	return 0;
}

/* KVM in any mode but "none" owns EL2 (nVHE) or refuses the stub (pKVM). */
static int el2_check_kvm(void)
{
	enum kvm_mode (*get_mode)(void);

	get_mode = (void *)warden_ksym_lookup("kvm_get_mode");
	if (!get_mode)
		return 0;	/* kernel without KVM */
	if (get_mode() != KVM_MODE_NONE) {
		pr_err("cannot load: EL2 is owned by KVM; boot the kernel with kvm-arm.mode=none\n");
		return -EBUSY;
	}
	return 0;
}

/**
 * warden_el2_check() - refuse, with the reason logged, where EL2 cannot be had
 *
 * Return: 0 when EL2 is free for Warden, negative errno otherwise.
 */
int warden_el2_check(void)
{
	int ret;

	if (is_kernel_in_hyp_mode()) {
		pr_err("cannot load: the kernel itself runs at EL2 (VHE); boot it with id_aa64mmfr1.vh=0 or on a CPU without VHE so that EL2 is left to Warden\n");
		return -EBUSY;
	}
	ret = el2_check_implemented();
	if (ret)
		return ret;
	ret = el2_check_kvm();
	if (ret)
		return ret;
	return el2_check_stub();
}

/*
 * The probe: every online CPU installs the image's vectors through the stub,
 * asks the image for its ABI at EL2, and puts the stub back. It proves, before
 * anything depends on it, that the image runs at EL2 on each CPU and that EL2
 * can be given back. The image runs with the EL2 MMU off, so it is copied to
 * physically contiguous memory cleaned to the point of coherency.
 */
struct el2_probe {
	phys_addr_t vectors;
	phys_addr_t stub;
	atomic_t answered;
	atomic_t failed;
	u64 bad_answer;
};

static void el2_probe_cpu(void *arg)
{
	struct el2_probe *p = arg;
	unsigned long abi;

	if (warden_hvc_stub(HVC_SET_VECTORS, p->vectors)) {
		atomic_inc(&p->failed);
		return;
	}
	abi = warden_hvc(WARDEN_HC_GET_VERSION, 0, 0, 0, 0, NULL);
	if (warden_hvc(WARDEN_HC_RESTORE_STUB, p->stub, 0, 0, 0, NULL) || abi != WARDEN_IMAGE_ABI) {
		p->bad_answer = abi;
		atomic_inc(&p->failed);
		return;
	}
	/* The stub is back if it answers its no-op, as before the probe. */
	if (warden_hvc_stub(HVC_RESET_VECTORS, 0)) {
		atomic_inc(&p->failed);
		return;
	}
	atomic_inc(&p->answered);
}

/**
 * warden_el2_probe() - check that the image runs at EL2 on every online CPU
 * @w: module state with the checked image
 *
 * Return: 0, or a negative errno with the cause logged.
 */
int warden_el2_probe(struct warden *w)
{
	struct el2_probe p = { .answered = ATOMIC_INIT(0), .failed = ATOMIC_INIT(0) };
	size_t size = PAGE_ALIGN(w->header.core_size);
	unsigned long stub = warden_ksym_lookup("__hyp_stub_vectors");
	unsigned int online;
	void *mem;

	if (!stub) {
		pr_err("cannot load: symbol __hyp_stub_vectors not found, EL2 could not be given back\n");
		return -ENOENT;
	}
	mem = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!mem)
		return -ENOMEM;
	memcpy(mem, w->image, w->image_size);
	warden_dcache_flush_poc(mem, size);
	p.vectors = virt_to_phys(mem) + w->header.vectors;
	p.stub = __pa_symbol(stub);

	cpus_read_lock();
	online = num_online_cpus();
	on_each_cpu(el2_probe_cpu, &p, 1);
	cpus_read_unlock();
	free_pages_exact(mem, size);

	if (atomic_read(&p.failed)) {
		pr_err("cannot load: the hypervisor image did not answer at EL2 on %d of %u CPUs (answer %#llx)\n",
		       atomic_read(&p.failed), online, p.bad_answer);
		return -EIO;
	}
	pr_info("hypervisor image answered at EL2 on %d CPUs and gave EL2 back\n", atomic_read(&p.answered));
	return 0;
}
