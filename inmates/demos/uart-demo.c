// SPDX-License-Identifier: MIT
/*
 * uart-demo: a program that knows only a PL011, the cell's virtual UART
 * (os.uart in cells.d/uart-demo.yaml: 0x0900_0000, SPI 96). It writes its
 * lines through the UART's registers (polling FR.TXFF, as Linux's earlycon
 * does), then takes receive interrupts (RXIM|RTIM on its own SPI) and
 * echoes each line it receives upper-cased, saying how many interrupts it
 * took: "uart-demo: HELLO (rx irqs 1)". A line "fault" makes it read FR
 * with a 64-bit access, which the UART refuses: the cell fails with a
 * device fault at 0x9000018 (tests/vm/cases/cell-uart.sh).
 */
#include <inmate.h>

const char inmate_name[] = "uart-demo";

#define UART		0x09000000ULL
#define UART_SPI	96
#define DR		0x000
#define FR		0x018
#define IMSC		0x038
#define MIS		0x040
#define ICR		0x044
#define FR_RXFE		BIT(4)
#define FR_TXFF		BIT(5)
#define INT_RX		BIT(4)
#define INT_RT		BIT(6)

static char line[128];
static volatile u32 line_len, line_ready, rx_irqs;

static void uart_putc(char c)
{
	while (readl(UART + FR) & FR_TXFF)
		cpu_relax();
	writeb((u8)c, UART + DR);
}

static void uart_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

/* Receive interrupt: drain the FIFO into the line; a CR or LF ends it. */
static void uart_irq(unsigned int intid, void *data)
{
	(void)intid;
	(void)data;
	rx_irqs++;
	while (!(readl(UART + FR) & FR_RXFE)) {
		char c = (char)(readl(UART + DR) & 0xff);

		if (line_ready)
			continue;	/* the last line is not echoed yet: drop */
		if (c == '\r' || c == '\n') {
			line_ready = line_len > 0;
			continue;
		}
		if (line_len < sizeof(line) - 1)
			line[line_len++] = c;
	}
	writel(INT_RX | INT_RT, UART + ICR);
}

static void echo_line(void)
{
	char out[sizeof(line) + 48];
	u32 i;

	line[line_len] = 0;
	if (!strcmp(line, "fault")) {
		uart_puts("uart-demo: a 64-bit read of FR now\n");
		(void)readq(UART + FR);
		uart_puts("uart-demo: still here, which must not be\n");
	}
	for (i = 0; i < line_len; i++)
		if (line[i] >= 'a' && line[i] <= 'z')
			line[i] = (char)(line[i] - 'a' + 'A');
	snprintf(out, sizeof(out), "uart-demo: %s (rx irqs %u)\n", line, rx_irqs);
	uart_puts(out);
	line_len = 0;
	line_ready = 0;
}

int inmate_main(void)
{
	char hello[96];

	snprintf(hello, sizeof(hello), "uart-demo: cell %u on CPU %u, PL011 at %#llx, SPI %u\n",
		 comm_cell_id(), cpu_id(), UART, UART_SPI);
	uart_puts(hello);
	gic_init();
	gic_set_handler(UART_SPI, uart_irq, NULL);
	gic_enable_irq(UART_SPI);
	writel(INT_RX | INT_RT, UART + IMSC);
	local_irq_enable();
	uart_puts("uart-demo: type a line, I echo it upper-cased\n");
	for (;;) {
		if (line_ready)
			echo_line();
		else
			asm volatile("wfi");
	}
}
