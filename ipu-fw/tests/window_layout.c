// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Print the window header layout from uapi/oae/link.h as shell variable
 * assignments, so tests/boot-test reads the window by the ABI itself
 * rather than by offsets copied into a script.
 */
#include <stddef.h>
#include <stdio.h>

#include "link.h"

#define OFF(field) offsetof(struct oae_ipu_hdr, field)

int main(void)
{
	printf("OAE_MAGIC=%llu\n", (unsigned long long)OAE_MAGIC);
	printf("HDR_MAGIC=%zu\n", OFF(magic));
	printf("HDR_NR_LINKS=%zu\n", OFF(nr_links));
	printf("HDR_NR_CORES=%zu\n", OFF(nr_cores));
	printf("HDR_STATUS_OFFSET=%zu\n", OFF(status_offset));
	printf("HDR_IPU_STATE=%zu\n", OFF(ipu_state));
	printf("HDR_CORES_UP=%zu\n", OFF(cores_up));
	printf("CORE_STATUS_STRIDE=%zu\n", sizeof(struct oae_core_status));
	printf("CORE_STATUS_HEARTBEAT=%zu\n",
	       offsetof(struct oae_core_status, heartbeat));
	printf("OAE_IPU_READY=%d\n", OAE_IPU_READY);
	printf("OAE_IPU_FAILED=%d\n", OAE_IPU_FAILED);
	return 0;
}
