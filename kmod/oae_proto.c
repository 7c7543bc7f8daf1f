// SPDX-License-Identifier: GPL-2.0
/*
 * The shared protocol core, compiled into oae_ipu.ko. The source lives once
 * in uapi/oae/proto.c (the firmware and ipu-sim compile the same file).
 */
#include "proto.c"
