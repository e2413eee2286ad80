#!/bin/bash
# Makes the seed images of the reader's fuzz test: a tiny tree (every file type, xattrs, a hard link, files
# that span several blocks and pclusters) written by mkfs.erofs with each option set of fixtures/OPTIONS.tsv
# that takes a directory tree. The seeds are small (a few KiB) so that mutations stay fast; the golden fixtures
# are built from the same option sets over a much larger tree.
#   fuzz-seeds.sh OUTDIR        (MKFS_EROFS_193 names mkfs.erofs 1.9.3; default mkfs.erofs on the PATH)
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
mkfs=${MKFS_EROFS_193:-mkfs.erofs}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$out" "$tree/d/e"
printf 'hello\n' > "$tree/a"
: > "$tree/empty"
python3 -c 'import sys; sys.stdout.write("".join("line %d of a text that compresses\n" % i for i in range(400)))' > "$tree/d/text"
head -c 9000 /dev/zero | tr '\0' 'z' > "$tree/d/e/zeros"
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(5000)))' > "$tree/d/random"
ln "$tree/a" "$tree/d/hard"
ln -s ../a "$tree/d/link"
ln -s "$(printf 'x%.0s' $(seq 1 300))" "$tree/d/longlink"
mkfifo "$tree/fifo"
mknod "$tree/d/chr" c 1 3
mknod "$tree/d/wh" c 0 0
for i in $(seq 1 40); do : > "$tree/d/e/entry-with-a-longer-name-$i"; done
python3 - "$tree" <<'PY'
import os, sys
t = sys.argv[1]
os.setxattr(t + "/a", "user.comment", b"seed")
os.setxattr(t + "/d/e", "trusted.overlay.opaque", b"y")
os.setxattr(t + "/d/text", "security.selinux", b"system_u:object_r:etc_t:s0")
os.setxattr(t + "/d/random", "user.big", b"v" * 200)
PY
touch -h -d @1700000000 "$tree" "$tree"/* "$tree"/d/* "$tree"/d/e/*
while IFS=$'\t' read -r name kind opts; do
  [ "$kind" = tree ] || continue
  # shellcheck disable=SC2086
  "$mkfs" --quiet $opts -U 00000000-0000-0000-0000-000000000001 "$out/$name" "$tree" >/dev/null
done < "$here/../fixtures/OPTIONS.tsv"
cp "$here/../fixtures/aufs.erofs" "$out/aufs"
