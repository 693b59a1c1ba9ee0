// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's power button (WARDEN_CELL_POWER_BUTTON): the PL061 of vpl061.c
 * at the cell's button_base in its MMIO registry, its input line
 * WARDEN_BUTTON_LINE held high while the button is pressed. The cell's
 * device tree (celld's guest-dt.c) names that line a gpio-keys key with
 * KEY_POWER, so that an OS with no Warden driver hears a shutdown request
 * as a press of its power button.
 *
 * The press is held from the request until the cell stops, and released
 * only by the next start's reset. Linux's gpio-keys reads the line's level
 * some milliseconds after the edge (its debounce work) and reports that
 * level: a press released at once would be read as released and reported
 * as nothing. Held, it is reported once as a press, with no release and no
 * repeat (the key has no autorepeat). A second request while it is held
 * changes nothing.
 *
 * The interrupt is the cell's own SPI button_irq, raised and taken back in
 * the distributor as the virtual UART's is (uart.c explains why that is
 * safe for trapped and direct cells alike); every step and its effect on
 * the SPI happen under the cell's lock.
 */
#include <hv.h>
#include <errno.h>
#include <vpl061.h>

static void button_line(struct cell *c, u32 line)
{
	if (line == VPL061_LINE_RAISE)
		hv.irqchip->raise(c->cfg->button_irq);
	else if (line == VPL061_LINE_LOWER)
		hv.irqchip->lower(c->cfg->button_irq);
}

static enum trap_result button_access(struct cell *c, struct mmio_access *a, void *opaque)
{
	bool ok;
	u32 line;

	(void)opaque;
	spin_lock(&c->lock);
	ok = vpl061_access(&c->button, a->offset, a->size, a->write, &a->value, &line);
	button_line(c, line);
	spin_unlock(&c->lock);
	return ok ? TRAP_HANDLED : TRAP_FORBIDDEN;
}

/* At create: the controller's page in the cell's registry (-EBUSY: it overlaps the GIC's). */
int cell_button_init(struct cell *c)
{
	if (!(c->cfg->flags & WARDEN_CELL_POWER_BUTTON))
		return 0;
	vpl061_reset(&c->button);
	return mmio_register(&c->mmio, c->cfg->button_base, VPL061_SIZE, WARDEN_FAULT_DEVICE,
			     button_access, NULL);
}

/* At every start: the controller out of reset, the button released. */
void cell_button_reset(struct cell *c)
{
	if (!(c->cfg->flags & WARDEN_CELL_POWER_BUTTON))
		return;
	spin_lock(&c->lock);
	vpl061_reset(&c->button);
	hv.irqchip->lower(c->cfg->button_irq);
	spin_unlock(&c->lock);
}

/* A shutdown request: the button goes down and stays down (see above). */
void cell_button_press(struct cell *c)
{
	bool was_down;
	u32 line;

	if (!(c->cfg->flags & WARDEN_CELL_POWER_BUTTON))
		return;
	spin_lock(&c->lock);
	was_down = c->button.input & (1U << WARDEN_BUTTON_LINE);
	vpl061_set_input(&c->button, WARDEN_BUTTON_LINE, true, &line);
	button_line(c, line);
	spin_unlock(&c->lock);
	if (!was_down)
		cell_log(c, "cell %u '%s': power button pressed (shutdown request)\n", c->id, c->name);
}
