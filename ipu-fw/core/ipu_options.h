/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Options of the IPU runtime (its policies and test knobs), spelt the same
 * for ipu-sim's command line and the firmware's boot arguments
 * (/chosen/bootargs), so the testbed's "ipuctl restart --fail-after 500"
 * or "--sched-policy NAME" means the same thing to both.
 * Freestanding: no libc.
 */
#ifndef _OAE_IPU_OPTIONS_H
#define _OAE_IPU_OPTIONS_H

#include "proto.h"
#include "policy.h"

struct oae_ipu_options {
	oae_u64 latency_ns;	/* one-way PCIe latency to model */
	oae_u64 fail_after;	/* go silent after this many answers; 0 never */
	oae_u32 fault;		/* enum oae_fault: answer malformed this way */
	/* --test-policy/--sched-policy/--mem-policy NAME; NULL: "none" */
	const struct oae_ipu_policy *policy[OAE_NR_ROLES];
	/* Tests: this core reports in at boot, then never polls; 0 none. */
	oae_u32 park_core;
	/* A core silent this long loses its links; 0: the runtime default. */
	oae_u64 core_stall_ms;
	/*
	 * --sched-slice-us: the scheduling policy's slice when the host asks
	 * for none, in ns (the option is in us, from
	 * OAE_SCHED_SLICE_MIN_NS to OAE_SCHED_SLICE_MAX_NS); 0: the policy's
	 * default.
	 */
	oae_u64 sched_slice_ns;
};

/* The defaults: the echo test policy, no scheduling or memory policy. */
void oae_ipu_options_init(struct oae_ipu_options *o);

/* "none", "wrong-echo", ...; NULL if @fault is out of range. */
const char *oae_fault_name(oae_u32 fault);

/*
 * Apply one option, @name without the leading "--". Returns 0, 1 if @name
 * is not one of these options (the caller may know it), or -1 with a
 * message in @err (at most @err_size bytes, always terminated).
 */
int oae_ipu_option(struct oae_ipu_options *o, const char *name,
		   const char *value, char *err, unsigned int err_size);

/*
 * Apply a whole space-separated line of "--name value" or "--name=value"
 * options. Returns 0, or -1 with a message in @err; on error @o is left
 * as it was.
 */
int oae_ipu_options_parse(struct oae_ipu_options *o, const char *line,
			  char *err, unsigned int err_size);

#endif /* _OAE_IPU_OPTIONS_H */
