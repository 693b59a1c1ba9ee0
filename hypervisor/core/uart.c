// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's virtual UART (WARDEN_CELL_UART): the PL011 of vpl011.c at the
 * cell's uart_base in its MMIO registry. What the cell transmits goes to
 * its console ring, as its console hypercall's bytes do (limited alike);
 * what root writes (WARDEN_HC_CELL_CONSOLE_WRITE) fills the receive FIFO.
 *
 * The interrupt is the cell's own SPI uart_irq, made pending in the
 * distributor and taken back there (GICD_ISPENDR, GICD_ICPENDR): a trapped
 * cell then gets it injected as any of its SPIs, a direct cell takes it
 * itself, and either way the cell's enable, priority and routing of it
 * apply. Software cannot hold an SPI as a level, so the line is emulated:
 * it is made pending whenever MIS gains a bit (even if it still is, so
 * that a bit that came while the cell handled the last one is not lost),
 * and its pending state is cleared when MIS becomes 0 (DR reads that empty
 * the FIFO, ICR, IMSC). Once a trapped cell's CPU took it, clearing comes
 * too late: the cell sees one interrupt with MIS 0, as after a race on
 * hardware. Every step and its effect on the SPI happen under the cell's
 * lock, so the distributor sees them in the model's order.
 */
#include <hv.h>
#include <errno.h>
#include <vpl011.h>

static void uart_line(struct cell *c, const struct vpl011_step *s)
{
	if (s->line == VPL011_LINE_RAISE)
		hv.irqchip->raise(c->cfg->uart_irq);
	else if (s->line == VPL011_LINE_LOWER)
		hv.irqchip->lower(c->cfg->uart_irq);
}

static enum trap_result uart_access(struct cell *c, struct mmio_access *a, void *opaque)
{
	struct vpl011_step s;
	bool ok, notify = false;

	(void)opaque;
	spin_lock(&c->lock);
	ok = vpl011_access(&c->uart, a->offset, a->size, a->write, &a->value, &s);
	if (s.tx)
		cell_console_append(c, (const char *)&s.tx_byte, 1, &notify);
	uart_line(c, &s);
	spin_unlock(&c->lock);
	if (notify)
		notify_root();
	return ok ? TRAP_HANDLED : TRAP_FORBIDDEN;
}

/* At create: the UART's page in the cell's registry (-EBUSY: it overlaps the GIC's). */
int cell_uart_init(struct cell *c)
{
	if (!(c->cfg->flags & WARDEN_CELL_UART))
		return 0;
	vpl011_reset(&c->uart);
	return mmio_register(&c->mmio, c->cfg->uart_base, VPL011_SIZE, WARDEN_FAULT_DEVICE,
			     uart_access, NULL);
}

/* At every start: the UART out of reset, nothing left of the last run. */
void cell_uart_reset(struct cell *c)
{
	if (!(c->cfg->flags & WARDEN_CELL_UART))
		return;
	spin_lock(&c->lock);
	vpl011_reset(&c->uart);
	hv.irqchip->lower(c->cfg->uart_irq);
	spin_unlock(&c->lock);
}

/*
 * WARDEN_HC_CELL_CONSOLE_WRITE: x1 = cell id, x2 = root's buffer, x3 = its
 * size. Returns the bytes the receive FIFO took.
 */
long cell_console_input(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	u8 buf[WARDEN_CONSOLE_WRITE_MAX];
	struct vpl011_step s;
	u64 size = hc->arg[2];
	u32 n;

	if (!c)
		return -ENOENT;
	if (!(c->cfg->flags & WARDEN_CELL_UART))
		return -ENODEV;
	if (size > sizeof(buf))
		return -EINVAL;
	if (READ_ONCE(c->state) != WARDEN_CELL_RUNNING)
		return -EPIPE;
	if (copy_from_root(hc->arg[1], buf, size))
		return -EFAULT;
	spin_lock(&c->lock);
	n = vpl011_receive(&c->uart, buf, (u32)size, &s);
	uart_line(c, &s);
	spin_unlock(&c->lock);
	return n;
}
