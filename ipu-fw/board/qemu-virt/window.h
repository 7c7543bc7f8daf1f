/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * QEMU virt's window hooks. The ivshmem window is RAM of the emulator that
 * the host guest's emulator maps too: coherent, and a store-release
 * already orders every earlier store for it. A real board whose host
 * sits across PCIe puts "dmb oshst" here.
 */
#ifndef _FW_QEMU_VIRT_WINDOW_H
#define _FW_QEMU_VIRT_WINDOW_H

static inline void board_window_publish_barrier(void)
{
}

#endif /* _FW_QEMU_VIRT_WINDOW_H */
