/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * link.pml - SPIN model of one oae-ipu link: the bilateral swap
 * (DESIGN 2.2), custody events with the freshness watermark (2.4),
 * withdrawal, IPU death and recovery in a new epoch (S6).
 *
 * Processes:
 *   cpu0     host CPU 0: the initiator of swaps on its link; enforces
 *            (runs) the task an answer names; falls back to local picks
 *            when it declares the IPU dead; requests a new epoch.
 *   cpu1     host CPU 1: concurrent dequeue. Takes queued tasks to run
 *            locally (TASK_GONE), re-queues or wakes them (TASK_RUNNABLE).
 *   ipu      the responder: consumes custody events, answers offers,
 *            stages, settles; may die at any step and may reboot.
 *   monitor  global invariants (S2, S3), checked in every state.
 *
 * Every property assertion carries a tag comment (S1..S6, REACH) on the
 * same line; selftests/model/run maps a violated line back to its tag.
 * Documentation/model.rst explains the abstractions.
 *
 * Switches (cpp, pass to spin as -DNAME):
 *   NT=2|3, NSWAP, NCPU1, MAXEPOCH, MAXCRASH, MAXWD   configuration
 *   OUTCOME_AS_SPECIFIED=1  IPU settles a staged swap from whatever later
 *                           outcome word it sees (no commit_seq word)
 *   OUTCOME_AS_SPECIFIED=2  IPU settles only on an outcome word naming
 *                           exactly its staged swap (no commit_seq word)
 *   BUG_SKIP_VERSION_CHECK  host skips the custody-version part of the
 *                           commit-time check
 *   BUG_NO_WATERMARK        IPU answers without consuming events up to W
 *   BUG_BLIND_RESTORE       IPU puts the staged task back on ABORT even if
 *                           a custody event about it arrived meanwhile
 *   BUG_BLIND_COMMIT        IPU removes the staged task from its runqueue
 *                           on COMMIT even if a later event re-queued it
 *   BUG_NO_EPOCH_CHECK      IPU applies custody events of any epoch
 *   BUG_SEQ_RESET           host restarts swap numbers at 1 in a new epoch
 *                           (the outcome word carries no epoch)
 *   BUG_ADOPT_ATTACHED      a rebooted IPU adopts the epoch the host is
 *                           still attached to, instead of waiting for a
 *                           request (the code before link ABI 2.0): it
 *                           serves that epoch with an empty runqueue
 *   ATTACH_CLEARS_COMMIT_SEQ  host zeroes commit_seq and rewrites the
 *                           outcome word as (last seq, ABORT) when it
 *                           requests a new epoch, before the IPU acked it
 *   POST_IN_FALLBACK        host keeps posting custody events while it
 *                           treats the IPU as dead (default: it stops, the
 *                           re-post on recovery replaces them)
 *   RING_STEP               IPU consumes one event per step (default: all
 *                           published so far, in one step)
 *   PERFECT_FD              liveness runs: see SUSPECT
 *   REACH                   vacuity probe: fails once a swap commits after
 *                           an IPU crash and a recovery in a new epoch
 */

#ifndef NT
#define NT		2	/* tasks (2 or 3) */
#endif
#ifndef NSWAP
#define NSWAP		3	/* dispatch rounds of host CPU 0 */
#endif
#ifndef NCPU1
#define NCPU1		2	/* custody actions of host CPU 1 */
#endif
#ifndef MAXEPOCH
#define MAXEPOCH	2	/* epochs 1..MAXEPOCH: at most MAXEPOCH-1 recoveries */
#endif
#ifndef MAXCRASH
#define MAXCRASH	1	/* IPU crashes */
#endif
#ifndef MAXWD
#define MAXWD		1	/* withdrawals by the host */
#endif
#ifndef OUTCOME_AS_SPECIFIED
#define OUTCOME_AS_SPECIFIED 0
#endif

/* Enough ring entries that the host never blocks on a full ring. */
#define RING		(NCPU1 + 2 * NSWAP + NT * MAXEPOCH)

#define NONE		255

/* Host custody: where a task is (exactly one place, by construction). */
#define SLEEP		0	/* not runnable, not in custody */
#define QUEUED		1	/* runnable, in custody, waiting for a CPU */
#define RUN0		2	/* running on CPU 0 */
#define RUN1		3	/* running on CPU 1 */

/* Custody events (host -> IPU ring). */
#define EV_RUNNABLE	1
#define EV_GONE		2

