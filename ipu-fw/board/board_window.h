/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The board's inline window hooks, chosen at build time: the board being
 * built provides board_window_publish_barrier() (see board.h). Kept apart
 * from board.h so the protocol core's environment (include/oae_env.h) can
 * use it without the rest of the board interface.
 */
#ifndef _FW_BOARD_WINDOW_H
#define _FW_BOARD_WINDOW_H

#include "board/qemu-virt/window.h"

#endif /* _FW_BOARD_WINDOW_H */
