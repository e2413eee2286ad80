#!/usr/bin/env bash
# Builds one tree with each compression setting erofs4j writes and measures, for each image: its size, the build's
# wall and CPU time (whole process, `./erofs mkfs`), and the time the Linux kernel takes to read every file of it
# from a loop mount with a cold page cache (what a system booting or starting a container from the image pays).
#
# usage: sudo bench/algorithms.sh [SRC] [RUNS]    (SRC default /usr/share, RUNS of the read default 3; needs root
#                                                 for the loop mounts)
# env:   SETS  option sets separated by ';' (default below)
#        BENCH_DIR  work directory (default a new one under TMPDIR, removed at the end)
# Output: a Markdown table on stdout; details on stderr. Build times are single runs; the read time is the median
# of RUNS reads, each from a fresh mount of the image (the image file itself cached).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=${1:-/usr/share}
runs=${2:-3}
[[ $(id -u) == 0 ]] || { echo "needs root (loop mounts)" >&2; exit 2; }
default_sets="(none);-zlz4;-zlz4hc;-zlz4hc -C65536;-zlz4hc,12 -C65536 -Eztailpacking;-zdeflate;-zzstd;-zzstd -C131072"
default_sets+=";-zzstd,15 -C131072 -Efragments,ztailpacking;-zlzma;-zlzma -C131072 -Eall-fragments,ztailpacking"
IFS=';' read -r -a sets <<<"${SETS:-$default_sets}"
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/erofs4j-alg-bench.XXXXXX")}
mnt="$work/mnt"
mkdir -p "$mnt"
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; [[ -n ${BENCH_DIR:-} ]] || rm -rf "$work"; }
trap cleanup EXIT
"$here/erofs" --version >/dev/null   # builds the CLI if needed, outside the timings
tar -cf - "$src" 2>/dev/null | cat >/dev/null   # the source in the page cache for every build

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
entries=$(find "$src" | wc -l)
echo "| options | image bytes | build wall (CPU) | kernel read of every file, fresh mount |"
echo "|---|---|---|---|"
for s in "${sets[@]}"; do
  opts=()
  [[ $s == "(none)" ]] || read -r -a opts <<<"$s"
  img="$work/img.erofs"
  rm -f "$img"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$here/erofs" mkfs --quiet -T0 "${opts[@]}" "$img" "$src" >/dev/null
  read -r e u sy <"$work/time"
  cpu=$(echo "$u + $sy" | bc -l)
  size=$(stat -c %s "$img")
  cat "$img" >/dev/null
  reads=()
  for ((i = 0; i < runs; i++)); do
    # A fresh mount (and loop device) starts with none of the file system's pages or inodes cached, while the
    # image file stays in the page cache: this times the kernel's EROFS work (lookups, decompression), not a disk.
    mount -t erofs -o loop,ro "$img" "$mnt"
    t0=$(date +%s.%N)
    tar -C "$mnt" -cf - . | cat >/dev/null
    t1=$(date +%s.%N)
    umount "$mnt"
    reads+=("$(echo "$t1 - $t0" | bc -l)")
  done
  r=$(printf '%s\n' "${reads[@]}" | median)
  echo "$s: ${size} bytes, build ${e} s (cpu ${cpu}), reads ${reads[*]}" >&2
  printf '| `%s` | %s | %s s (%.2f) | %.2f s |\n' "$s" "$size" "$e" "$cpu" "$r"
done
echo "tree: $src ($entries entries); $(nproc) CPUs; $(uname -r)" >&2