/* host_state */
#define FALLBACK	0	/* IPU declared dead: local decisions */
#define ATTACHING	1	/* new epoch requested, not acked */
#define ATTACHED	2	/* offering swaps */

/* Answer status. */
#define ST_OK		0
#define ST_EMPTY	1

/* Ghost: the host's decision on a swap. */
#define U_NONE		0
#define U_COMMIT	1
#define U_ABORT		2

/*
 * Digests. The model's digest is injective over the values that occur,
 * i.e. a perfect hash: a torn read is always detected. The real digest
 * (oae_digest_add) detects it with high probability; see model.rst.
 */
#define DIG(e, n, w)		((e) * 1024 + (n) * 64 + (w))
#define ADIG(r, s, t, v)	((((r) * 2 + (s)) * 4 + (t)) * 64 + (v))

/* ---- host custody (host-local memory, under the host's custody lock) --- */
byte hst[NT] = QUEUED;
byte hver[NT] = 1;		/* custody version: bumped by every event */
byte produced;			/* events published (ring head) */

/* ---- [HOST] halves in the window ------------------------------------- */
chan ring = [RING] of { byte, byte, byte, byte };	/* type, task, version, epoch */
byte off_seq;			/* offer publish word */
byte off_W;			/* offer watermark */
short off_dig;			/* offer digest */
byte oc_seq;			/* outcome word: seq ... */
bit oc_commit;			/* ... and committed bit */
byte commit_seq;		/* seq of the last committed swap (see model.rst) */
byte host_epoch = 1;
byte host_state = ATTACHED;

/* ---- [IPU] halves in the window -------------------------------------- */
byte ans_seq;			/* answer publish word */
byte ans_status;
short ans_reflect;		/* digest of the offer as the IPU read it */
byte ans_task;
byte ans_ver;
int ans_dig;
byte ipu_epoch = 1;		/* epoch served; 0 while booting */
byte consumed;			/* events consumed (ring tail) */

/* ---- IPU private state (global only so that the monitor can see it) --- */
bit ipu_up = 1;			/* ghost: alive and not rebooting */
byte crashes;
bit rq[NT] = 1;			/* IPU runqueue */
byte rqv[NT] = 1;		/* custody version of each queued task */
bit stg_valid;			/* a swap is staged */
bit stg_sup;			/* an event about the staged task arrived since */
byte stg_seq;
byte stg_task;
byte stg_ver;

/* ---- ghosts: what really happened, for the assertions ----------------- */
bit sh[NT] = 1;			/* IPU runqueue as if no swap had been staged */
byte shv[NT] = 1;
byte gW[NSWAP + 1];		/* watermark host published with offer n */
byte g_oep[NSWAP + 1];		/* epoch of offer n */
byte g_hout[NSWAP + 1];		/* host's decision on swap n */
byte g_oc_ep;			/* epoch the current outcome word was written in */
bit g_ans_exact;		/* last answer computed for the offer as published */
bit g_ans_fresh;		/* last answer computed with all events <= W applied */
bit hwait;			/* host CPU 0 is waiting on a swap */

/* Post a custody event: caller holds the host custody lock (atomic). */
inline post(ty, t)
{
	hver[t]++;
	if
#ifdef POST_IN_FALLBACK
	:: true ->
#else
	:: host_state != FALLBACK ->
#endif
		assert(nfull(ring));
		ring!ty, t, hver[t], host_epoch;
		produced++;
		printf("@   event #%d: %d(task %d, v%d, epoch %d)  [1=RUNNABLE 2=GONE]\n",
			produced, ty, t, hver[t], host_epoch)
	:: else -> skip	/* IPU declared dead: the re-post replaces these */
	fi
}

/* The task that was running on CPU 0 stops: re-queued or asleep. */
inline cpu0_stop(t)
{
	atomic {
		assert(hst[t] == RUN0);	/* S3 */
		if
		:: hst[t] = QUEUED;
			printf("@ cpu0: task %d stops, re-queued\n", t);
			post(EV_RUNNABLE, t)
		:: hst[t] = SLEEP;
			printf("@ cpu0: task %d stops, sleeps\n", t)
		fi;
		t = 0
	}
}

