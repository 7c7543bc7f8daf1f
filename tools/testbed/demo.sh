#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The testbed's main job, run inside the guest by "make run": bring the link
# up against the emulated IPU and show it live.
set -e
echo "== oae-ipu testbed: host $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"
echo "== IPU window (as the IPU published it)"
oae-window dump | sed 's/^/   /'
insmod /oae/modules/oae_ipu.ko
dev=/sys/class/oae/oae0
[ -d $dev ] || { echo "oae_ipu did not bind the IPU window"; dmesg | tail; exit 1; }
dmesg | grep oae_ipu | sed 's/^/   /'
echo "== $dev"
for f in state abi_version; do
	echo "   $f: $(cat $dev/$f)"
done
for i in 1 2 3; do
	echo "   ipu_heartbeat: $(cat $dev/ipu_heartbeat)"
	sleep 1
done
rmmod oae_ipu
echo "== link came up and the module unloaded cleanly"
