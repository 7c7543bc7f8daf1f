#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /sys/class/oae/oaeN: the read-only files exist and show what the IPU
# published in the window header.
. "$(dirname "$0")/../lib.sh"

tap_plan 10
oae_load || { tap_diag "insmod failed"; }
dev=$OAE_CLASS/oae0
win() { oae-window dump | sed -n "s/^$1=//p"; }

tap_check "class device $dev exists" test -d $dev
for f in state abi_version ipu_heartbeat; do
	[ -r $dev/$f ] || tap_diag "missing $dev/$f"
done
tap_check "link state comes up" oae_wait_state up 5
tap_check "ipu_state is ready" test "$(cat $dev/ipu_state)" = ready
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
for f in state ipu_state abi_version ipu_heartbeat epoch nr_links links_per_class; do
	if (echo 1 > $dev/$f) 2>/dev/null; then
		tap_diag "write to $f succeeded"
		ro=0
	fi
done
tap_check "status attributes are read-only" test $ro = 1

# Tunables: valid values stick, invalid ones are refused and change nothing.
tun_ok=1
check_tunable() {	# FILE GOOD BAD...
	f=$dev/$1 good=$2
	shift 2
	echo "$good" > $f || { tap_diag "$f: valid '$good' refused"; tun_ok=0; }
	[ "$(cat $f)" = "$good" ] || { tap_diag "$f: reads $(cat $f), wrote $good"; tun_ok=0; }
	for bad in "$@"; do
		if (echo "$bad" > $f) 2>/dev/null; then
			tap_diag "$f: invalid '$bad' accepted"
			tun_ok=0
		fi
		[ "$(cat $f)" = "$good" ] || { tap_diag "$f: changed by '$bad'"; tun_ok=0; }
	done
}
check_tunable swap_timeout_ns 2000000 0 999 abc -5 99999999999 ""
check_tunable spin_budget_ns 20000 0 99 1000001 abc -1 ""
check_tunable heartbeat_ms 20 0 1001 1.5 x
check_tunable dead_threshold 30 1 0 100001 -1
tap_check "tunables accept valid values and refuse invalid ones unchanged" test $tun_ok = 1
# Logging is rate-limited (user space can write at will): check the first.
tap_check "refused tunable writes are logged" \
	sh -c "dmesg | grep -q \"swap_timeout_ns: rejected '0'\" && dmesg | grep -q \"spin_budget_ns: rejected '0'\""

oae_unload
tap_check "unload after sysfs reads" test ! -e $dev
tap_done
