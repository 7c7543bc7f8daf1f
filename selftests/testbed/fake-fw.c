// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for ipu-fw/build/oae-fw.elf in the testbed runner's own tests:
 * a bare-metal AArch64 image for qemu-system-aarch64 -M virt that finds
 * the ivshmem-plain device by PCIe ECAM, maps its BAR2, publishes magic and
 * ipu_state=READY and then advances the heartbeat forever. Built with
 * -DFATAL it also prints an "oae-fw: FATAL" line, which must fail the run.
 * MMU off, boot CPU only (the others stay powered off until PSCI CPU_ON).
 */
typedef unsigned long u64;
typedef unsigned int u32;

#define UART_DR		((volatile u32 *)0x09000000UL)
#define UART_FR		((volatile u32 *)0x09000018UL)
#define ECAM		0x4010000000UL	/* virt's high PCIe ECAM, bus 0 */
#define BAR_BASE	0x8000000000UL	/* virt's 64-bit PCIe MMIO window */

asm(".section .text.boot, \"ax\"\n"
    ".global _start\n"
    "_start: ldr x1, =0x40400000\n"
    "	mov sp, x1\n"
    "	bl main\n"
    "1:	wfe\n"
    "	b 1b\n");

static void put(const char *s)
{
	while (*s) {
		while (*UART_FR & (1 << 5))	/* TX FIFO full */
			;
		*UART_DR = *s++;
	}
}

static volatile u32 *cfg(int dev, int off)
{
	return (volatile u32 *)(ECAM + ((u64)dev << 15) + off);
}

void main(void)
{
	volatile u64 *win = (volatile u64 *)BAR_BASE;
	int dev;

	put("fake-fw: boot\n");
	for (dev = 0; dev < 32; dev++)
		if (*cfg(dev, 0) == (0x1110u << 16 | 0x1af4u))
			break;
	if (dev == 32) {
		put("fake-fw: no ivshmem device\n");
		return;
	}
	*cfg(dev, 0x18) = (u32)BAR_BASE | 0xc;	/* BAR2: 64-bit, prefetchable */
	*cfg(dev, 0x1c) = (u32)(BAR_BASE >> 32);
	*cfg(dev, 0x04) |= 0x6;			/* memory space + bus master */
#ifdef FATAL
	put("oae-fw: FATAL injected by the testbed tests\n");
#endif
	win[0] = 0x005550492d45414fUL;		/* OAE_MAGIC */
	win[16] = 2;				/* ipu_state = READY */
	put("fake-fw: ready\n");
	for (;;) {
		win[18]++;			/* ipu_heartbeat */
		for (volatile int i = 0; i < 100000; i++)
			;
	}
}
