#!/bin/bash
# Makes the seeds of the archive, LZ4, writer and verity fuzz tests (the image seeds come from fuzz-seeds.sh):
#   fuzz-seeds-archives.sh ROOT     (ROOT: the repository; the seeds go to the Jazzer input folders under it)
# Archive seeds start with the byte that picks how ArchiveFuzzTest feeds them (0: as is, 1: as cpio, 2..8: wrapped
# by the test in gzip, xz, lzma, zstd, lz4 frame, lz4 legacy, bzip2). LZ4 seeds are 6 bytes of lengths, then a block.
set -euo pipefail
root=$(cd "$1" && pwd)
arch=$root/erofs-core/src/test/resources/io/github/erofs4j/core/source/ArchiveFuzzTestInputs/load
lz4=$root/erofs-compress/src/test/resources/io/github/erofs4j/compress/Lz4DifferentialFuzzTestInputs/decode
wr=$root/erofs-compress/src/test/resources/io/github/erofs4j/compress/WriterFuzzTestInputs/roundTrip
ver=$root/erofs-verity/src/test/resources/io/github/erofs4j/verity/VerityFuzzTestInputs
mkdir -p "$arch" "$lz4" "$wr" "$ver/dmVerity" "$ver/pkcs7" "$ver/fsVerityDescriptor"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/src/d/e"
cd "$t/src"
printf 'hello\n' > a
seq 1 300 > d/text
ln a d/hard
ln -s ../a d/link
mkfifo d/fifo
mknod d/chr c 1 3
touch "d/e/$(printf 'n%.0s' $(seq 1 150))"
python3 -c 'import os; os.setxattr("a", "user.comment", b"seed"); os.setxattr("d", "trusted.overlay.opaque", b"y")'
touch -h -d @1700000000 . * d/* d/e/*
opts=(--sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner)
tar "${opts[@]}" --format=gnu -cf "$t/gnu.tar" .
tar "${opts[@]}" --format=pax --xattrs --xattrs-include='*' -cf "$t/pax.tar" .
tar "${opts[@]}" --format=ustar -cf "$t/ustar.tar" a d/text d/link
find . | LC_ALL=C sort | cpio -o -H newc --quiet > "$t/newc.cpio"
find . | LC_ALL=C sort | cpio -o -H odc --quiet > "$t/odc.cpio"
seed() { { printf "\\x$(printf %02x "$1")"; cat "$2"; } > "$arch/$3"; }
seed 0 "$t/gnu.tar" gnu-tar
seed 0 "$t/pax.tar" pax-tar
seed 0 "$t/ustar.tar" ustar-tar
seed 1 "$t/newc.cpio" newc-cpio
seed 0 "$t/odc.cpio" odc-cpio
gzip -n -c "$t/pax.tar" > "$t/pax.tar.gz" && seed 0 "$t/pax.tar.gz" pax-tar-gz-raw
zstd -q -c "$t/newc.cpio" > "$t/newc.zst" && seed 0 "$t/newc.zst" newc-cpio-zstd-raw
xz -c --check=crc32 "$t/gnu.tar" > "$t/gnu.xz" && seed 0 "$t/gnu.xz" gnu-tar-xz-raw
lz4 -q -l -c "$t/newc.cpio" > "$t/newc.lz4" && seed 0 "$t/newc.lz4" newc-cpio-lz4legacy-raw
bzip2 -c "$t/ustar.tar" > "$t/ustar.bz2" && seed 0 "$t/ustar.bz2" ustar-tar-bzip2-raw
for m in 2 3 4 5 6 7 8; do seed "$m" "$t/pax.tar" "pax-tar-wrapped-$m"; seed "$m" "$t/newc.cpio" "newc-cpio-wrapped-$m"; done
# LZ4 blocks: lz4 -l writes one block per 8 MiB after a 4-byte magic and a 4-byte size.
for f in "$t/gnu.tar" "$t/src/d/text"; do
  n=$(stat -c %s "$f")
  lz4 -q -l -c "$f" | tail -c +9 > "$t/block"
  for level in 1 12; do
    lz4 -q -l -"$level" -c "$f" | tail -c +9 > "$t/block"
    python3 - "$n" "$t/block" "$lz4/$(basename "$f")-$level" <<'PY'
import sys
n = int(sys.argv[1]); z = open(sys.argv[2], 'rb').read()
open(sys.argv[3], 'wb').write(n.to_bytes(3, 'little') + (n // 3).to_bytes(3, 'little') + z)
PY
  done
done
# Writer seeds: the test reads them through Jazzer's FuzzedDataProvider, so any bytes describe some tree.
python3 - "$wr" <<'PY'
import random, sys
for i in range(6):
    r = random.Random(i)
    open(f"{sys.argv[1]}/random-{i}", "wb").write(bytes(r.getrandbits(8) for _ in range(300 + 700 * i)))
PY
# dm-verity: a hash device with its superblock, as veritysetup formats it.
head -c 16384 /dev/zero > "$t/data"
veritysetup format --salt=0011223344556677 --uuid=00000000-0000-0000-0000-000000000001 "$t/data" "$t/hash" >/dev/null
cp "$t/hash" "$ver/dmVerity/veritysetup-sha256"
veritysetup format --hash=sha1 --data-block-size=1024 --hash-block-size=1024 --salt=- \
  --uuid=00000000-0000-0000-0000-000000000002 "$t/data" "$t/hash1" >/dev/null
cp "$t/hash1" "$ver/dmVerity/veritysetup-sha1-1k"
cp "$root"/testdata/fixtures/verity/sig/*.sig "$root"/testdata/fixtures/verity/sig/roothash.p7s "$ver/pkcs7/"
python3 - "$ver/fsVerityDescriptor" <<'PY'
import sys
for alg, lbs, salt in ((1, 12, b""), (2, 16, b"salt1234"), (1, 10, bytes(32))):
    d = bytes([1, alg, lbs, len(salt)]) + bytes(4) + (123456).to_bytes(8, "little") + bytes(range(64)) \
        + salt.ljust(32, b"\0") + bytes(144)
    open(f"{sys.argv[1]}/alg{alg}-log{lbs}-salt{len(salt)}", "wb").write(d)
PY
