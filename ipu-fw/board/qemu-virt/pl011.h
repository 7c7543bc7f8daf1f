/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Arm PL011 UART, transmit only, polled.
 */
#ifndef _FW_QEMU_VIRT_PL011_H
#define _FW_QEMU_VIRT_PL011_H

#include "lib/types.h"

void pl011_init(u64 base);
void pl011_putc(char c);

#endif /* _FW_QEMU_VIRT_PL011_H */
