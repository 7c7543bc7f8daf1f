// SPDX-License-Identifier: GPL-2.0
/*
 * oae-window: read or craft the oae shared window from inside the guest,
 * through the ivshmem BAR2 sysfs resource file. Tests use it to check that
 * sysfs shows what the IPU published, and to write malformed headers the
 * driver must refuse (only while oae_ipu is not bound to the device).
 *
 *   oae-window [--dev BDF] path          print the ivshmem device's sysfs path
 *   oae-window [--dev BDF] dump          print header fields as key=value
 *   oae-window [--dev BDF] craft CASE    format a header, then break it:
 *       valid | zero | bad-magic | future-abi | newer-minor | no-links |
 *       overlap | ring-outside | window-too-big | bad-state
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto.h"

#define PCI_DEVICES "/sys/bus/pci/devices"

static int read_hex(const char *dir, const char *file, unsigned long *val)
{
	char path[512], buf[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*val = strtoul(buf, NULL, 16);
	return 0;
}

/* The first ivshmem (1af4:1110) function, or the one named by --dev. */
static int find_device(const char *bdf, char *out, size_t len)
{
	unsigned long vendor, device;
	struct dirent *de;
	DIR *d;

	if (bdf) {
		snprintf(out, len, PCI_DEVICES "/%s", bdf);
		return access(out, F_OK);
	}
	d = opendir(PCI_DEVICES);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(out, len, PCI_DEVICES "/%s", de->d_name);
		if (read_hex(out, "vendor", &vendor) ||
		    read_hex(out, "device", &device))
			continue;
		if (vendor == 0x1af4 && device == 0x1110) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return -1;
}

static void *map_bar2(const char *dev, size_t *size)
{
	char path[600];
	unsigned long enabled;
	struct stat st;
	void *p;
	int fd;

	/*
	 * Memory decoding may be off while no driver owns the device; when a
	 * driver does own it, it is on already and "enable" must be left alone.
	 */
	snprintf(path, sizeof(path), "%s", dev);
	if (read_hex(path, "enable", &enabled) == 0 && !enabled) {
		snprintf(path, sizeof(path), "%s/enable", dev);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "1", 1) != 1) {
			fprintf(stderr, "oae-window: cannot enable %s\n", dev);
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/resource2", dev);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "oae-window: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	*size = st.st_size;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "oae-window: mmap %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return p;
}

static void dump(struct oae_ipu_hdr *h)
{
	printf("magic=%#llx\n", (unsigned long long)oae_ld64(&h->magic));
	printf("abi_version=%u.%u\n", OAE_ABI_MAJOR_OF(oae_ld32(&h->abi_version)),
	       OAE_ABI_MINOR_OF(oae_ld32(&h->abi_version)));
	printf("window_size=%llu\n", (unsigned long long)oae_ld64(&h->window_size));
	printf("nr_links=%u\n", oae_ld32(&h->nr_links));
	printf("nr_cores=%u\n", oae_ld32(&h->nr_cores));
	printf("ipu_state=%s\n", oae_ipu_state_name(oae_ld64(&h->ipu_state)));
	printf("ipu_epoch=%llu\n", (unsigned long long)oae_ld64(&h->ipu_epoch));
	printf("ipu_heartbeat=%llu\n",
	       (unsigned long long)oae_ld64(&h->ipu_heartbeat));
}

static int craft(struct oae_ipu_hdr *h, size_t size, const char *how)
{
	unsigned char *win = (unsigned char *)h;

	memset(win, 0, 8192);
	if (!strcmp(how, "zero"))
		return 0;
	if (oae_geometry_format(h, size, 2, 1, 64) != OAE_HDR_OK) {
		fprintf(stderr, "oae-window: cannot format a %zu-byte window\n", size);
		return -1;
	}
	oae_st64(&h->ipu_state, OAE_IPU_READY);
	if (!strcmp(how, "valid"))
		return 0;
	if (!strcmp(how, "bad-magic"))
		oae_st64(&h->magic, 0x4242424242424242ULL);
	else if (!strcmp(how, "future-abi"))
		oae_st32(&h->abi_version, (OAE_ABI_MAJOR + 1) << 16);
	else if (!strcmp(how, "newer-minor"))
		oae_st32(&h->abi_version, OAE_ABI_VERSION + 1);
	else if (!strcmp(how, "no-links"))
		oae_st32(&h->nr_links, 0);
	else if (!strcmp(how, "overlap"))
		oae_st64(&h->ipu_links_offset, oae_ld64(&h->host_links_offset));
	else if (!strcmp(how, "ring-outside"))
		oae_st64(&h->ring_offset, size);
	else if (!strcmp(how, "window-too-big"))
		oae_st64(&h->window_size, (oae_u64)size * 2);
	else if (!strcmp(how, "bad-state"))
		oae_st64(&h->ipu_state, 77);
	else {
		fprintf(stderr, "oae-window: unknown case '%s'\n", how);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *bdf = NULL;
	char dev[512];
	size_t size;
	void *win;

	if (argc > 2 && !strcmp(argv[1], "--dev")) {
		bdf = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: oae-window [--dev BDF] path|dump|craft CASE\n");
		return 2;
	}
	if (find_device(bdf, dev, sizeof(dev))) {
		fprintf(stderr, "oae-window: no ivshmem device found\n");
		return 1;
	}
	if (!strcmp(argv[1], "path")) {
		printf("%s\n", dev);
		return 0;
	}
	win = map_bar2(dev, &size);
	if (!win)
		return 1;
	if (!strcmp(argv[1], "dump")) {
		dump(win);
		return 0;
	}
	if (!strcmp(argv[1], "craft") && argc == 3)
		return craft(win, size, argv[2]) ? 1 : 0;
	fprintf(stderr, "oae-window: unknown command '%s'\n", argv[1]);
	return 2;
}
