#!/bin/sh
# Usage: mkinitramfs-chroot.sh KERNEL_ROOT VERSION WORKDIR OUTPUT
# Runs Debian's mkinitramfs for an unpacked (not installed) kernel package in a private mount namespace:
# a throw-away root under WORKDIR whose /usr is an overlay of the host's /usr (so that /usr/lib/modules/VERSION
# can be the unpacked package's modules) and whose /boot holds only the package's config. Nothing outside
# WORKDIR is written. The configuration is the host's /etc/initramfs-tools plus one init-top script that prints
# the uptime and the memory available when the initramfs's init starts its work.
set -eu
kroot=$1 version=$2 work=$3 out=$4
exec unshare --mount --propagation private sh -eu -c '
kroot=$1 version=$2 work=$3 out=$4
r=$work/root
mkdir -p "$r" "$work/upper" "$work/ovlwork" "$work/out"
mount -t tmpfs tmpfs "$r"
mkdir -p "$r/usr" "$r/etc" "$r/dev" "$r/proc" "$r/sys" "$r/boot" "$r/tmp" "$r/var/tmp" "$r/out"
for d in bin sbin lib lib64; do [ -L "/$d" ] && ln -s "usr/$d" "$r/$d"; done
mount -t overlay overlay -o "lowerdir=/usr,upperdir=$work/upper,workdir=$work/ovlwork" "$r/usr"
mkdir -p "$r/usr/lib/modules/$version"
mount --bind "$kroot/lib/modules/$version" "$r/usr/lib/modules/$version"
cp "$kroot/boot/config-$version" "$r/boot/"
mount --rbind /etc "$r/etc"
mount --rbind /dev "$r/dev"
mount -t proc proc "$r/proc"
mount --bind "$work/out" "$r/out"
mkdir -p "$r/conf"
cp -a /etc/initramfs-tools/. "$r/conf/"
mkdir -p "$r/conf/scripts/init-top"
cat >"$r/conf/scripts/init-top/erofs4j-report" <<EOS
#!/bin/sh
[ "\$1" = prereqs ] && exit 0
echo "FULLINIT: uptime \$(cut -d" " -f1 /proc/uptime) s, \$(grep MemAvailable /proc/meminfo | tr -s " ")"
EOS
chmod 0755 "$r/conf/scripts/init-top/erofs4j-report"
TMPDIR=/tmp chroot "$r" mkinitramfs -d /conf -o /out/initrd.img "$version"
cp "$work/out/initrd.img" "$out"
' sh "$kroot" "$version" "$work" "$out"
