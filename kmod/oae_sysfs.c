// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/oae/oaeN/ attributes, documented in
 * Documentation/ABI/testing/sysfs-class-oae. Values that come from the
 * window (written by the IPU) are read once and range-checked before they
 * are shown; tunables reject anything out of range with -EINVAL, a log
 * line, and no change.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "oae_ipu.h"
#include "oae_mem.h"

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

static ssize_t links_per_class_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	/* From the geometry validated at probe: the stride between classes. */
	return sysfs_emit(buf, "%u\n", od->geo.links_per_class);
}
static DEVICE_ATTR_RO(links_per_class);

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

void *oae_tunable_in_dev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static void *oae_tunable_field(struct device *dev,
			       const struct oae_tunable_attr *ta)
{
	return ta->base(dev) + ta->offset;
}

ssize_t oae_tunable_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct oae_tunable_attr *ta = container_of(attr, struct oae_tunable_attr,
						   attr);
	void *field = oae_tunable_field(dev, ta);
	u64 val;

	if (ta->size == sizeof(u64))
		val = READ_ONCE(*(u64 *)field);
	else
		val = READ_ONCE(*(u32 *)field);
	return sysfs_emit(buf, "%llu\n", val);
}

ssize_t oae_tunable_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	struct oae_tunable_attr *ta = container_of(attr, struct oae_tunable_attr,
						   attr);
	void *field = oae_tunable_field(dev, ta);
	u64 val;
	int ret;

	ret = oae_parse_tunable(dev, attr->attr.name, buf, ta->min, ta->max,
				&val);
	if (ret)
		return ret;
	if (ta->size == sizeof(u64))
		WRITE_ONCE(*(u64 *)field, val);
	else
		WRITE_ONCE(*(u32 *)field, (u32)val);
	return count;
}

/* Liveness policy only (S5): none of these can make a swap unsafe. */
static struct oae_tunable_attr oae_attr_swap_timeout_ns = {
	.attr = __ATTR(swap_timeout_ns, 0644, oae_tunable_show,
		       oae_tunable_store),
	.base = oae_tunable_in_dev,
	.offset = offsetof(struct oae_dev, swap_timeout_ns),
	.size = sizeof_field(struct oae_dev, swap_timeout_ns),
	.min = 1000,
	.max = 10 * NSEC_PER_SEC,
};

static struct oae_tunable_attr oae_attr_spin_budget_ns = {
	.attr = __ATTR(spin_budget_ns, 0644, oae_tunable_show,
		       oae_tunable_store),
	.base = oae_tunable_in_dev,
	.offset = offsetof(struct oae_dev, spin_budget_ns),
	.size = sizeof_field(struct oae_dev, spin_budget_ns),
	.min = OAE_SPIN_BUDGET_MIN_NS,
	.max = OAE_SPIN_BUDGET_MAX_NS,
};

static struct oae_tunable_attr oae_attr_heartbeat_ms = {
	.attr = __ATTR(heartbeat_ms, 0644, oae_tunable_show, oae_tunable_store),
	.base = oae_tunable_in_dev,
	.offset = offsetof(struct oae_dev, heartbeat_ms),
	.size = sizeof_field(struct oae_dev, heartbeat_ms),
	.min = 1,
	.max = 1000,
};

static struct oae_tunable_attr oae_attr_dead_threshold = {
	.attr = __ATTR(dead_threshold, 0644, oae_tunable_show,
		       oae_tunable_store),
	.base = oae_tunable_in_dev,
	.offset = offsetof(struct oae_dev, dead_threshold),
	.size = sizeof_field(struct oae_dev, dead_threshold),
	.min = 2,
	.max = 100000,
};

/*
 * Scheduling policy and slice asked of the IPU. The IPU reads them only
 * when it adopts an epoch, so a change starts a new epoch (with its
 * custody replay) if the link is up or attaching; a dead link uses them
 * when it recovers.
 */
static const char *const oae_sched_policy_names[] = {
	[OAE_SCHED_POLICY_DEFAULT]	= "default",
	[OAE_SCHED_POLICY_VTIME]	= "vtime",
	[OAE_SCHED_POLICY_FIFO]		= "fifo",
};

static_assert(ARRAY_SIZE(oae_sched_policy_names) == OAE_SCHED_POLICY_MAX + 1);

static ssize_t sched_policy_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	u32 policy = READ_ONCE(od->sched_policy);

	if (policy > OAE_SCHED_POLICY_MAX)
		return -EIO;
	return sysfs_emit(buf, "%s\n", oae_sched_policy_names[policy]);
}

static ssize_t sched_policy_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	int policy = sysfs_match_string(oae_sched_policy_names, buf);

	if (policy < 0) {
		dev_warn_ratelimited(dev, "sched_policy: rejected '%.*s': not vtime, fifo or default\n",
				     (int)strcspn(buf, "\n"), buf);
		return -EINVAL;
	}
	mutex_lock(&od->attach_lock);
	if (od->sched_policy != policy) {
		WRITE_ONCE(od->sched_policy, policy);
		oae_link_renew_locked(od);
	}
	mutex_unlock(&od->attach_lock);
	return count;
}
static DEVICE_ATTR_RW(sched_policy);

static ssize_t sched_slice_us_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct oae_dev *od = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n",
			  div_u64(READ_ONCE(od->sched_slice_ns), NSEC_PER_USEC));
}

static ssize_t sched_slice_us_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct oae_dev *od = dev_get_drvdata(dev);
	u64 us;

	/* 0 is the IPU's default; anything else within the ABI's range. */
	if (kstrtou64(buf, 0, &us) ||
	    (us && (us < OAE_SCHED_SLICE_MIN_NS / NSEC_PER_USEC ||
		    us > OAE_SCHED_SLICE_MAX_NS / NSEC_PER_USEC))) {
		dev_warn_ratelimited(dev, "sched_slice_us: rejected '%.*s': not 0 or in [%llu, %llu]\n",
				     (int)strcspn(buf, "\n"), buf,
				     OAE_SCHED_SLICE_MIN_NS / NSEC_PER_USEC,
				     OAE_SCHED_SLICE_MAX_NS / NSEC_PER_USEC);
		return -EINVAL;
	}
	mutex_lock(&od->attach_lock);
	if (od->sched_slice_ns != us * NSEC_PER_USEC) {
		WRITE_ONCE(od->sched_slice_ns, us * NSEC_PER_USEC);
		oae_link_renew_locked(od);
	}
	mutex_unlock(&od->attach_lock);
	return count;
}
static DEVICE_ATTR_RW(sched_slice_us);

static struct attribute *oae_dev_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_ipu_state.attr,
	&dev_attr_abi_version.attr,
	&dev_attr_ipu_heartbeat.attr,
	&dev_attr_epoch.attr,
	&dev_attr_nr_links.attr,
	&dev_attr_links_per_class.attr,
	&oae_attr_swap_timeout_ns.attr.attr,
	&oae_attr_spin_budget_ns.attr.attr,
	&oae_attr_heartbeat_ms.attr.attr,
	&oae_attr_dead_threshold.attr.attr,
	&dev_attr_sched_policy.attr,
	&dev_attr_sched_slice_us.attr,
	NULL,
};

static const struct attribute_group oae_dev_group = {
	.attrs = oae_dev_attrs,
};

const struct attribute_group *oae_dev_groups[] = {
	&oae_dev_group,
	&oae_mem_attr_group,
	NULL,
};
