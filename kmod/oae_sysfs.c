// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/oae/oaeN/ attributes, documented in
 * Documentation/ABI/testing/sysfs-class-oae. Values that come from the
 * window (written by the IPU) are read once and range-checked before they
 * are shown; tunables reject anything out of range with -EINVAL, a log
 * line, and no change.
 */
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "oae_ipu.h"

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", oae_link_state_name(READ_ONCE(od->state)));
}
static DEVICE_ATTR_RO(state);

static ssize_t ipu_state_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n",
			  oae_ipu_state_name(oae_ld64_acquire(&od->hdr->ipu_state)));
}
static DEVICE_ATTR_RO(ipu_state);

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

static ssize_t epoch_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", READ_ONCE(od->epoch));
}
static DEVICE_ATTR_RO(epoch);

static ssize_t nr_links_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", od->nr_links);
}
static DEVICE_ATTR_RO(nr_links);

/* Parse a tunable in [min, max]; log and refuse anything else. */
static int oae_parse_tunable(struct device *dev, const char *name,
			     const char *buf, u64 min, u64 max, u64 *val)
{
	if (kstrtou64(buf, 0, val) || *val < min || *val > max) {
		dev_info_ratelimited(dev, "%s: rejected '%.*s': not in [%llu, %llu]\n",
				     name, (int)strcspn(buf, "\n"), buf, min, max);
		return -EINVAL;
	}
	return 0;
}

/* Liveness policy only (S5): none of these can make a swap unsafe. */
static ssize_t swap_timeout_ns_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", READ_ONCE(od->swap_timeout_ns));
}

static ssize_t swap_timeout_ns_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	u64 val;
	int ret;

	ret = oae_parse_tunable(dev, attr->attr.name, buf, 1000,
				10 * NSEC_PER_SEC, &val);
	if (ret)
		return ret;
	WRITE_ONCE(od->swap_timeout_ns, val);
	return count;
}
static DEVICE_ATTR_RW(swap_timeout_ns);

static ssize_t heartbeat_ms_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(od->heartbeat_ms));
}

static ssize_t heartbeat_ms_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	u64 val;
	int ret;

	ret = oae_parse_tunable(dev, attr->attr.name, buf, 1, 1000, &val);
	if (ret)
		return ret;
	WRITE_ONCE(od->heartbeat_ms, (u32)val);
	return count;
}
static DEVICE_ATTR_RW(heartbeat_ms);

static ssize_t dead_threshold_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(od->dead_threshold));
}

static ssize_t dead_threshold_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	u64 val;
	int ret;

	ret = oae_parse_tunable(dev, attr->attr.name, buf, 2, 100000, &val);
	if (ret)
		return ret;
	WRITE_ONCE(od->dead_threshold, (u32)val);
	return count;
}
static DEVICE_ATTR_RW(dead_threshold);

static struct attribute *oae_dev_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_ipu_state.attr,
	&dev_attr_abi_version.attr,
	&dev_attr_ipu_heartbeat.attr,
	&dev_attr_epoch.attr,
	&dev_attr_nr_links.attr,
	&dev_attr_swap_timeout_ns.attr,
	&dev_attr_heartbeat_ms.attr,
	&dev_attr_dead_threshold.attr,
	NULL,
};

static const struct attribute_group oae_dev_group = {
	.attrs = oae_dev_attrs,
};

const struct attribute_group *oae_dev_groups[] = {
	&oae_dev_group,
	NULL,
};
