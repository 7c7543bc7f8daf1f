// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/oae/oaeN/: counters of both sides of the link.
 *   stats  the host engine: swaps by outcome, protocol errors by kind,
 *          fallbacks, stale enforcements (must stay 0), round-trip
 *          histogram (log2 nanosecond buckets)
 *   ipu    what the IPU publishes about itself (untrusted, shown as is)
 *   sched  the scheduling kfuncs: custody posts and table, picks by
 *          outcome, aborts by reason on the scheduling links, enforcement
 *          reports, stale enforcements (must stay 0)
 *   mem    the memory offload: pages per tier, faults, decisions (IPU,
 *          local), evictions, prefetches, aborts by reason, fallbacks,
 *          stale enforcements (must stay 0)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "oae_ipu.h"
#include "oae_mem.h"
#include "oae_sched.h"

static struct dentry *oae_debugfs_root;

static const char *const oae_abort_names[] = {
	[OAE_ABORT_NONE]	 = "none",
	[OAE_ABORT_WITHDRAWN]	 = "withdrawn",
	[OAE_ABORT_BAD_REFLECT]	 = "bad_reflect",
	[OAE_ABORT_STALE_OBJECT] = "stale_object",
	[OAE_ABORT_BAD_ANSWER]	 = "bad_answer",
	[OAE_ABORT_DECLINED]	 = "declined",
	[OAE_ABORT_AFFINITY]	 = "affinity",
	[OAE_ABORT_PINNED]	 = "pinned",
	[OAE_ABORT_NOT_QUEUED]	 = "not_queued",
};

static_assert(ARRAY_SIZE(oae_abort_names) == OAE_ABORT_REASON_MAX + 1);

const char *oae_abort_name(u32 reason)
{
	return reason <= OAE_ABORT_REASON_MAX ? oae_abort_names[reason] : "?";
}

