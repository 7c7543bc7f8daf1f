#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Device removal with swaps in flight: PCI unbind while two /dev/oae0
# ioctls are running (one spinning, one sleepable) waits for them, ends
# them with ENODEV, and later ioctls on the still-open files get ENODEV
# (no use of freed memory: the console check catches any oops or KASAN
# report). Rebinding brings the link up again and swaps resume. Needs a
# live IPU (ipu-sim or firmware).
. "$(dirname "$0")/../lib.sh"

tap_plan 6
drv=/sys/bus/pci/drivers/oae_ipu
oae_load
oae_wait_state up 10
bdf=$(basename "$(readlink $OAE_CLASS/oae0/device)")
tap_diag "oae0 is $bdf"

oae-swap --count 1000000 --repeat 100 > /tmp/unbind.sync 2>/dev/null &
sync_pid=$!
oae-swap --count 1000000 --repeat 100 --sleep --link 1 > /tmp/unbind.sleep 2>/dev/null &
sleep_pid=$!
sleep 1
start=$(date +%s)
echo "$bdf" > $drv/unbind
took=$(( $(date +%s) - start ))
wait $sync_pid
sync_rc=$?
wait $sleep_pid
sleep_rc=$?
tap_diag "unbind took ${took}s; sync: $(cat /tmp/unbind.sync | tr '\n' ' ')"
tap_diag "sleepable: $(cat /tmp/unbind.sleep | tr '\n' ' ')"
tap_check "unbind with swaps in flight completes without waiting them out" \
	test "$took" -le 5
tap_check "the running ioctls end with ENODEV" \
	sh -c "[ $sync_rc != 0 ] && [ $sleep_rc != 0 ] && grep -qx errno=19 /tmp/unbind.sync && grep -qx errno=19 /tmp/unbind.sleep"
tap_check "later ioctls on the open files get ENODEV" \
	sh -c "grep -qx again_errno=19 /tmp/unbind.sync && grep -qx again_errno=19 /tmp/unbind.sleep"
tap_check "oae0 is gone" test ! -e $OAE_CLASS/oae0

echo "$bdf" > $drv/bind
tap_check "rebind: the link comes back up" oae_wait_state up 10
echo $OAE_TEST_SPIN_BUDGET_NS > $OAE_CLASS/oae0/spin_budget_ns
oae_swap_run r --count 2000 --sleep
tap_check "swaps resume after rebind, none stale" \
	sh -c "[ $r_committed -ge 1000 ] && [ $r_stale = 0 ] && [ $r_protocol_errors = 0 ] && [ $r_tokens_posted = $r_tokens_granted ]"
oae_unload
tap_done
