// SPDX-License-Identifier: GPL-2.0
/*
 * The fault-path sampler: a kprobe on handle_mm_fault(), the generic
 * entry of every page fault, registered only while some device has
 * mem_sample set, so it costs nothing when off. Each fault in one of our
 * regions, including those the fault handler serves without a swap,
 * becomes an access sample for the memory policy (oae_mem.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/ptrace.h>

#include "oae_mem.h"

static int oae_mem_sample_pre(struct kprobe *kp, struct pt_regs *regs)
{
	/* handle_mm_fault(vma, address, flags, regs) */
	oae_mem_sample_fault((struct vm_area_struct *)
			     regs_get_kernel_argument(regs, 0),
			     regs_get_kernel_argument(regs, 1),
			     regs_get_kernel_argument(regs, 2));
	return 0;
}

static struct kprobe oae_mem_sample_kp = {
	.symbol_name = "handle_mm_fault",
	.pre_handler = oae_mem_sample_pre,
};

/* Devices sampling; the kprobe is registered while this is nonzero. */
static unsigned int oae_mem_samplers;
static DEFINE_MUTEX(oae_mem_samplers_lock);

int oae_mem_sample_get(void)
{
	int ret = 0;

	mutex_lock(&oae_mem_samplers_lock);
	if (!oae_mem_samplers) {
		/* A kprobe is registered afresh each time. */
		oae_mem_sample_kp.addr = NULL;
		oae_mem_sample_kp.flags = 0;
		ret = register_kprobe(&oae_mem_sample_kp);
		if (ret)
			pr_warn("mem_sample: cannot probe handle_mm_fault: %d\n",
				ret);
	}
	if (!ret)
		oae_mem_samplers++;
	mutex_unlock(&oae_mem_samplers_lock);
	return ret;
}

void oae_mem_sample_put(void)
{
	mutex_lock(&oae_mem_samplers_lock);
	/* unregister_kprobe() waits for handlers still running. */
	if (!WARN_ON_ONCE(!oae_mem_samplers) && !--oae_mem_samplers)
		unregister_kprobe(&oae_mem_sample_kp);
	mutex_unlock(&oae_mem_samplers_lock);
}
