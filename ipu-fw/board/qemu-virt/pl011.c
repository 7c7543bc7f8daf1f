// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * PL011 transmit path. The baud rate and line format are left as the
 * previous boot stage (or QEMU, which ignores them) set them; the firmware
 * only makes sure the UART and its transmitter are enabled.
 */
#include "arch/arm64/mmio.h"
#include "board/qemu-virt/pl011.h"

#define UART_DR			0x00
#define UART_FR			0x18
#define  UART_FR_TXFF		(1 << 5)	/* transmit FIFO full */
#define UART_CR			0x30
#define  UART_CR_UARTEN		(1 << 0)
#define  UART_CR_TXE		(1 << 8)

/*
 * A UART that never drains must not hang a core: give up on a character
 * after this many polls of the FIFO-full flag.
 */
#define UART_TX_SPINS		100000

/* 0 until pl011_init(): output before that is dropped, not faulted. */
static u64 pl011_base;

static inline u32 pl011_read(unsigned int reg)
{
	return mmio_read32(pl011_base + reg);
}

static inline void pl011_write(unsigned int reg, u32 val)
{
	mmio_write32(pl011_base + reg, val);
}

void pl011_init(u64 base)
{
	u32 cr;

	pl011_base = base;
	cr = pl011_read(UART_CR);
	if ((cr & (UART_CR_UARTEN | UART_CR_TXE)) !=
	    (UART_CR_UARTEN | UART_CR_TXE))
		pl011_write(UART_CR, cr | UART_CR_UARTEN | UART_CR_TXE);
}

void pl011_putc(char c)
{
	unsigned int spins = UART_TX_SPINS;

	if (!pl011_base)
		return;
	while ((pl011_read(UART_FR) & UART_FR_TXFF) && --spins)
		;
	pl011_write(UART_DR, (u8)c);
}
