#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# scx_oae loads against the module's BTF, refuses clearly when it cannot
# run (module absent, IPU down, another sched_ext scheduler attached),
# exits cleanly on SIGINT with the sched_ext exit info, and a detached
# scheduler leaves the module free to unload.
. "$(dirname "$0")/../lib.sh"

tap_plan 10

out=$(scx_oae --duration 1 2>&1)
rc=$?
tap_diag "without the module: rc=$rc: $out"
tap_check "refused without the module, saying so" \
	sh -c "[ $rc != 0 ] && echo '$out' | grep -q 'oae_ipu.ko is not loaded'"

oae_load
oae_wait_state up 10
tap_check "module BTF is published (/sys/kernel/btf/oae_ipu)" test -s /sys/kernel/btf/oae_ipu

out=$(scx_oae --budget-ns 999999999 --duration 1 2>&1)
rc=$?
tap_check "bad option value: message and exit 2" \
	sh -c "[ $rc = 2 ] && [ -n \"\$(echo '$out' | head -c 1)\" ]"

tap_check "scx_oae loads against the module's kfuncs and attaches" scx_start
out=$(scx_oae --duration 1 2>&1)
rc=$?
tap_diag "second instance: rc=$rc: $out"
tap_check "a second scheduler is refused, naming the one attached" \
	sh -c "[ $rc != 0 ] && echo '$out' | grep -q 'oae'"
sleep 2
scx_stop
rc=$?
tap_check "SIGINT detaches cleanly (exit 0)" test $rc = 0
tap_check "exit info is printed (EXIT: ...)" grep -q 'EXIT' $SCX_LOG
tap_check "sched_ext is disabled again" \
	sh -c "[ \"\$(cat /sys/kernel/sched_ext/state)\" = disabled ]"

ipuctl stop > /dev/null
oae_wait_state dead 5
out=$(scx_oae --duration 1 2>&1)
rc=$?
tap_diag "IPU down: rc=$rc: $out"
tap_check "refused while the IPU is down, saying so" \
	sh -c "[ $rc != 0 ] && echo '$out' | grep -qi 'ipu'"
ipuctl start > /dev/null
oae_wait_state up 10

oae_unload
tap_check "rmmod succeeds after the scheduler detached" sh -c "! grep -q '^oae_ipu ' /proc/modules"
tap_done
