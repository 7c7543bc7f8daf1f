#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke test for any IPU (the firmware in particular): a short workload
# under scx_oae completes with its decisions coming from the IPU.
. "$(dirname "$0")/../lib.sh"

tap_plan 4
oae_load
oae_wait_state up 30
scx_start || { tap_fail "scx_oae attaches"; tap_done; }
n=$(nproc)
stress-ng --timeout 10 --cpu "$n" --fork "$n" > /tmp/stress.log 2>&1
rc=$?
tap_check "the workload completed (stress-ng exit $rc)" test $rc = 0
scx_stop_and_check
oae_unload
tap_done
