#!/usr/bin/env bash
# Compares `erofs mkfs` with mkfs.erofs building an image of a large tree (default /usr/share), whole process
# (JVM start included), several runs each, alternating, page cache warm: wall time, CPU time and peak memory.
# Usage: bench/mkfs.sh [SOURCE_DIR] [RUNS]   Env: MKFS_EROFS (default: Debian's /usr/bin/mkfs.erofs);
#        FSCK_EROFS: the fsck.erofs that checks erofs4j's image (default: fsck.erofs on the PATH; Debian's 1.5 knows no
#        deflate or zstd);
#        OPTS: options given to both tools, e.g. OPTS="-zlz4hc -C65536" (default: none, an uncompressed image);
#        COLD=1 (root only) drops the page cache before every run instead of warming it once, so both tools
#        read the tree (and their own binaries, for erofs4j the JVM, jars and class-data archive) from disk.
# Output: a Markdown table row on stdout; details on stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-/usr/share}"
runs="${2:-5}"
mkfs_erofs="${MKFS_EROFS:-/usr/bin/mkfs.erofs}"
work="$(mktemp -d "${TMPDIR:-/tmp}/erofs4j-mkfs-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
erofs="$here/erofs"
"$erofs" --version >/dev/null          # builds the CLI jar if needed, outside the timings
cold=${COLD:-0}
if [[ $cold == 1 ]]; then
  [[ -w /proc/sys/vm/drop_caches ]] || { echo "COLD=1 needs root (writes /proc/sys/vm/drop_caches)" >&2; exit 2; }
else
  tar -cf - "$src" 2>/dev/null | cat >/dev/null   # warm the page cache for both tools
fi
drop() { if [[ $cold == 1 ]]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi; }

uuid=0b2ad6b4-52b2-4d3e-9c3c-1f0c6a6e5a01
opts=(${OPTS:-})
timed() {   # prints "wall cpu peak-MB" of one run
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r e u s m <"$work/time"
  echo "$e $(echo "$u + $s" | bc -l) $((m / 1024))"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ref_wall=() ref_cpu=() our_wall=() our_cpu=() ref_mem=() our_mem=()
for ((i = 0; i < runs; i++)); do
  rm -f "$work/ref.erofs" "$work/our.erofs"
  drop
  read -r w c m < <(timed "$mkfs_erofs" -T0 -U"$uuid" "${opts[@]}" "$work/ref.erofs" "$src")
  ref_wall+=("$w"); ref_cpu+=("$c"); ref_mem+=("$m")
  drop
  read -r w c m < <(timed "$erofs" mkfs --quiet -T0 -U"$uuid" "${opts[@]}" "$work/our.erofs" "$src")
  our_wall+=("$w"); our_cpu+=("$c"); our_mem+=("$m")
  echo "run $i: mkfs.erofs ${ref_wall[-1]} s (cpu ${ref_cpu[-1]}, ${ref_mem[-1]} MB), erofs mkfs ${our_wall[-1]} s (cpu ${our_cpu[-1]}, ${our_mem[-1]} MB)" >&2
done
ref_size=$(stat -c %s "$work/ref.erofs")
our_size=$(stat -c %s "$work/our.erofs")
entries=$(find "$src" | wc -l)
"${FSCK_EROFS:-fsck.erofs}" "$work/our.erofs" >/dev/null 2>&1 && fsck_ok=yes || fsck_ok=NO
rw=$(median "${ref_wall[@]}"); ow=$(median "${our_wall[@]}")
rc=$(median "${ref_cpu[@]}"); oc=$(median "${our_cpu[@]}")
rm_=$(median "${ref_mem[@]}"); om=$(median "${our_mem[@]}")
# 1.9 has -V; 1.5 prints its version as the first line of a build.
version=$("$mkfs_erofs" -V 2>/dev/null | head -1 || true)
[[ -n "$version" ]] || version=$("$mkfs_erofs" -T0 "$work/v.erofs" "$here/examples/rootfs" 2>&1 | head -1 || true)
echo "| tree | options | entries | mkfs.erofs ($version) | erofs mkfs | time ratio | CPU ratio | peak MB mkfs.erofs / erofs | size mkfs.erofs | size erofs | size ratio | fsck |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
[[ $cold == 1 ]] && src_label="$src (cold cache)" || src_label="$src"
printf '| %s | %s | %s | %s s (cpu %s) | %s s (cpu %s) | %.2f | %.2f | %s / %s | %s | %s | %.4f | %s |\n' "$src_label" \
  "${OPTS:-(none)}" "$entries" "$rw" "$rc" \
  "$ow" "$oc" "$(echo "$ow / $rw" | bc -l)" "$(echo "$oc / $rc" | bc -l)" "$rm_" "$om" "$ref_size" "$our_size" \
  "$(echo "$our_size / $ref_size" | bc -l)" "$fsck_ok"