static int oae_stats_show(struct seq_file *m, void *v)
{
	struct oae_dev *od = m->private;
	struct oae_link_counters c;
	struct oae_post_stats ps;
	u64 aborted = 0;
	int i;

	oae_link_counters_sum(od, &c);
	for (i = 1; i <= OAE_ABORT_REASON_MAX; i++)
		aborted += c.aborted[i];
	seq_printf(m, "state %s\n", oae_link_state_name(READ_ONCE(od->state)));
	seq_printf(m, "epoch %llu\n", od->epoch);
	seq_printf(m, "deaths %llu\n", od->deaths);
	seq_printf(m, "links %u\n", od->nr_links);
	seq_printf(m, "decisions %llu\n", c.offered);
	seq_printf(m, "committed %llu\n", c.committed);
	seq_printf(m, "aborted %llu\n", aborted);
	for (i = 1; i <= OAE_ABORT_REASON_MAX; i++)
		seq_printf(m, "aborted_%s %llu\n", oae_abort_names[i], c.aborted[i]);
	seq_printf(m, "withdrawn %llu\n", c.aborted[OAE_ABORT_WITHDRAWN]);
	seq_printf(m, "stale_enforcements %llu\n", c.stale);
	seq_printf(m, "fallbacks %llu\n", c.fallbacks);
	seq_printf(m, "busy %llu\n", c.busy);
	seq_printf(m, "stale_tickets %llu\n", c.stale_tickets);
	seq_printf(m, "numbering_restarts %llu\n", od->restarts);
	for (i = OAE_POLL_BAD_SEQ; i <= OAE_POLL_MAX; i++)
		seq_printf(m, "protocol_errors_%s %llu\n", oae_poll_name(i),
			   c.proto_err[i]);
	oae_post_stats_sum(od, &ps);
	seq_printf(m, "events_posted %llu\n", ps.posted);
	seq_printf(m, "ring_full %llu\n", ps.full);
	seq_printf(m, "ring_errors %llu\n", ps.errors);
	seq_printf(m, "ipu_restarts %llu\n", od->ipu_restarts);
	seq_printf(m, "replay_failures %llu\n", od->replay_failures);
	seq_puts(m, "rtt_log2_ns");
	for (i = 0; i < OAE_RTT_BUCKETS; i++)
		seq_printf(m, " %llu", c.rtt[i]);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(oae_stats);

static int oae_ipu_show(struct seq_file *m, void *v)
{
	struct oae_dev *od = m->private;
	struct oae_ipu_hdr *h = od->hdr;

	seq_printf(m, "ipu_state %s\n",
		   oae_ipu_state_name(oae_ld64(&h->ipu_state)));
	seq_printf(m, "ipu_epoch %llu\n", oae_ld64(&h->ipu_epoch));
	seq_printf(m, "ipu_boot_id %#llx\n", oae_ld64(&h->ipu_boot_id));
	seq_printf(m, "ipu_heartbeat %llu\n", oae_ld64(&h->ipu_heartbeat));
	seq_printf(m, "ring_consumed %llu\n", oae_ld64(&h->ring_consumed));
	seq_printf(m, "swaps_answered %llu\n", oae_ld64(&h->swaps_answered));
	seq_printf(m, "swaps_committed %llu\n", oae_ld64(&h->swaps_committed));
	seq_printf(m, "swaps_aborted %llu\n", oae_ld64(&h->swaps_aborted));
	seq_printf(m, "err_bad_offer %llu\n", oae_ld64(&h->err_bad_offer));
	seq_printf(m, "err_bad_event %llu\n", oae_ld64(&h->err_bad_event));
	seq_printf(m, "err_bad_outcome %llu\n", oae_ld64(&h->err_bad_outcome));
	seq_printf(m, "err_bad_epoch %llu\n", oae_ld64(&h->err_bad_epoch));
	seq_printf(m, "cores_up 0x%llx\n", oae_ld64(&h->cores_up));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(oae_ipu);

static int oae_sched_show(struct seq_file *m, void *v)
{
	struct oae_dev *od = m->private;
	struct oae_sched_table_stats tab;
	struct oae_link_counters c;
	struct oae_sched_stats st;
	int i;

	oae_sched_stats_sum(&st, &tab);
	/* The scheduling links are the kfuncs' alone: their counters are ours. */
	oae_link_class_counters_sum(od, OAE_CLASS_SCHED, &c);
	seq_printf(m, "scheduling_device %d\n", oae_sched_is_bound(od));
	seq_printf(m, "policy %u\n", READ_ONCE(od->sched_policy));
	seq_printf(m, "slice_ns %llu\n", READ_ONCE(od->sched_slice_ns));
	seq_printf(m, "runnable_posted %llu\n", st.runnable);
	seq_printf(m, "gone_posted %llu\n", st.gone);
	seq_printf(m, "gone_unknown %llu\n", st.gone_unknown);
	seq_printf(m, "ring_full %llu\n", st.ring_full);
	seq_printf(m, "post_failed %llu\n", st.post_failed);
	seq_printf(m, "custody_dropped %llu\n", st.dropped);
	seq_printf(m, "custody_size %llu\n", tab.size);
	seq_printf(m, "custody_high_water %llu\n", tab.high_water);
	seq_printf(m, "custody_capacity %u\n", OAE_SCHED_CUSTODY_MAX);
	seq_printf(m, "custody_full %llu\n", tab.full);
	seq_printf(m, "custody_replayed %llu\n", tab.replayed);
	seq_printf(m, "custody_replay_failed %llu\n", tab.replay_failed);
	seq_printf(m, "custody_forgotten %llu\n", tab.forgotten);
	seq_printf(m, "picks_offered %llu\n", st.offered);
	seq_printf(m, "picks_busy %llu\n", st.busy);
	seq_printf(m, "picks_answered %llu\n", st.answered);
	seq_printf(m, "picks_empty %llu\n", st.empty);
	seq_printf(m, "picks_withdrawn %llu\n", st.withdrawn);
	seq_printf(m, "picks_bad_answer %llu\n", st.bad_answer);
	seq_printf(m, "picks_epoch_ended %llu\n", st.epoch_ended);
	seq_printf(m, "picks_committed %llu\n", st.committed);
	for (i = 1; i <= OAE_ABORT_REASON_MAX; i++)
		seq_printf(m, "aborted_%s %llu\n", oae_abort_names[i],
			   c.aborted[i]);
	seq_printf(m, "link_offered %llu\n", c.offered);
	seq_printf(m, "link_committed %llu\n", c.committed);
	seq_printf(m, "link_fallbacks %llu\n", c.fallbacks);
	seq_printf(m, "enforced_dispatched %llu\n", st.dispatched);
	seq_printf(m, "enforced_lost_race %llu\n", st.lost_race);
	seq_printf(m, "stale %llu\n", st.stale);
	seq_printf(m, "link_stale %llu\n", c.stale);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(oae_sched);

static int oae_mem_show(struct seq_file *m, void *v)
{
	oae_mem_debugfs_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(oae_mem);

void oae_debugfs_setup(void)
{
	oae_debugfs_root = debugfs_create_dir("oae", NULL);
}

int oae_debugfs_init(struct oae_dev *od)
{
	od->debugfs = debugfs_create_dir(dev_name(od->dev), oae_debugfs_root);
	debugfs_create_file("stats", 0400, od->debugfs, od, &oae_stats_fops);
	debugfs_create_file("ipu", 0400, od->debugfs, od, &oae_ipu_fops);
	debugfs_create_file("sched", 0400, od->debugfs, od, &oae_sched_fops);
	debugfs_create_file("mem", 0400, od->debugfs, od, &oae_mem_fops);
	return 0;
}

void oae_debugfs_exit(struct oae_dev *od)
{
	debugfs_remove_recursive(od->debugfs);
}

void oae_debugfs_cleanup(void)
{
	debugfs_remove_recursive(oae_debugfs_root);
	oae_debugfs_root = NULL;
}
