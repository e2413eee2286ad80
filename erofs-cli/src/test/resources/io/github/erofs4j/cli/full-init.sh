#!/bin/busybox sh
# The /init of the full initramfs that the boot test assembles: reports what it sees, then powers off.
/bin/busybox --install -s /bin
export PATH=/sbin:/bin
say() { echo "FULLINIT: $*"; }
# Booted directly (without the first stage, to compare), nothing is mounted yet.
[ -e /proc/uptime ] || { mkdir -p /proc; mount -t proc proc /proc; }
say "started as pid $$ with arguments: $*"
say "uptime $(cut -d' ' -f1 /proc/uptime) s"
say "root $(awk '$2 == "/" { t = $1 " " $3 " " $4 } END { print t }' /proc/mounts)"
say "lower $(awk '$2 == "/run/initoverlayfs/lower" { print $1, $3, $4 }' /proc/mounts)"
say "upper $(awk '$2 == "/run/initoverlayfs/rw" { print $1, $3, $4 }' /proc/mounts)"
[ -f /run/initoverlayfs/lower/init ] && say "this init is in the lower"
if echo written-at-boot >/boot-test-file 2>/dev/null \
	&& [ "$(cat /run/initoverlayfs/rw/upper/boot-test-file 2>/dev/null)" = written-at-boot ]; then
	say "root writable: the write landed in the tmpfs upper"
else
	say "root not writable"
fi
say "dm table: $(DM_DISABLE_UDEV=1 dmsetup table initoverlayfs 2>&1)"
if sum=$(md5sum /canary 2>&1); then
	say "canary read, md5 ${sum%% *}"
else
	say "canary read failed: $sum"
fi
say "memory: $(awk '/^(MemTotal|MemAvailable):/ { printf "%s %s kB ", $1, $2 }' /proc/meminfo)"
say "uptime $(cut -d' ' -f1 /proc/uptime) s at the end"
say "done"
poweroff -f