/*
 * Failure detector (S6). The heartbeat alternation (the host advances its
 * heartbeat once the IPU has echoed the previous one; K missed alternations
 * mean dead) is abstracted to what it can tell the host. In safety runs
 * the host may declare the IPU dead at any time: a slow IPU can always miss
 * K alternations, so no safety property may rest on the detector (S5).
 * With PERFECT_FD (liveness runs) the host declares the IPU dead only if it
 * has really stopped serving (dead or rebooting): a live IPU echoes in time.
 */
#ifdef PERFECT_FD
#define SUSPECT		(!ipu_up)
#else
#define SUSPECT		1
#endif

/* The commit-time custody check: same custody version as the answer. */
#ifdef BUG_SKIP_VERSION_CHECK
#define VERSION_OK(t)	1
#else
#define VERSION_OK(t)	(hver[t] == ans_ver)
#endif

/* CPU 0 picks a queued task from the host's own custody (IPU dead). */
inline local_pick()
{
	if
	:: hst[0] == QUEUED -> T = 0
	:: hst[1] == QUEUED -> T = 1
#if NT > 2
	:: hst[2] == QUEUED -> T = 2
#endif
	:: else -> T = NONE
	fi;
	if
	:: T != NONE -> hst[T] = RUN0; c = 1;
		printf("@ cpu0: local pick: runs task %d\n", T);
		post(EV_GONE, T)
	:: else -> T = 0
	fi
}

active proctype cpu0()
{
	byte seq, i, myW, T, wd, k;
	bit c;

main:
	do
	/* 1. OFFER: payload "CPU 0 idle", watermark, digest; then publish */
	:: atomic { host_state == ATTACHED && i < NSWAP ->
		i++;
		seq++;
		myW = produced;
		off_W = myW;
		off_dig = DIG(host_epoch, seq, myW);
		gW[seq] = myW;
		g_oep[seq] = host_epoch;
		g_hout[seq] = U_NONE;
		printf("@ cpu0: OFFER n=%d epoch=%d W=%d (CPU 0 idle)\n",
			seq, host_epoch, myW) };
		goto swap
	:: atomic { host_state != ATTACHED && i < NSWAP -> i++; local_pick() };
		goto lpick
	/* recovery: request a new epoch */
	:: atomic { host_state == FALLBACK && host_epoch < MAXEPOCH ->
#ifdef ATTACH_CLEARS_COMMIT_SEQ
		/* rewrite the link half before the IPU has dropped its stage */
		commit_seq = 0; oc_seq = seq; oc_commit = 0; g_oc_ep = host_epoch;
#endif
		host_epoch++; host_state = ATTACHING;
		printf("@ cpu0: requests epoch %d\n", host_epoch) }
	/* epoch acked: re-post custody of every queued task, then attach */
	:: atomic { host_state == ATTACHING && ipu_epoch == host_epoch ->
		for (k : 0 .. NT - 1) {
			if
			:: hst[k] == QUEUED -> post(EV_RUNNABLE, k)
			:: else -> skip
			fi
		};
		k = 0;
#ifdef BUG_SEQ_RESET
		seq = 0;
#endif
		host_state = ATTACHED;
		printf("@ cpu0: epoch %d acked, custody re-posted, attached\n",
			host_epoch) }
	:: i == NSWAP -> break
	od;
	goto done;

swap:
	atomic { off_seq = seq; hwait = 1 }	/* publish (release) */

	/* wait for the answer; the wait bound is a nondeterministic choice */
	do
	:: ans_seq == seq -> break
	:: ans_seq != seq && wd < MAXWD ->
		/* withdrawal: ABORT n, reason WITHDRAWN */
		atomic {
			wd++;
			g_hout[seq] = U_ABORT;
			oc_seq = seq; oc_commit = 0; g_oc_ep = host_epoch;
			hwait = 0; myW = 0;
			printf("@ cpu0: WITHDRAW n=%d: outcome word = (n=%d, ABORT)\n",
				seq, seq)
		}
		goto main
	:: ans_seq != seq && SUSPECT ->
		/* missed alternations: declare dead, withdraw, decide locally */
		atomic {
			g_hout[seq] = U_ABORT;
			oc_seq = seq; oc_commit = 0; g_oc_ep = host_epoch;
			host_state = FALLBACK;
			hwait = 0; myW = 0;
			printf("@ cpu0: declares the IPU dead while waiting on n=%d: fallback\n",
				seq);
			local_pick()
		}
		goto lpick
	od;

	/* 3. COMMIT/ABORT: check and enforce under the custody lock */
	atomic {
		T = ans_task;
		if
		:: ans_status == ST_OK &&
		   ans_reflect == DIG(host_epoch, seq, myW) &&
		   ans_dig == ADIG(ans_reflect, ans_status, ans_task, ans_ver) &&
		   T < NT && hst[T] == QUEUED && VERSION_OK(T) ->
			printf("@ cpu0: COMMIT n=%d: runs task %d (v%d)\n",
				seq, T, ans_ver);
			assert(g_ans_exact && g_ans_fresh);	/* S1 */
			assert(hst[T] == QUEUED && hver[T] == ans_ver);	/* S1 */
#ifdef REACH
			assert(!(crashes > 0 && host_epoch > 1));	/* REACH */
#endif
			hst[T] = RUN0;		/* enforce: CPU 0 runs T */
			c = 1;
			g_hout[seq] = U_COMMIT
		:: else ->
			c = 0;
			g_hout[seq] = U_ABORT;
			printf("@ cpu0: ABORT n=%d: answer rejected (status %d task %d v%d)\n",
				seq, ans_status, ans_task, ans_ver)
		fi;
		hwait = 0; myW = 0;
#ifndef BUG_SEQ_RESET
		/*
		 * The answer is dead from here on: swap numbers only grow, so
		 * no later wait can match it. Forget it (state merging).
		 */
		ans_seq = 0; ans_status = 0; ans_reflect = 0; ans_task = 0;
		ans_ver = 0; ans_dig = 0; g_ans_exact = 0; g_ans_fresh = 0;
#endif

		/*
		 * Publish the outcome (commit_seq first, then the outcome word
		 * with release). A posted write after the decision; publishing
		 * it in the same step only removes states in which the IPU
		 * could not have settled yet, which it may also just not do.
		 */
#if !OUTCOME_AS_SPECIFIED
		if
		:: c -> commit_seq = seq
		:: else -> skip
		fi;
#endif
		oc_seq = seq; oc_commit = c; g_oc_ep = host_epoch
	}
	if
	:: c -> c = 0; cpu0_stop(T)
	:: else -> T = 0
	fi;
	goto main;

lpick:
	if
	:: c -> c = 0; cpu0_stop(T)
	:: else -> skip
	fi;
	goto main;
done:
	skip
}

