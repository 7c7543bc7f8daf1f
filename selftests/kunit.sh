#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run oae_ipu_kunit.ko in the guest and print each oae suite's KTAP results.
# insmod's exit status says nothing about test failures: the host parses
# this output (tools/tap-count) instead.
mods=${OAE_MODDIR:-/oae/modules}
insmod "$mods/oae_ipu.ko" || exit 1
insmod "$mods/oae_ipu_kunit.ko" || exit 1
found=0
for r in /sys/kernel/debug/kunit/oae*/results; do
	[ -r "$r" ] || continue
	cat "$r"
	found=1
done
rmmod oae_ipu_kunit && rmmod oae_ipu || exit 1
[ $found = 1 ] || { echo "not ok - no oae KUnit suite registered"; exit 1; }
