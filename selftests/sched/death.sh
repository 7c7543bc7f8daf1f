#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The IPU dies during a stress-ng run under scx_oae: every task keeps
# running through the local fallback, every worker completes, nothing
# hangs. Restarted, the IPU comes back with a new epoch, custody is
# replayed, and offloaded decisions resume without reloading scx_oae; so
# do they after an IPU crash the host sees only as a restart.
. "$(dirname "$0")/../lib.sh"

tap_plan 9
oae_load
oae_wait_state up 10
echo 10 > $OAE_CLASS/oae0/heartbeat_ms
echo 20 > $OAE_CLASS/oae0/dead_threshold
scx_start || { tap_fail "scx_oae attaches"; tap_done; }
epoch0=$(cat $OAE_CLASS/oae0/epoch)
n=$(nproc)
stress-ng --timeout 30 --cpu "$n" --fork "$n" --yield "$n" > /tmp/stress.log 2>&1 &
stress=$!
sleep 4
ipu0=$(scx_stat ipu)
oae_ipu_kill_watch scx_stat local ipu 6 2
ipu2=$DEAD_IPU
ipuctl start > /dev/null
tap_check "restarted IPU: link comes back up" oae_wait_state up 10
epoch1=$(cat $OAE_CLASS/oae0/epoch)
tap_check "with a new epoch ($epoch0 -> $epoch1), no replay failure" \
	test "$epoch1" -gt "$epoch0" -a "$(oae_stat replay_failures)" = 0
sleep 4
ipu3=$(scx_stat ipu)
tap_diag "after restart: ipu $ipu2 -> $ipu3"
tap_check "offloaded decisions resume without reloading scx_oae" \
	sh -c "[ $ipu3 -gt $ipu2 ] && kill -0 $SCX_PID"
# A crash the host only sees as a restart (a new IPU boot before it is
# declared dead): a new epoch at once, the custody table replayed (tasks
# enqueued while the new epoch is attaching are decided locally, so the
# replay carries those still waiting), and decisions resume.
epoch2=$(cat $OAE_CLASS/oae0/epoch)
replayed0=$(sed -n 's/^custody_replayed //p' /sys/kernel/debug/oae/oae0/sched)
ipuctl crash > /dev/null
oae_wait_state up 10
sleep 3
epoch3=$(cat $OAE_CLASS/oae0/epoch)
replayed1=$(sed -n 's/^custody_replayed //p' /sys/kernel/debug/oae/oae0/sched)
ipu4=$(scx_stat ipu)
tap_diag "crash and restart: epoch $epoch2 -> $epoch3, custody replayed $replayed0 -> $replayed1 tasks, ipu $ipu3 -> $ipu4"
tap_check "an IPU restart: new epoch, replay without failure, decisions resume" \
	test "$epoch3" -gt "$epoch2" -a "$ipu4" -gt "$ipu3" -a "$(oae_stat replay_failures)" = 0
wait $stress
rc=$?
tail -n 5 /tmp/stress.log | sed 's/^/#   /'
tap_check "every worker completed (stress-ng exit $rc)" test $rc = 0
scx_stop
rc=$?
tap_diag "$(scx_last_stats)"
tap_check "scx_oae still attached and detaches cleanly" test $rc = 0
tap_check "stale enforcements: 0" test "$(scx_stat stale)" = 0
oae_unload
tap_done