active proctype cpu1()
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

#define FRESH		(consumed >= rW)
#if OUTCOME_AS_SPECIFIED == 2
#define SETTLE_READY	(oc_seq == stg_seq)
#else
#define SETTLE_READY	(oc_seq >= stg_seq)
#endif
#ifdef BUG_NO_WATERMARK
#undef FRESH
#define FRESH		1
#endif

/*
 * When the IPU dies. In safety runs it is an option of every IPU step. In
 * liveness runs (PERFECT_FD) the decision comes from a separate process
 * that may also never take it, so that weak fairness, which forces an
 * idle IPU to take some enabled step, cannot force it to die.
 */
#ifdef PERFECT_FD
bit kill;
#define CRASH_NOW	(kill && crashes < MAXCRASH)
active proctype killer()
{
end:
	do
	:: crashes < MAXCRASH && !kill -> kill = 1
	:: true -> skip
	od
}
#else
#define CRASH_NOW	(crashes < MAXCRASH)
#endif

inline ipu_forget()
{
	for (t : 0 .. NT - 1) {
		rq[t] = 0; rqv[t] = 0; sh[t] = 0; shv[t] = 0
	};
	t = 0;
	stg_valid = 0; stg_sup = 0; stg_seq = 0; stg_task = 0; stg_ver = 0;
	pend = 0; r_seq = 0; rW = 0; rdig = 0
}

/*
 * Ghosts of swaps older than the offer the IPU is reading are never read
 * again (the host decided them before offering a newer one; the IPU answers
 * only newer ones), except the decision on the staged swap. Clearing them
 * merges states that differ only in dead ghost values.
 */
inline ghost_gc()
{
	for (t : 1 .. NSWAP) {
		if
		:: t < r_seq -> gW[t] = 0; g_oep[t] = 0;
			if
			:: !(stg_valid && t == stg_seq) -> g_hout[t] = U_NONE
			:: else -> skip
			fi
		:: else -> skip
		fi
	};
	t = 0
}

