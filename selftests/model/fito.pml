/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * fito.pml - the same scenario as link.pml under the forward-in-time-only
 * (FITO) protocol of Wave/ghOSt (DESIGN 3): custody events go forward on
 * the ring, the IPU prestages a decision for CPU 0 into a per-CPU
 * transaction slot from whatever view it has at that time, and CPU 0
 * claims the slot at dispatch without a round trip, validating only the
 * per-task barrier (the task's custody version) and that the task is
 * still queued, as ghOSt's commit does (TARGET_STALE otherwise).
 *
 * The IPU policy is a priority policy (task 0 before task 1 before ...),
 * so that a stale decision has a visible cost.
 *
 * Properties, each with its tag on the assertion line:
 *   S1      the decision CPU 0 enforces accounts for every custody event
 *           the host published before CPU 0 asked (dispatch); the same
 *           formulation link.pml checks against the offer's watermark.
 *           Expected to FAIL: SPIN finds a trail.
 *   S1P     (with -DS1_POLICY) what that costs: the enforced task is the
 *           policy's choice for the host's state at dispatch. FAILS too.
 *   S3      conservation: CPU 0 only runs a task that is queued in the
 *           host's custody (else it would run on two CPUs, or run while
 *           asleep). Holds with the barrier check; with -DNAIVE (no
 *           validation of the claimed slot) it FAILS.
 *
 * Switches: NAIVE, S1_POLICY, NO_S1 (check S3 only), REFRESH (the IPU may
 * revise an unclaimed slot, as Wave's atomic abort-and-restage does),
 * NDISP, NCPU1 (two tasks).
 */

#define NT		2	/* BEST_OF() is written for two tasks */
#ifndef NDISP
#define NDISP		2	/* dispatches of CPU 0 */
#endif
#ifndef NCPU1
#define NCPU1		2
#endif
#define RING		(NCPU1 + 2 * NDISP + 1)
#define NONE		255

#define SLEEP		0
#define QUEUED		1
#define RUN0		2
#define RUN1		3

#define EV_RUNNABLE	1
#define EV_GONE		2

/* host custody */
byte hst[NT];
byte hver[NT] = 1;		/* barrier: bumped by every event about the task */
byte produced;
chan ring = [RING] of { byte, byte, byte };	/* type, task, version */

/* IPU view */
bit rq[NT];
byte rqv[NT];
byte consumed;

/* CPU 0's transaction slot, written by the IPU, claimed by the host */
bit sl_valid;
byte sl_task;
byte sl_bar;
byte g_sl_applied;		/* ghost: events the IPU had applied when deciding */

inline post(ty, t)
{
	assert(nfull(ring));
	hver[t]++;
	ring!ty, t, hver[t];
	produced++;
	printf("@   event #%d: %d(task %d, barrier %d)  [1=RUNNABLE 2=GONE]\n",
		produced, ty, t, hver[t])
}

/* the policy: highest-priority (lowest-numbered) task in a set */
#define BEST_OF(set, t) \
	if \
	:: set[0] -> t = 0 \
	:: !set[0] && set[1] -> t = 1 \
	:: else -> t = NONE \
	fi

/* init: task 0 (high priority) asleep, task 1 queued and known to the IPU */
init {
	atomic {
		hst[0] = SLEEP; hst[1] = QUEUED;
		rq[1] = 1; rqv[1] = 1;
		run cpu0(); run cpu1(); run ipu()
	}
}

proctype cpu0()
{
	byte i, T;
	bit ok;
#ifdef S1_POLICY
	byte k;
#endif

	do
	:: i < NDISP ->
		/* dispatch: CPU 0 is idle now and claims its slot, no round trip */
		atomic {
			i++;
			if
			:: sl_valid ->
				T = sl_task; sl_valid = 0;
#ifdef NAIVE
				ok = 1;
#else
				ok = (hver[T] == sl_bar && hst[T] == QUEUED);
#endif
				if
				:: ok ->
					printf("@ cpu0: dispatch: claims slot, task %d barrier %d: ENFORCE\n",
						T, sl_bar);
#ifndef NO_S1
					assert(g_sl_applied >= produced);	/* S1 */
#endif
#ifdef S1_POLICY
					for (k : 0 .. T) {
						assert(k == T || hst[k] != QUEUED)	/* S1P */
					};
					k = 0;
#endif
					assert(hst[T] == QUEUED);	/* S3 */
					hst[T] = RUN0
				:: else ->
					printf("@ cpu0: dispatch: claims slot, task %d barrier %d: STALE, aborted\n",
						T, sl_bar);
					T = NONE
				fi
			:: else ->
				printf("@ cpu0: dispatch: no transaction, stays idle\n");
				T = NONE
			fi;
			sl_task = 0; sl_bar = 0; g_sl_applied = 0; ok = 0
		}
		/* the task runs, then stops: re-queued or asleep */
		if
		:: T != NONE ->
			atomic {
				if
				:: hst[T] = QUEUED;
					printf("@ cpu0: task %d stops, re-queued\n", T);
					post(EV_RUNNABLE, T)
				:: hst[T] = SLEEP;
					printf("@ cpu0: task %d stops, sleeps\n", T)
				fi;
				T = 0
			}
		:: else -> T = 0
		fi
	:: i == NDISP -> break
	od
}

proctype cpu1()
{
	byte k, t;

	do
	:: k < NCPU1 ->
		atomic {
			k++;
			select (t : 0 .. NT - 1);
			if
			:: hst[t] == QUEUED -> hst[t] = RUN1;
				printf("@ cpu1: dequeues task %d to run it\n", t);
				post(EV_GONE, t)
			:: hst[t] == RUN1 -> hst[t] = QUEUED;
				printf("@ cpu1: re-queues task %d\n", t);
				post(EV_RUNNABLE, t)
			:: hst[t] == SLEEP -> hst[t] = QUEUED;
				printf("@ cpu1: wakes task %d\n", t);
				post(EV_RUNNABLE, t)
			:: hst[t] == RUN0 -> skip
			fi;
			t = 0
		}
	:: k == NCPU1 -> break
	od
}

proctype ipu()
{
	byte t, v, ty, b;

end:
	do
	/* consume one custody event */
	:: atomic { nempty(ring) ->
		ring?ty, t, v;
		consumed++;
		if
		:: ty == EV_RUNNABLE -> rq[t] = 1; rqv[t] = v
		:: ty == EV_GONE -> rq[t] = 0; rqv[t] = 0
		fi;
		printf("@ ipu: applies event #%d\n", consumed);
		ty = 0; t = 0; v = 0 }

	/* prestage a decision for CPU 0 ahead of need, from the current view */
	:: atomic { !sl_valid ->
		BEST_OF(rq, t);
		if
		:: t != NONE ->
			rq[t] = 0;
			sl_task = t; sl_bar = rqv[t]; rqv[t] = 0;
			g_sl_applied = consumed;
			sl_valid = 1;
			printf("@ ipu: prestages task %d barrier %d for CPU 0 (%d events applied)\n",
				t, sl_bar, consumed)
		:: else -> skip
		fi;
		t = 0 }

#ifdef REFRESH
	/* abort an unclaimed transaction and restage a better one (CAS) */
	:: atomic { sl_valid ->
		BEST_OF(rq, t);
		if
		:: t != NONE && t < sl_task ->
			rq[sl_task] = 1; rqv[sl_task] = sl_bar;
			rq[t] = 0;
			sl_task = t; sl_bar = rqv[t]; rqv[t] = 0;
			g_sl_applied = consumed;
			printf("@ ipu: restages task %d barrier %d for CPU 0\n", t, sl_bar)
		:: else -> skip
		fi;
		t = 0 }
#endif
	od
}
