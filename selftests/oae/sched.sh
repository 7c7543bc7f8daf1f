#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The scheduling side of oae_ipu.ko against a live IPU: module BTF and the
# kfuncs in it (what a sched_ext policy links against), the scheduling
# device, sched_policy/sched_slice_us (a change starts a new epoch that
# comes up again; bad input is refused, logged, and changes nothing) and
# the debugfs sched counters.
. "$(dirname "$0")/../lib.sh"

KFUNCS="oae_sched_runnable oae_sched_gone oae_sched_pick_offer
oae_sched_pick_complete oae_sched_pick_commit oae_sched_pick_abort
oae_sched_pick_enforced"

tap_plan 10
oae_load || tap_diag "insmod failed"
dev=$OAE_CLASS/oae0
btf=/sys/kernel/btf/oae_ipu
sched=/sys/kernel/debug/oae/oae0/sched

tap_check "module BTF $btf exists" test -r $btf
missing=
for f in $KFUNCS; do
	if command -v bpftool >/dev/null 2>&1; then
		bpftool btf dump file $btf 2>/dev/null |
			grep -q "FUNC '$f'" || missing="$missing $f"
	else
		grep -q "$f" $btf || missing="$missing $f"
	fi
done
[ -n "$missing" ] && tap_diag "not in $btf:$missing"
tap_check "the scheduling kfuncs are in the module BTF" test -z "$missing"
tap_check "oae0 is the scheduling device" \
	sh -c "dmesg | grep -q 'oae0: scheduling device' && grep -q '^scheduling_device 1' $sched"
tap_check "link state comes up" oae_wait_state up 5
tap_check "sched_policy and sched_slice_us start at the IPU's defaults" \
	test "$(cat $dev/sched_policy)/$(cat $dev/sched_slice_us)" = "default/0"

# A change starts a new epoch, which the IPU acks with the custody replay.
ok=1
for v in fifo:2000 vtime:100 default:1000000 fifo:0; do
	e=$(cat $dev/epoch)
	echo "${v%%:*}" > $dev/sched_policy || ok=0
	echo "${v#*:}" > $dev/sched_slice_us || ok=0
	oae_wait_state up 5 || ok=0
	got="$(cat $dev/sched_policy):$(cat $dev/sched_slice_us)"
	[ "$got" = "$v" ] || { tap_diag "wrote $v, reads $got"; ok=0; }
	[ "$(cat $dev/epoch)" -gt "$e" ] ||
		{ tap_diag "$v: epoch stayed $e"; ok=0; }
done
tap_check "policy and slice changes start a new epoch that comes up" test $ok = 1
e=$(cat $dev/epoch)
echo fifo > $dev/sched_policy
tap_check "writing the current policy keeps the epoch" test "$(cat $dev/epoch)" = "$e"

ok=1
for bad in rr FIFO2 "" 1; do
	if (echo "$bad" > $dev/sched_policy) 2>/dev/null; then
		tap_diag "sched_policy: invalid '$bad' accepted"
		ok=0
	fi
done
for bad in 99 1000001 -1 abc 1.5; do
	if (echo "$bad" > $dev/sched_slice_us) 2>/dev/null; then
		tap_diag "sched_slice_us: invalid '$bad' accepted"
		ok=0
	fi
done
[ "$(cat $dev/sched_policy):$(cat $dev/sched_slice_us)" = fifo:0 ] || ok=0
[ "$(cat $dev/epoch)" = "$e" ] || ok=0
tap_check "invalid policy and slice are refused and change nothing" test $ok = 1
tap_check "refused writes are logged with the accepted values" \
	sh -c "dmesg | grep -q \"sched_policy: rejected 'rr'\" && dmesg | grep -q \"sched_slice_us: rejected '99': not 0 or in \[100, 1000000\]\""
tap_diag "$(tr '\n' ' ' < $sched)"
tap_check "debugfs sched: no stale enforcement" \
	test "$(sed -n 's/^stale //p' $sched)" = 0

oae_unload
tap_done
