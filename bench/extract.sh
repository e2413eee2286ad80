#!/usr/bin/env bash
# Compares `./erofs extract` with `fsck.erofs --extract` (and, as root, a kernel mount + `cp -a`) on an
# uncompressed image of a large real tree. Each run is a whole process, JVM start included; the tools alternate,
# RUNS times each after one untimed warm-up; medians of wall-clock and CPU (user + sys) time and their ratios are
# printed. Both extractions are compared with manifest.py at the end.
#
# Environment:
#   SRC=/usr/share         the tree to pack
#   MKFS_EROFS=mkfs.erofs  FSCK_EROFS=fsck.erofs   the reference tools
#   RUNS=5                 timed runs per tool
#   TMPFS=1                as root, put image and outputs on a private tmpfs (measures the tools, not the disk)
#   EROFS_JAVA_OPTS        passed through to ./erofs
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${SRC:-/usr/share}"
MKFS_EROFS="${MKFS_EROFS:-mkfs.erofs}"
FSCK_EROFS="${FSCK_EROFS:-fsck.erofs}"
RUNS="${RUNS:-5}"
TMPFS="${TMPFS:-1}"
manifest="${MANIFEST_PY:-$here/../testdata/tools/manifest.py}"

command -v "$MKFS_EROFS" >/dev/null || { echo "no $MKFS_EROFS (set MKFS_EROFS)" >&2; exit 2; }
command -v "$FSCK_EROFS" >/dev/null || { echo "no $FSCK_EROFS (set FSCK_EROFS)" >&2; exit 2; }
help="$("$FSCK_EROFS" --help 2>&1 || true)"
if [[ $help != *--extract* ]]; then
  echo "$FSCK_EROFS has no --extract; this benchmark needs it (erofs-utils 1.5 or later)" >&2; exit 2
fi

work="$(mktemp -d /tmp/erofs4j-bench.XXXXXX)"
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
if [[ $TMPFS == 1 && $(id -u) == 0 ]]; then
  src_mb=$(du -sm "$SRC" 2>/dev/null | cut -f1)
  mount -t tmpfs -o size=$((src_mb * 4 + 1024))m erofs4j-bench "$work"
  mounted+=("$work")
  where="tmpfs"
else
  where="$(df --output=fstype "$work" | tail -1) (not tmpfs: disk speed dominates)"
fi

"$here/erofs" --version >/dev/null   # builds the CLI if needed, outside the timings
img="$work/image.erofs"
"$MKFS_EROFS" "$img" "$SRC" >"$work/mkfs.log" 2>&1
entries=$(find "$SRC" | wc -l)
echo "tree:    $SRC ($entries entries, $(du -sh "$SRC" 2>/dev/null | cut -f1))"
echo "image:   $(stat -c %s "$img") bytes, uncompressed, by $(head -c 200 "$work/mkfs.log" | head -1)"
echo "target:  $where; $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A cmd
cmd[fsck.erofs]="$FSCK_EROFS --extract=\$OUT $img"
cmd[erofs]="$here/erofs extract $img \$OUT"
tools=(fsck.erofs erofs)
if [[ $(id -u) == 0 ]] && mkdir -p "$work/mnt" && mount -t erofs -o loop,ro "$img" "$work/mnt" 2>/dev/null; then
  mounted=("$work/mnt" "${mounted[@]}")
  cmd["mount+cp"]="cp -a $work/mnt \$OUT"
  tools+=("mount+cp")
fi

timed() { # tool -> "wall user sys" in $work/time
  local out="$work/out-$1"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S" -o "$work/time" bash -c "${cmd[$1]//\$OUT/$out}" >/dev/null 2>"$work/err" || {
    echo "$1 failed:" >&2; cat "$work/err" >&2; exit 1; }
}

declare -A walls cpus
for t in "${tools[@]}"; do timed "$t"; done   # warm-up: page cache
for ((i = 1; i <= RUNS; i++)); do
  for t in "${tools[@]}"; do
    timed "$t"
    read -r wall user sys < "$work/time"
    walls[$t]+="$wall "
    cpus[$t]+="$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}') "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
least() { tr ' ' '\n' | grep -v '^$' | sort -n | head -1; }
printf '\n%-11s %9s %9s %9s   %s\n' tool "wall med" "wall min" "cpu med" "(seconds; $RUNS runs; every wall time)"
declare -A mw nw mc
for t in "${tools[@]}"; do
  mw[$t]=$(echo "${walls[$t]}" | median)
  nw[$t]=$(echo "${walls[$t]}" | least)
  mc[$t]=$(echo "${cpus[$t]}" | median)
  printf '%-11s %9s %9s %9s   %s\n' "$t" "${mw[$t]}" "${nw[$t]}" "${mc[$t]}" "${walls[$t]}"
done
echo
awk -v w1="${mw[erofs]}" -v w0="${mw[fsck.erofs]}" -v n1="${nw[erofs]}" -v n0="${nw[fsck.erofs]}" \
  -v c1="${mc[erofs]}" -v c0="${mc[fsck.erofs]}" \
  'BEGIN {printf "ratio erofs / fsck.erofs: wall median %.2f, wall min %.2f, cpu median %.2f\n", w1 / w0, n1 / n0, c1 / c0}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v python3 >/dev/null && [[ -f "$manifest" ]]; then
  a=$(python3 "$manifest" "$work/out-erofs" | sha256sum | cut -c1-16)
  b=$(python3 "$manifest" "$work/out-fsck.erofs" | sha256sum | cut -c1-16)
  echo "manifest.py of the extracted trees: erofs $a, fsck.erofs $b: $([[ $a == "$b" ]] && echo identical || echo DIFFERENT)"
  if [[ -d "$work/mnt" ]] && mountpoint -q "$work/mnt"; then
    k=$(python3 "$manifest" "$work/mnt" | sha256sum | cut -c1-16)
    echo "manifest.py of the kernel mount: $k: erofs extract $([[ $a == "$k" ]] && echo matches || echo DIFFERS)"
  fi
fi