active proctype ipu()
{
	byte r_seq, rW, t, v, e, ty, last_off, pend;
	short rdig;
	bit commit;

serve:
end_serve:
	do
	/* new epoch requested: drop everything, ack */
	:: atomic { host_state == ATTACHING && host_epoch != ipu_epoch ->
		ipu_forget();
		ipu_epoch = host_epoch;
		ipu_up = 1;
		printf("@ ipu: resets, acks epoch %d\n", ipu_epoch) }

	/* consume custody events: all published so far, or one (RING_STEP) */
	:: atomic { consumed != produced ->
#ifndef RING_STEP
		do
		:: consumed != produced ->
#endif
			ring?ty, t, v, e;
			consumed++;
			if
#ifdef BUG_NO_EPOCH_CHECK
			:: ipu_up ->
#else
			:: e == ipu_epoch ->
#endif
				assert(e == ipu_epoch);		/* S6 */
				printf("@ ipu: applies event #%d\n", consumed);
				if
				:: ty == EV_RUNNABLE ->
					rq[t] = 1; rqv[t] = v; sh[t] = 1; shv[t] = v
				:: ty == EV_GONE ->
					rq[t] = 0; rqv[t] = 0; sh[t] = 0; shv[t] = 0
				fi;
				if
				:: stg_valid && stg_task == t -> stg_sup = 1
				:: else -> skip
				fi
			:: else ->	/* other epoch: counted, never applied */
				printf("@ ipu: drops event #%d (epoch %d)\n", consumed, e)
			fi;
			ty = 0; t = 0; v = 0; e = 0
#ifndef RING_STEP
		:: else -> break
		od
#endif
		}

	/*
	 * 2. REFLECT: see a new offer (acquire), read its body, verify the
	 * digest over (epoch, seq, W). One step: a torn read (seq of n, body
	 * of n+1) fails the digest and is ignored, which is the same as not
	 * having seen offer n at all (see model.rst).
	 */
	:: atomic { off_seq != last_off ->	/* replaces a pending older one */
		r_seq = off_seq; last_off = r_seq;
		rW = off_W; rdig = off_dig;
		ghost_gc();
		if
		:: rdig == DIG(ipu_epoch, r_seq, rW) -> pend = 2;
			printf("@ ipu: reads offer n=%d W=%d\n", r_seq, rW)
		:: else ->	/* protocol error */
			printf("@ ipu: offer n=%d fails digest (torn or other epoch): ignored\n",
				r_seq);
			pend = 0; r_seq = 0; rW = 0; rdig = 0
		fi }

	/* c: once events <= W are applied (S4), answer, stage, publish */
	:: atomic { pend == 2 && !stg_valid && FRESH ->
		assert(consumed >= gW[r_seq]);		/* S4 */
		assert(g_oep[r_seq] == ipu_epoch);	/* S6 */
		if
		:: rq[0] -> t = 0
		:: rq[1] -> t = 1
#if NT > 2
		:: rq[2] -> t = 2
#endif
		:: else -> t = NONE
		fi;
		if
		:: t != NONE ->
			stg_valid = 1; stg_sup = 0; stg_seq = r_seq;
			stg_task = t; stg_ver = rqv[t];
			ans_status = ST_OK; ans_task = t; ans_ver = rqv[t];
			rq[t] = 0; rqv[t] = 0
		:: else ->
			ans_status = ST_EMPTY; ans_task = 0; ans_ver = 0
		fi;
		printf("@ ipu: ANSWER n=%d: status %d task %d v%d (staged), %d events applied\n",
			r_seq, ans_status, ans_task, ans_ver, consumed);
		ans_reflect = rdig;
		ans_dig = ADIG(ans_reflect, ans_status, ans_task, ans_ver);
		g_ans_exact = (g_oep[r_seq] == ipu_epoch && rW == gW[r_seq]);
		g_ans_fresh = (consumed >= gW[r_seq]);
		ans_seq = r_seq;
		pend = 0; r_seq = 0; rW = 0; rdig = 0; t = 0 }

	/* 4. SETTLE the staged swap once the host's outcome covers it */
	:: atomic { stg_valid && SETTLE_READY ->
		if
		:: oc_seq == stg_seq -> commit = oc_commit
		:: else ->
#if OUTCOME_AS_SPECIFIED
			commit = oc_commit
#else
			commit = (commit_seq == stg_seq)
#endif
		fi;
		printf("@ ipu: SETTLE n=%d as %d [1=COMMIT 0=ABORT] (outcome word n=%d %d, commit_seq %d)\n",
			stg_seq, commit, oc_seq, oc_commit, commit_seq);
		assert(g_hout[stg_seq] == (commit -> U_COMMIT : U_ABORT));	/* S2 */
		assert(g_oc_ep == ipu_epoch);	/* S6 */
		if
		:: commit ->
#ifdef BUG_BLIND_COMMIT
			rq[stg_task] = 0; rqv[stg_task] = 0;
#endif
			if
			:: !stg_sup -> sh[stg_task] = 0; shv[stg_task] = 0
			:: else -> skip
			fi
		:: else ->
#ifdef BUG_BLIND_RESTORE
			rq[stg_task] = 1; rqv[stg_task] = stg_ver
#else
			if
			:: !stg_sup -> rq[stg_task] = 1; rqv[stg_task] = stg_ver
			:: else -> skip
			fi
#endif
		fi;
		g_hout[stg_seq] = U_NONE;	/* never read again */
		stg_valid = 0; stg_sup = 0; stg_seq = 0; stg_task = 0; stg_ver = 0;
		commit = 0 }

	/* death at any step */
	:: CRASH_NOW -> goto crash
	od;

	/*
	 * Death: all private state is lost. The IPU either never comes back
	 * or reboots; a booting IPU serves nothing (ipu_epoch 0 matches no
	 * offer, event or outcome) until the host requests a new epoch, so
	 * when exactly it reboots makes no difference: it reboots at once.
	 * For safety, never coming back is the same as a reboot whose ack
	 * comes later than anything else (nothing reads the difference), so
	 * only liveness runs, where "later" must not become "never" under
	 * fairness, keep the dead-for-good branch.
	 */
crash:
	atomic {
		crashes++;
		ipu_up = 0;
		ipu_forget();
		last_off = 0;
		if
#ifdef PERFECT_FD
		:: true -> printf("@ ipu: dies for good\n"); goto dead
#endif
		:: true -> printf("@ ipu: dies, reboots\n"); ipu_epoch = 0
		fi
	}
booting:
end_booting:
	if
	:: atomic { host_state == ATTACHING && host_epoch != ipu_epoch ->
		ipu_epoch = host_epoch;
		ipu_up = 1;
		printf("@ ipu: booted, acks epoch %d\n", ipu_epoch) }
#ifdef BUG_ADOPT_ATTACHED
	:: atomic { host_state == ATTACHED && host_epoch != ipu_epoch ->
		ipu_epoch = host_epoch;
		ipu_up = 1;
		printf("@ ipu: booted, adopts the attached epoch %d\n",
			ipu_epoch) }
#endif
	fi;
	goto serve;
dead:
end_dead:
	false				/* never comes back */
}

