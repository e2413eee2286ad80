#!/bin/busybox sh
# /sbin/init of the root disk that the boot test's real initramfs mounts: reports where it runs, then powers off.
# The root is read-only; busybox runs its applets without links.
say() { echo "ROOTINIT: $*"; }
say "started as pid $$ with arguments: $*"
say "uptime $(cut -d' ' -f1 /proc/uptime) s"
say "root $(awk '$2 == "/" { t = $1 " " $3 " " $4 } END { print t }' /proc/mounts)"
say "overlay mounts $(grep -c ' - overlay ' /proc/self/mountinfo)"
say "device-mapper $(cat /sys/block/dm-0/dm/name 2>/dev/null || echo none)"
say "memory: $(awk '/^(MemTotal|MemAvailable):/ { printf "%s %s kB ", $1, $2 }' /proc/meminfo)"
say "done"
poweroff -f
