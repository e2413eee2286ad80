#!/bin/busybox sh
# initoverlayfs first stage, written by erofs4j. Mounts the EROFS (or btrfs) image of the full initramfs read-only through
# dm-verity, puts a tmpfs upper over it with overlayfs, and runs the full initramfs's init from there. Whatever
# fails stops the boot with a message on the console and a shell: unauthenticated data is never run.
/bin/busybox mkdir -p /bin /sbin /dev /proc /sys /run /newroot
/bin/busybox --install -s /bin
export PATH=/sbin:/bin

mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run

say() { echo "initoverlayfs: $*"; }
fail() {
	say "FAILED: $*"
	say "boot stopped; starting a shell"
	exec sh
}

bootfs= ; bootfstype= ; fs= ; init=/init ; timeout=30 ; kernel= ; root=overlay ; lowertype=erofs
verity_version= ; verity_data_block_size= ; verity_hash_block_size= ; verity_data_blocks= ; verity_hash_start=
verity_algorithm= ; verity_salt= ; verity_root_hash=
while read -r key value; do
	case "$key" in
	bootfs) bootfs=$value ;;
	bootfstype) bootfstype=$value ;;
	fs) fs=$value ;;
	init) init=$value ;;
	timeout) timeout=$value ;;
	kernel) kernel=$value ;;
	root) root=$value ;;
	lower) lowertype=$value ;;
	verity_version) verity_version=$value ;;
	verity_data_block_size) verity_data_block_size=$value ;;
	verity_hash_block_size) verity_hash_block_size=$value ;;
	verity_data_blocks) verity_data_blocks=$value ;;
	verity_hash_start) verity_hash_start=$value ;;
	verity_algorithm) verity_algorithm=$value ;;
	verity_salt) verity_salt=$value ;;
	verity_root_hash) verity_root_hash=$value ;;
	esac
done </etc/initoverlayfs.conf
[ -n "$bootfs" ] || fail "/etc/initoverlayfs.conf names no bootfs"

running=$(uname -r)
[ "$running" = "$kernel" ] || fail "this initramfs has modules for kernel $kernel, but $running is running"
# Each line of initoverlayfs.modules: a group ("-": always; else the filesystem type it serves) and a module
# file, dependencies first. load GROUP loads one group; load '*' loads the filesystem groups.
load() {
	notloaded=
	while read -r group module; do
		[ -n "$module" ] || continue
		case "$1" in
		'*') [ "$group" != - ] || continue ;;
		*) [ "$group" = "$1" ] || continue ;;
		esac
		insmod "/lib/modules/$kernel/$module" 2>/dev/null || notloaded="$notloaded ${module##*/}"
	done </etc/initoverlayfs.modules
	[ -z "$notloaded" ] || say "modules not loaded (built in, or no such hardware):$notloaded"
}
load -
# Storage drivers: with modules.alias, those matching the devices present (called again while waiting, as buses
# find more devices: a disk behind a controller, USB storage behind a USB host); without, all of them.
hwloaded=
coldplug() {
	if [ -s "/lib/modules/$kernel/modules.alias" ]; then
		# Again while a driver just loaded brings new devices (virtio-pci its virtio devices, a controller its
		# disks); devices that come later (USB) are found by the calls while waiting.
		done_aliases=
		aliases=$(cat /sys/bus/*/devices/*/modalias 2>/dev/null)
		while [ "$aliases" != "$done_aliases" ]; do
			set -f
			modprobe -qa $aliases 2>/dev/null
			set +f
			done_aliases=$aliases
			aliases=$(cat /sys/bus/*/devices/*/modalias 2>/dev/null)
		done
	elif [ -z "$hwloaded" ]; then
		load hw
		hwloaded=1
	fi
}
coldplug

