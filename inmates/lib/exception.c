// SPDX-License-Identifier: MIT
/*
 * Start-up and end of an inmate, and what happens on exceptions.
 *
 * An exception the program did not ask for is its last act: it is reported
 * on the console with the syndrome decoded, and the cell powers off. A
 * stage-2 fault (an access outside the cell's memory) normally never gets
 * here: the hypervisor takes it at EL2 and fails the cell. This catches
 * what the cell does to itself (an undefined instruction, an unaligned
 * access to Device memory) and aborts the hypervisor injects.
 */
#include "internal.h"

const char inmate_name[] __weak = "inmate";

/*
 * 0: normal; 1: a fatal condition is being reported; 2: an exception while
 * reporting or powering off (try SYSTEM_OFF once more, silently); 3: park.
 */
static unsigned int fatal_depth;

void inmate_lib_init(void)
{
	timer_init();
}

void __noreturn inmate_exit(int ret)
{
	printf("%s: finished (%d), powering off\n", inmate_name, ret);
	inmate_halt();
}

/* Nothing works any more (SYSTEM_OFF itself faulted): wait for root to destroy the cell. */
static void __noreturn park(void)
{
	for (;;)
		asm volatile("wfi");
}

void __noreturn inmate_halt(void)
{
	bool told = false;

	for (;;) {
		if (fatal_depth >= 3)
			park();
		int ret = psci_system_off();
		u64 deadline;

		if (!told && fatal_depth < 2)
			printf("%s: SYSTEM_OFF returned %d (%s); waiting to be shut down\n",
			       inmate_name, ret, psci_strerror(ret));
		told = true;
		deadline = timer_deadline_us(1000000);
		while (!timer_passed(deadline)) {
			if (fatal_depth < 2)
				comm_poll_shutdown("shutdown requested: approving");
			udelay(1000);
		}
	}
}

void __noreturn inmate_panic(const char *fmt, ...)
{
	va_list ap;

	if (fatal_depth++ == 0) {
		printf("%s: ", inmate_name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	inmate_halt();
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "undefined instruction";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access";
	case 0x20:
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24:
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default:   return "exception";
	}
}

static void report(const struct exception_frame *f, unsigned long index)
{
	static const char *const type[] = { "synchronous", "IRQ", "FIQ", "SError" };
	static const char *const from[] = { "EL1t", "EL1h", "EL0 (AArch64)", "EL0 (AArch32)" };
	unsigned int ec = (f->esr >> 26) & 0x3f;

	printf("%s: unexpected %s exception from %s on CPU %u: %s\n", inmate_name,
	       type[index & 3], from[(index >> 2) & 3], cpu_id(),
	       (index & 3) == 0 ? ec_name(ec) : "-");
	printf("%s:   ESR_EL1 0x%08llx (EC 0x%02x ISS 0x%07llx) ELR_EL1 0x%llx FAR_EL1 0x%llx\n",
	       inmate_name, f->esr, ec, f->esr & 0x1ffffff, f->elr, f->far);
	if ((index & 3) == 0 && (ec == 0x24 || ec == 0x25 || ec == 0x20 || ec == 0x21))
		printf("%s:   %s at 0x%llx, fault status 0x%02llx%s\n", inmate_name,
		       ec >= 0x24 ? ((f->esr & BIT(6)) ? "write" : "read") : "fetch", f->far,
		       f->esr & 0x3f, (f->esr & 0x3f) == 0x10 ? " (synchronous external abort)" : "");
}

void inmate_exception(struct exception_frame *f, unsigned long index)
{
	if (fatal_depth >= 2)
		park();
	if ((index & 3) == 1 && fatal_depth == 0) {
		inmate_irq(f);
		return;
	}
	if (fatal_depth++ == 0)
		report(f, index);
	inmate_halt();
}

/*
 * Interrupts stay masked unless a program unmasks them. The GIC module
 * (lib/gic.c, linked when a program uses it) replaces this with its
 * handler: acknowledge (ICC_IAR1_EL1), dispatch, end (ICC_EOIR1_EL1).
 */
void __weak inmate_irq(struct exception_frame *f)
{
	(void)f;
	inmate_panic("unexpected IRQ on CPU %u (no interrupt handler)", cpu_id());
}
