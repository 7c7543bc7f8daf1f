/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oae_ipu.ko internals shared between its source files.
 */
#ifndef _OAE_IPU_H
#define _OAE_IPU_H

#include <linux/device.h>
#include <linux/pci.h>

#include "proto.h"

/* One bound IPU: its PCI function, its window and its class device. */
struct oae_dev {
	struct pci_dev *pdev;
	struct device *dev;		/* /sys/class/oae/oaeN */
	int id;
	void *win;			/* the shared window (BAR2) */
	u64 win_size;
	struct oae_ipu_hdr *hdr;	/* IPU-written: untrusted */
	struct oae_geometry geo;	/* validated once at probe */
};

extern const struct attribute_group *oae_dev_groups[];

#endif /* _OAE_IPU_H */
