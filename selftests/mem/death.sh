#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The IPU dies in the middle of an integrity run (ipuctl kill): it is
# declared dead, faults keep being served by the module's local policy
# (local decisions rise, IPU decisions stand still), and every word still
# reads back right. Restarted, the IPU comes back with a new epoch, custody
# is replayed without failure, and decisions are made on the IPU again.
. "$(dirname "$0")/../lib.sh"

BUDGET=${BUDGET:-64}
PAGES=$((BUDGET * 4))
tap_plan 9
oae_mem_setup $BUDGET
echo 10 > $OAE_CLASS/oae0/heartbeat_ms
echo 20 > $OAE_CLASS/oae0/dead_threshold
epoch0=$(cat $OAE_CLASS/oae0/epoch)
d_mismatches=
oae_mem_start integrity --pages $PAGES --order random --seconds 20 --seed 7
sleep 4
ipu0=$(oae_mem_stat ipu_decisions)
tap_check "before the kill decisions were made on the IPU ($ipu0)" test "$ipu0" -gt 0
oae_ipu_kill_watch oae_mem_stat local_decisions ipu_decisions 1 3
tap_diag "faults served while dead: fallback_down $(oae_mem_stat fallback_down)"
running=no
kill -0 $MEM_PID 2>/dev/null && running=yes
tap_check "the run was still going while the IPU was dead" test $running = yes
oae_mem_wait d
r=$?
tap_check "every word read back right across the IPU's death ($d_passes passes, $d_mismatches mismatches)" \
	test "$r" = 0 -a "$d_mismatches" = 0
ipuctl start > /dev/null
oae_wait_state up 10
epoch1=$(cat $OAE_CLASS/oae0/epoch)
tap_check "restarted IPU: up with a new epoch ($epoch0 -> $epoch1), no replay failure" \
	test "$(cat $OAE_CLASS/oae0/state)" = up -a "$epoch1" -gt "$epoch0" \
	-a "$(oae_stat replay_failures)" = 0
ipu3=$(oae_mem_stat ipu_decisions)
a_mismatches=
oae_mem_run a integrity --pages $PAGES --order seq --passes 2 --seed 8
r=$?
ipu4=$(oae_mem_stat ipu_decisions)
tap_check "after the restart decisions are made on the IPU again ($ipu3 -> $ipu4), data intact ($a_mismatches mismatches)" \
	test "$ipu4" -gt "$ipu3" -a "$r" = 0 -a "$a_mismatches" = 0
oae_mem_done
