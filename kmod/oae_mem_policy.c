// SPDX-License-Identifier: GPL-2.0
/*
 * The memory policy, compiled into oae_ipu.ko for the host's local
 * decisions (oae_mem.c): the same sources the IPU runs, from
 * ipu-fw/policy/ (Kbuild puts it on the include path).
 */
#include "undo.c"
#include "mem_clock.c"
