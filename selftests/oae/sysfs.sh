#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /sys/class/oae/oaeN: the read-only files exist and show what the IPU
# published in the window header.
. "$(dirname "$0")/../lib.sh"

tap_plan 7
oae_load || { tap_diag "insmod failed"; }
dev=$OAE_CLASS/oae0
win() { oae-window dump | sed -n "s/^$1=//p"; }

tap_check "class device $dev exists" test -d $dev
for f in state abi_version ipu_heartbeat; do
	[ -r $dev/$f ] || tap_diag "missing $dev/$f"
done
tap_check "state is ready" test "$(cat $dev/state)" = ready
tap_check "abi_version matches the header ($(win abi_version))" \
	test "$(cat $dev/abi_version)" = "$(win abi_version)"
hb1=$(cat $dev/ipu_heartbeat)
sleep 1
hb2=$(cat $dev/ipu_heartbeat)
tap_diag "ipu_heartbeat $hb1 -> $hb2"
tap_check "ipu_heartbeat advances" test "$hb2" -gt "$hb1"
tap_check "ipu_heartbeat tracks the header" \
	test "$(win ipu_heartbeat)" -ge "$hb2"
ro=1
for f in state abi_version ipu_heartbeat; do
	if (echo 1 > $dev/$f) 2>/dev/null; then
		tap_diag "write to $f succeeded"
		ro=0
	fi
done
tap_check "attributes are read-only" test $ro = 1
oae_unload
tap_check "unload after sysfs reads" test ! -e $dev
tap_done
