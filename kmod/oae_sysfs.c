// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/oae/oaeN/ attributes. Everything shown comes from the window,
 * which the IPU writes: values are read once and range-checked before they
 * are printed. Documented in Documentation/ABI/testing/sysfs-class-oae.
 */
#include <linux/sysfs.h>

#include "oae_ipu.h"

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n",
			  oae_ipu_state_name(oae_ld64_acquire(&od->hdr->ipu_state)));
}
static DEVICE_ATTR_RO(state);

static ssize_t abi_version_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	/* The version validated at probe; geometry never changes while bound. */
	return sysfs_emit(buf, "%u.%u\n", OAE_ABI_MAJOR_OF(od->geo.abi_version),
			  OAE_ABI_MINOR_OF(od->geo.abi_version));
}
static DEVICE_ATTR_RO(abi_version);

static ssize_t ipu_heartbeat_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", oae_ld64(&od->hdr->ipu_heartbeat));
}
static DEVICE_ATTR_RO(ipu_heartbeat);

static struct attribute *oae_dev_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_abi_version.attr,
	&dev_attr_ipu_heartbeat.attr,
	NULL,
};

static const struct attribute_group oae_dev_group = {
	.attrs = oae_dev_attrs,
};

const struct attribute_group *oae_dev_groups[] = {
	&oae_dev_group,
	NULL,
};
