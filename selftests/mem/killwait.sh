#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# No unkillable wait in the fault path. Two processes fault through their
# regions; then the IPU is killed but the host is told to wait (a dead
# threshold it cannot reach, swap_timeout_ns 10 s), so one fault waits on
# its swap for 10 s and the other waits behind it on the device's lock.
# SIGKILL ends both waits at once: each process is reaped within 3 s, and
# the module counts both faults given up on the fatal signal. A third
# process that comes along then waits in mmap, killably too. Restarted,
# the IPU serves faults again, data intact.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
PAGES=$((BUDGET * 4))
tap_plan 9
oae_mem_setup $BUDGET
echo 1000 > $OAE_CLASS/oae0/heartbeat_ms
echo 100000 > $OAE_CLASS/oae0/dead_threshold
echo 10000000000 > $OAE_CLASS/oae0/swap_timeout_ns
epoch0=$(cat $OAE_CLASS/oae0/epoch)
killed0=$(oae_mem_stat killed)

# reaped_within PID SECONDS: SIGKILL it, then is it gone within SECONDS?
reaped_within() {
	kill -KILL "$1"
	tries=$(($2 * 10))
	while [ $tries -gt 0 ]; do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return 0; }
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

oae-mem-test integrity --pages $PAGES --order random --seconds 60 --seed 3 \
	> /dev/null 2>&1 &
first=$!
oae-mem-test integrity --pages $PAGES --order random --seconds 60 --seed 4 \
	> /dev/null 2>&1 &
second=$!
sleep 1
ipuctl kill > /dev/null
sleep 1
oae-mem-test integrity --pages $PAGES --order seq > /dev/null 2>&1 &
third=$!
sleep 1
tap_check "the link still counts the silent IPU as up (state $(cat $OAE_CLASS/oae0/state))" \
	test "$(cat $OAE_CLASS/oae0/state)" = up
tap_check "a faulting process dies of SIGKILL within 3 s (a swap would wait 10 s)" \
	reaped_within $first 3
tap_check "the other faulting process dies of SIGKILL within 3 s" \
	reaped_within $second 3
tap_check "a process waiting in mmap dies of SIGKILL within 3 s" \
	reaped_within $third 3
killed1=$(oae_mem_stat killed)
tap_check "both faults were given up on the fatal signal (killed $killed0 -> $killed1)" \
	test $((killed1 - killed0)) -ge 2

echo 10 > $OAE_CLASS/oae0/heartbeat_ms
ipuctl start > /dev/null
# Never declared dead, the link notices the restart (a new boot) itself.
tries=200
while [ $tries -gt 0 ]; do
	[ "$(cat $OAE_CLASS/oae0/epoch)" -gt "$epoch0" ] &&
		[ "$(cat $OAE_CLASS/oae0/state)" = up ] && break
	sleep 0.05
	tries=$((tries - 1))
done
tap_check "restarted IPU: up with a new epoch ($epoch0 -> $(cat $OAE_CLASS/oae0/epoch))" \
	test "$(cat $OAE_CLASS/oae0/epoch)" -gt "$epoch0" -a \
	"$(cat $OAE_CLASS/oae0/state)" = up
ipu0=$(oae_mem_stat ipu_decisions)
k_mismatches=
oae_mem_run k integrity --pages $PAGES --order seq --seed 9
r=$?
tap_check "faults are decided on the IPU again ($ipu0 -> $(oae_mem_stat ipu_decisions)), data intact ($k_mismatches mismatches)" \
	test "$(oae_mem_stat ipu_decisions)" -gt "$ipu0" -a "$r" = 0 -a "$k_mismatches" = 0
oae_mem_done
