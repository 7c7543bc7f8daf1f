/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of oae_ipu.ko: every swap's outcome, aborts (a withdrawal is
 * an abort with reason "withdrawn"), fallbacks and state changes
 * (events/oae_ipu/ in tracefs).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM oae_ipu

#if !defined(_OAE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _OAE_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(oae_swap,
	TP_PROTO(u32 link, u64 seq, u32 op, int result, u64 rtt_ns),
	TP_ARGS(link, seq, op, result, rtt_ns),
	TP_STRUCT__entry(
		__field(u32, link)
		__field(u64, seq)
		__field(u32, op)
		__field(int, result)
		__field(u64, rtt_ns)
	),
	TP_fast_assign(
		__entry->link = link;
		__entry->seq = seq;
		__entry->op = op;
		__entry->result = result;
		__entry->rtt_ns = rtt_ns;
	),
	TP_printk("link=%u seq=%llu op=%u result=%d rtt_ns=%llu",
		  __entry->link, __entry->seq, __entry->op, __entry->result,
		  __entry->rtt_ns)
);

TRACE_EVENT(oae_abort,
	TP_PROTO(u32 link, u64 seq, u32 reason),
	TP_ARGS(link, seq, reason),
	TP_STRUCT__entry(
		__field(u32, link)
		__field(u64, seq)
		__field(u32, reason)
	),
	TP_fast_assign(
		__entry->link = link;
		__entry->seq = seq;
		__entry->reason = reason;
	),
	TP_printk("link=%u seq=%llu reason=%s", __entry->link, __entry->seq,
		  __print_symbolic(__entry->reason,
				   { OAE_ABORT_NONE, "none" },
				   { OAE_ABORT_WITHDRAWN, "withdrawn" },
				   { OAE_ABORT_BAD_REFLECT, "bad_reflect" },
				   { OAE_ABORT_STALE_OBJECT, "stale_object" },
				   { OAE_ABORT_BAD_ANSWER, "bad_answer" },
				   { OAE_ABORT_DECLINED, "declined" }))
);

TRACE_EVENT(oae_fallback,
	TP_PROTO(u32 link, int state),
	TP_ARGS(link, state),
	TP_STRUCT__entry(
		__field(u32, link)
		__field(int, state)
	),
	TP_fast_assign(
		__entry->link = link;
		__entry->state = state;
	),
	TP_printk("link=%u state=%d", __entry->link, __entry->state)
);

TRACE_EVENT(oae_state,
	TP_PROTO(int from, int to, u64 epoch),
	TP_ARGS(from, to, epoch),
	TP_STRUCT__entry(
		__field(int, from)
		__field(int, to)
		__field(u64, epoch)
	),
	TP_fast_assign(
		__entry->from = from;
		__entry->to = to;
		__entry->epoch = epoch;
	),
	TP_printk("state %d -> %d epoch=%llu", __entry->from, __entry->to,
		  __entry->epoch)
);

#endif /* _OAE_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE oae_trace
#include <trace/define_trace.h>