resolve() {
	case "$1" in
	/dev/*) [ -b "$1" ] && echo "$1" ;;
	UUID=* | LABEL=*) blkid -c /dev/null -l -o device -t "$1" 2>/dev/null || findfs "$1" 2>/dev/null ;;
	*) blkid -c /dev/null -l -o device -t "$1" 2>/dev/null ;;
	esac
}
uptime_s() {
	read -r up _ </proc/uptime
	echo "${up%.*}"
}
deadline=$(($(uptime_s) + timeout))
dev=$(resolve "$bootfs")
while [ -z "$dev" ]; do
	[ "$(uptime_s)" -lt "$deadline" ] || fail "boot device $bootfs did not appear within ${timeout}s"
	usleep 100000
	coldplug
	dev=$(resolve "$bootfs")
done
say "boot device $bootfs is $dev"

type=$bootfstype
[ -n "$type" ] || type=$(blkid -c /dev/null -o value -s TYPE "$dev" 2>/dev/null)
case "$type" in
ext2 | ext3) type=ext4 ;;
esac
if [ -n "$type" ]; then load "$type"; else load '*'; fi
# A lower other than EROFS has its filesystem's modules in its own group (EROFS's are always loaded).
[ "$lowertype" = erofs ] || [ -z "$type" ] || [ "$type" = "$lowertype" ] || load "$lowertype"

base=/run/initoverlayfs
mkdir -p $base/boot $base/lower $base/rw
if [ -n "$type" ]; then
	mount -t "$type" -o ro "$dev" $base/boot || fail "cannot mount $dev ($bootfs) as $type"
else
	mount -o ro "$dev" $base/boot || fail "cannot mount $dev ($bootfs)"
fi
if [ -n "$fs" ]; then
	[ -f "$base/boot$fs" ] || fail "no image $fs on $bootfs"
	data=$(losetup -f) || fail "no free loop device"
	losetup -r "$data" "$base/boot$fs" || fail "cannot attach $fs to $data"
else
	data=$dev
fi

if [ -n "$verity_root_hash" ]; then
	sectors=$((verity_data_blocks * verity_data_block_size / 512))
	table="0 $sectors verity $verity_version $data $data $verity_data_block_size $verity_hash_block_size"
	table="$table $verity_data_blocks $verity_hash_start $verity_algorithm $verity_root_hash $verity_salt"
	DM_DISABLE_UDEV=1 dmsetup create initoverlayfs --readonly --table "$table" \
		|| fail "cannot set up dm-verity over $data"
	lower=/dev/mapper/initoverlayfs
	[ -b $lower ] || DM_DISABLE_UDEV=1 dmsetup mknodes initoverlayfs
	# Any read checks the hash path up to the root hash: a wrong root hash fails here, before anything is used.
	dd if=$lower of=/dev/null bs="$verity_data_block_size" count=1 2>/dev/null \
		|| fail "dm-verity: the image does not match the root hash (wrong root hash or corrupt image)"
	say "dm-verity active over $data, root hash $verity_root_hash"
else
	say "WARNING: no dm-verity; the image is not authenticated"
	lower=$data
fi

if [ "$lowertype" = erofs ]; then
	mount -t erofs -o ro $lower $base/lower || fail "cannot mount the EROFS image $lower"
else
	# btrfs: read-only, and no log replay (which would write; mkfs leaves no log anyway).
	mount -t "$lowertype" -o ro,rescue=nologreplay $lower $base/lower \
		|| fail "cannot mount the $lowertype image $lower"
fi
mount -t tmpfs -o mode=0755 tmpfs $base/rw || fail "cannot mount the tmpfs upper"
mkdir -p $base/rw/upper $base/rw/work
opts="lowerdir=$base/lower,upperdir=$base/rw/upper,workdir=$base/rw/work"
# volatile: the upper is a tmpfs anyway, so skip the syncs (kernels before 5.10 do not know it).
if [ "$root" = tmpfs ]; then
	# The full initramfs ends in a run-init that refuses to switch from a root that is not ramfs or tmpfs
	# (initramfs-tools): its root is a tmpfs, as when unpacked, holding its top-level files and symbolic links
	# and, bind-mounted, its top-level directories from the overlay.
	merged=$base/merged
	mkdir -p $merged
	mount -t overlay -o "$opts,volatile" overlay $merged 2>/dev/null \
		|| mount -t overlay -o "$opts" overlay $merged || fail "cannot mount overlayfs"
	mount -t tmpfs -o mode=0755 tmpfs /newroot || fail "cannot mount the tmpfs root"
	for e in $merged/* $merged/.[!.]* $merged/..?*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		n=${e##*/}
		case $n in
		dev | proc | sys | run) mkdir /newroot/$n ;;
		*) if [ -L "$e" ]; then
			ln -s "$(readlink "$e")" "/newroot/$n"
		elif [ -d "$e" ]; then
			mkdir "/newroot/$n" && mount --bind "$e" "/newroot/$n"
		else
			cp -p "$e" "/newroot/$n"
		fi ;;
		esac || fail "cannot put /$n of the overlay in the tmpfs root"
	done
	say "root: a tmpfs with the overlay's top-level directories bound in (for a run-init that needs ramfs or tmpfs)"
else
	mount -t overlay -o "$opts,volatile" overlay /newroot 2>/dev/null \
		|| mount -t overlay -o "$opts" overlay /newroot || fail "cannot mount overlayfs"
fi
[ -e "/newroot$init" ] || [ -L "/newroot$init" ] || fail "the full initramfs has no $init"
for d in dev proc sys run; do
	mkdir -p /newroot/$d
	mount --move /$d /newroot/$d || fail "cannot move /$d to the new root"
done
read -r up _ </newroot/proc/uptime
say "running $init of the full initramfs (uptime $up s)"
exec switch_root -c /dev/console /newroot "$init" "$@"
