#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# oae_ipu.ko load/unload, repeatedly, against a live IPU (ipu-sim or fw).
. "$(dirname "$0")/../lib.sh"

ROUNDS=${ROUNDS:-20}
tap_plan 3

bound=0
unloaded=0
for i in $(seq 1 "$ROUNDS"); do
	oae_load || { tap_diag "insmod failed in round $i"; break; }
	oae_wait_state up 5 && bound=$((bound + 1))
	oae_unload || { tap_diag "rmmod failed in round $i"; break; }
	if ! oae_loaded && [ ! -e $OAE_CLASS/oae0 ]; then
		unloaded=$((unloaded + 1))
	fi
done
tap_diag "rounds=$ROUNDS bound=$bound unloaded=$unloaded"
[ "$bound" = "$ROUNDS" ] && tap_pass "oaeN bound and link up in all $ROUNDS loads" ||
	tap_fail "oaeN bound and link up in all $ROUNDS loads"
[ "$unloaded" = "$ROUNDS" ] && tap_pass "module and class device gone after all $ROUNDS unloads" ||
	tap_fail "module and class device gone after all $ROUNDS unloads"
# The class itself goes with the module.
[ ! -e $OAE_CLASS ] && tap_pass "/sys/class/oae removed with the module" ||
	tap_fail "/sys/class/oae removed with the module"
tap_done
