#!/bin/bash
# Regenerates the extra compressed test images and their kernel manifests. The fixtures in testdata/fixtures
# lack a few layouts; these images cover them:
#   dedupe            -zlz4hc -C16384 -Ededupe          PARTIAL_REF extents sharing pclusters
#   lzma-dedupe-frag  -zlzma -C65536 -Ededupe,fragments fragments + dedupe with MicroLZMA
#   zdirs             -zlz4hc --zD -Eztailpacking       compressed directories (whole-file fragments);
#                                                       note: in 1.9.3 "--zD=1" DISABLES it, plain "--zD" enables
#   zstd48            -zzstd -C16384 -E48bit            byte-granular 48-bit encoded extents (4-byte records)
#   multi-cfg         -zlz4hc:lzma:deflate:zstd -C16384 four algorithms enabled, four config records (files use
#                                                       lz4hc: 1.9.3 segfaults here when compress hints pick others)
# Needs mkfs.erofs >= 1.9 with lz4, lzma and zstd (env MKFS_EROFS; Debian bookworm's 1.5 cannot) and root for
# the loop mounts that produce the manifests (testdata/tools/kernel-view.sh, Linux 6.18 here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkfs=${MKFS_EROFS:-mkfs.erofs}
tools=${EROFS4J_TOOLS:-$here/../../../../../testdata/tools}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/tree.py" "$work/tree"
common=(--quiet -U0b2ad6b4-52b2-4d3e-9c3c-1f0c6a6e5a01 -T1700000000)
"$mkfs" "${common[@]}" -zlz4hc -C16384 -Ededupe "$here/dedupe.erofs" "$work/tree"
"$mkfs" "${common[@]}" -zlzma -C65536 -Ededupe,fragments "$here/lzma-dedupe-frag.erofs" "$work/tree"
"$mkfs" "${common[@]}" -zlz4hc --zD -Eztailpacking "$here/zdirs.erofs" "$work/tree"
"$mkfs" "${common[@]}" -zzstd -C16384 -E48bit "$here/zstd48.erofs" "$work/tree"
"$mkfs" "${common[@]}" -zlz4hc:lzma:deflate:zstd -C16384 "$here/multi-cfg.erofs" "$work/tree"
for img in "$here"/*.erofs; do
    "$tools/kernel-view.sh" "$img" > "${img%.erofs}.manifest"
done
