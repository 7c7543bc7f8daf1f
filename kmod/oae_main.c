// SPDX-License-Identifier: GPL-2.0
/*
 * oae_ipu.ko: host side of the oae-ipu link.
 *
 * Binds the IPU's PCI function, maps its shared window, validates the header
 * the IPU publishes, and exposes the device as /sys/class/oae/oaeN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "oae_ipu.h"
#include "oae_mem.h"
#include "oae_sched.h"

/* The window is BAR2 on every supported function. */
#define OAE_WINDOW_BAR	2

/*
 * The one place a new IPU function is added. On the QEMU testbed the IPU
 * window is an ivshmem-plain device, which other software may also use:
 * probe() returns -ENODEV unless the window carries the oae header.
 */
static const struct pci_device_id oae_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1110) },	/* ivshmem */
	{ }
};
MODULE_DEVICE_TABLE(pci, oae_pci_ids);

static const struct class oae_class = {
	.name = "oae",
	.dev_groups = oae_dev_groups,
};

static DEFINE_IDA(oae_ida);

/* NOT_FORMATTED/BAD_MAGIC/BAD_VERSION: not a window this driver speaks. */
static int oae_hdr_errno(enum oae_hdr_error err)
{
	switch (err) {
	case OAE_HDR_OK:
		return 0;
	case OAE_HDR_NOT_FORMATTED:
	case OAE_HDR_BAD_MAGIC:
	case OAE_HDR_BAD_VERSION:
		return -ENODEV;
	default:
		return -EINVAL;
	}
}

static int oae_map_window(struct oae_dev *od)
{
	struct pci_dev *pdev = od->pdev;
	resource_size_t start = pci_resource_start(pdev, OAE_WINDOW_BAR);
	resource_size_t len = pci_resource_len(pdev, OAE_WINDOW_BAR);

	if (!(pci_resource_flags(pdev, OAE_WINDOW_BAR) & IORESOURCE_MEM) ||
	    len < OAE_WINDOW_MIN) {
		dev_err(&pdev->dev, "BAR%d is not a memory window of at least %u bytes\n",
			OAE_WINDOW_BAR, OAE_WINDOW_MIN);
		return -ENODEV;
	}
	/* Map no more than the ABI can describe; the header says how much is used. */
	len = min_t(resource_size_t, len, OAE_WINDOW_MAX);
	if (!devm_request_mem_region(&pdev->dev, start, len, KBUILD_MODNAME)) {
		dev_err(&pdev->dev, "BAR%d is busy\n", OAE_WINDOW_BAR);
		return -EBUSY;
	}
	/*
	 * Write-back: on the testbed the window is host RAM behind QEMU, and
	 * the protocol never relies on uncached access (each side polls
	 * memory it owns or reads through acquire loads).
	 */
	od->win = devm_memremap(&pdev->dev, start, len, MEMREMAP_WB);
	if (IS_ERR(od->win)) {
		dev_err(&pdev->dev, "cannot map BAR%d: %pe\n", OAE_WINDOW_BAR,
			od->win);
		return PTR_ERR(od->win);
	}
	od->win_size = len;
	od->hdr = od->win;
	return 0;
}

static void oae_dev_release(struct kref *kref)
{
	struct oae_dev *od = container_of(kref, struct oae_dev, kref);

	oae_mem_free(od);
	oae_link_free(od);
	kfree(od);
}

void oae_dev_put(struct oae_dev *od)
{
	kref_put(&od->kref, oae_dev_release);
}

