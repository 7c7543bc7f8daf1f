// SPDX-License-Identifier: GPL-2.0
/*
 * The shared protocol core, compiled into oae_ipu.ko. The sources live once
 * in uapi/oae/ (the firmware and ipu-sim compile the same files).
 */
#include "proto.c"
#include "swap.c"
#include "ring.c"