/*
 * Invariants, checked in every reachable state: the monitor can only move
 * when one is violated.
 */
#define QUIESCENT	(ipu_up && ipu_epoch == host_epoch && \
			 host_state == ATTACHED && consumed == produced && \
			 !stg_valid)
/* S3: at quiescence the IPU queues exactly the host's queued tasks, with
 * their current custody versions: none lost, none duplicated. */
#define CONS(t)		(rq[t] == (hst[t] == QUEUED) && \
			 (!rq[t] || rqv[t] == hver[t]))
/* S2: the IPU's runqueue is, at all times, the runqueue it would have had
 * without the swap (custody events applied), minus the staged task. */
#define STAGED(t)	(stg_valid && !stg_sup && stg_task == t)
#define BOTH(t)		(STAGED(t) -> (!rq[t] && sh[t] && shv[t] == stg_ver) : \
			 (rq[t] == sh[t] && rqv[t] == shv[t]))
/* S3: a task queued at the IPU is not also staged, and a task the host
 * runs is never queued at the IPU once its events are consumed. */
#if NT > 2
#define S3INV	(!QUIESCENT || (CONS(0) && CONS(1) && CONS(2)))
#define S2INV	(BOTH(0) && BOTH(1) && BOTH(2))
#else
#define S3INV	(!QUIESCENT || (CONS(0) && CONS(1)))
#define S2INV	(BOTH(0) && BOTH(1))
#endif

active proctype monitor()
{
end:
	do
	:: atomic { !S3INV -> assert(S3INV) }	/* S3 */
	:: atomic { !S2INV -> assert(S2INV) }	/* S2 */
	od
}

/* S6 liveness: a host CPU waiting on a swap always stops waiting (it
 * enforces, aborts, withdraws or falls back). Checked with -a -f. */
ltl live { [] (hwait -> <> !hwait) }