static int oae_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	enum oae_hdr_error herr;
	struct oae_dev *od;
	int ret;

	/* Not devm: an open /dev/oaeN keeps it past remove(). */
	od = kzalloc(sizeof(*od), GFP_KERNEL);
	if (!od)
		return -ENOMEM;
	kref_init(&od->kref);
	init_rwsem(&od->users);
	od->pdev = pdev;

	ret = pcim_enable_device(pdev);
	if (ret)
		goto err_put;
	ret = oae_map_window(od);
	if (ret)
		goto err_put;

	herr = oae_geometry_read(od->hdr, od->win_size, &od->geo);
	if (herr) {
		dev_err(&pdev->dev,
			"refusing window: %s (magic %#llx, abi %#x, state %llu)\n",
			oae_hdr_strerror(herr), oae_ld64(&od->hdr->magic),
			oae_ld32(&od->hdr->abi_version),
			oae_ld64(&od->hdr->ipu_state));
		ret = oae_hdr_errno(herr);
		goto err_put;
	}

	od->id = ida_alloc(&oae_ida, GFP_KERNEL);
	if (od->id < 0) {
		ret = od->id;
		goto err_put;
	}
	pci_set_drvdata(pdev, od);
	/* Tunables get their defaults before sysfs can show or change them. */
	ret = oae_link_init(od);
	if (ret)
		goto err_ida;
	ret = oae_mem_init(od);
	if (ret)
		goto err_ida;
	od->dev = device_create(&oae_class, &pdev->dev, MKDEV(0, 0), od,
				"oae%d", od->id);
	if (IS_ERR(od->dev)) {
		ret = PTR_ERR(od->dev);
		goto err_ida;
	}
	oae_link_start(od);
	/* The first IPU bound decides scheduling; others serve the rest. */
	if (!oae_sched_bind(od))
		dev_info(od->dev, "scheduling device\n");
	oae_debugfs_init(od);
	ret = oae_ctl_init(od);
	if (ret)
		goto err_link;
	ret = oae_mem_register(od);
	if (ret)
		goto err_ctl;

	dev_info(&pdev->dev,
		 "oae%d: window %llu bytes, ABI %u.%u, %u links (%u classes), %u IPU cores, IPU %s\n",
		 od->id, od->geo.window_size,
		 OAE_ABI_MAJOR_OF(od->geo.abi_version),
		 OAE_ABI_MINOR_OF(od->geo.abi_version), od->geo.nr_links,
		 od->geo.nr_classes, od->geo.nr_cores,
		 oae_ipu_state_name(oae_ld64(&od->hdr->ipu_state)));
	return 0;

err_ctl:
	oae_ctl_exit(od);
err_link:
	oae_debugfs_exit(od);
	oae_sched_unbind(od);
	oae_link_stop(od);
	device_unregister(od->dev);
err_ida:
	ida_free(&oae_ida, od->id);
err_put:
	oae_dev_put(od);
	return ret;
}

/*
 * The window is unmapped (devm) when this returns, and od is freed when the
 * last open /dev/oaeN closes. So: refuse new users, bring the link down so
 * waiting swaps withdraw at their next poll, and wait for every ioctl still
 * using the window before anything it uses goes away.
 */
static void oae_remove(struct pci_dev *pdev)
{
	struct oae_dev *od = pci_get_drvdata(pdev);

	WRITE_ONCE(od->gone, true);
	oae_ctl_exit(od);
	oae_mem_unregister(od);
	/* Kfuncs stop using the window before anything else goes. */
	oae_sched_unbind(od);
	oae_link_stop(od);
	down_write(&od->users);
	up_write(&od->users);
	oae_debugfs_exit(od);
	device_unregister(od->dev);
	ida_free(&oae_ida, od->id);
	oae_dev_put(od);
}

static struct pci_driver oae_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = oae_pci_ids,
	.probe = oae_probe,
	.remove = oae_remove,
};

static int __init oae_init(void)
{
	int ret;

	ret = oae_link_cache_init();
	if (ret)
		return ret;
	/* No BPF scheduler can load against a module missing its kfuncs. */
	ret = oae_sched_init();
	if (ret)
		goto err_cache;
	ret = oae_mem_setup();
	if (ret)
		goto err_cache;
	ret = class_register(&oae_class);
	if (ret)
		goto err_mem;
	oae_debugfs_setup();
	ret = pci_register_driver(&oae_pci_driver);
	if (ret)
		goto err_class;
	return 0;

err_class:
	oae_debugfs_cleanup();
	class_unregister(&oae_class);
err_mem:
	oae_mem_cleanup();
err_cache:
	oae_link_cache_exit();
	return ret;
}

static void __exit oae_exit(void)
{
	pci_unregister_driver(&oae_pci_driver);
	oae_mem_cleanup();
	oae_debugfs_cleanup();
	class_unregister(&oae_class);
	oae_link_cache_exit();
}

module_init(oae_init);
module_exit(oae_exit);

MODULE_DESCRIPTION("oae-ipu: bilateral-swap offload of scheduling and memory decisions to an IPU");
MODULE_AUTHOR("oae-ipu developers");
MODULE_LICENSE("GPL");
