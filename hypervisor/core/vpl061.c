// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual PL061's registers (vpl061.h): what the cell reads and writes,
 * and what the outside's input levels do to them. No locks here: the glue
 * (button.c) holds the cell's lock around every step.
 */
#include <vpl061.h>

/* PeriphID0-3 (part 0x061, designer ARM, revision 0, as Linux's amba_id 0x00041061) and PCellID0-3. */
static const u8 vpl061_id[8] = { 0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vpl061_reset(struct vpl061 *g)
{
	*g = (struct vpl061){ 0 };
}

/* Each line's level: the latch for outputs, the outside for inputs. */
static u8 levels(const struct vpl061 *g)
{
	return (g->data & g->dir) | (g->input & ~g->dir);
}

static u8 mis(const struct vpl061 *g)
{
	return g->ris & g->ie;
}

/*
 * Detection after any change: edges of edge-sensitive lines are latched,
 * level-sensitive lines show whether they are at their active level now.
 */
static void detect(struct vpl061 *g)
{
	u8 now = levels(g), changed = now ^ g->level;
	u8 rising = changed & now, falling = changed & ~now;
	u8 edges = changed & g->ibe;

	edges |= ~g->ibe & ((rising & g->iev) | (falling & ~g->iev));
	g->ris |= edges & ~g->is;
	g->ris = (g->ris & ~g->is) | (g->is & ~(now ^ g->iev));
	g->level = now;
}

/* The interrupt follows MIS != 0: raised for every new bit, lowered when none is left. */
static u32 line_step(const struct vpl061 *g, u8 before)
{
	u8 now = mis(g);

	if (now & ~before)
		return VPL061_LINE_RAISE;
	if (!now && before)
		return VPL061_LINE_LOWER;
	return VPL061_LINE_KEEP;
}

static u8 reg_read(const struct vpl061 *g, u64 off)
{
	if (off < GPIO_DATA_END)
		return levels(g) & (u8)(off >> 2);
	switch (off) {
	case GPIO_DIR:
		return g->dir;
	case GPIO_IS:
		return g->is;
	case GPIO_IBE:
		return g->ibe;
	case GPIO_IEV:
		return g->iev;
	case GPIO_IE:
		return g->ie;
	case GPIO_RIS:
		return g->ris;
	case GPIO_MIS:
		return mis(g);
	case GPIO_AFSEL:
		return g->afsel;
	}
	if (off >= GPIO_PERIPHID0)
		return vpl061_id[(off - GPIO_PERIPHID0) / 4];
	return 0;	/* GPIOIC (write-only), reserved */
}

static void reg_write(struct vpl061 *g, u64 off, u8 v)
{
	if (off < GPIO_DATA_END) {
		u8 mask = (u8)(off >> 2);

		g->data = (g->data & ~mask) | (v & mask);
		return;
	}
	switch (off) {
	case GPIO_DIR:
		g->dir = v;
		break;
	case GPIO_IS:
		g->is = v;
		break;
	case GPIO_IBE:
		g->ibe = v;
		break;
	case GPIO_IEV:
		g->iev = v;
		break;
	case GPIO_IE:
		g->ie = v;
		break;
	case GPIO_IC:
		g->ris &= ~(v & ~g->is);	/* level-sensitive bits follow their level */
		break;
	case GPIO_AFSEL:
		g->afsel = v;
		break;
	default:
		break;	/* RIS, MIS, IDs (read-only), reserved */
	}
}

bool vpl061_access(struct vpl061 *g, u64 offset, u32 size, bool write, u64 *value, u32 *line)
{
	u8 before = mis(g);

	*line = VPL061_LINE_KEEP;
	if (size > 4 || offset % 4 || offset >= VPL061_SIZE)
		return false;
	if (write) {
		reg_write(g, offset, (u8)*value);
		detect(g);
		*line = line_step(g, before);
	} else {
		*value = reg_read(g, offset);
	}
	return true;
}

void vpl061_set_input(struct vpl061 *g, u32 n, bool high, u32 *line)
{
	u8 before = mis(g);

	*line = VPL061_LINE_KEEP;
	if (n >= VPL061_LINES)
		return;
	if (high)
		g->input |= 1U << n;
	else
		g->input &= ~(1U << n);
	detect(g);
	*line = line_step(g, before);
}
