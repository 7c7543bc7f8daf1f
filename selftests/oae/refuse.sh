#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The driver binds only windows that carry a valid oae header, and refuses
# everything else with a clear log line and an errno, without an oops.
# Runs with no IPU attached (tools/testbed/run --ipu=none): the test itself
# writes each header into the window before loading the module.
. "$(dirname "$0")/../lib.sh"

# case : expected outcome : text the refusal must log : probe errno
CASES="
valid:bind::
newer-minor:bind::
zero:refuse:window not formatted:
bad-magic:refuse:bad magic:
future-abi:refuse:unsupported ABI major version:
no-links:refuse:link or core count out of range:-22
overlap:refuse:region outside the window or overlapping:-22
ring-outside:refuse:region outside the window or overlapping:-22
window-too-big:refuse:impossible header or window size:-22
bad-state:refuse:unknown IPU state:-22
"
tap_plan $(echo "$CASES" | grep -c :)

while IFS=: read -r name want text err; do
	[ -n "$name" ] || continue
	oae-window craft "$name" || { tap_fail "$name: craft header"; continue; }
	dmesg -c > /dev/null
	oae_load || { tap_fail "$name: insmod"; continue; }
	log=$(dmesg)
	ok=1
	if [ "$want" = bind ]; then
		[ -e $OAE_CLASS/oae0 ] || { tap_diag "$name: not bound"; ok=0; }
	else
		[ ! -e $OAE_CLASS/oae0 ] || { tap_diag "$name: bound"; ok=0; }
		echo "$log" | grep -q "refusing window: $text" ||
			{ tap_diag "$name: no log line 'refusing window: $text'"; ok=0; }
		if [ -n "$err" ]; then
			echo "$log" | grep -q "failed with error $err" ||
				{ tap_diag "$name: probe did not fail with $err"; ok=0; }
		fi
	fi
	oae_unload || ok=0
	[ $ok = 1 ] && tap_pass "$name header: $want" || {
		echo "$log" | sed 's/^/# dmesg: /'
		tap_fail "$name header: $want"
	}
done <<EOF
$CASES
EOF
tap_done
