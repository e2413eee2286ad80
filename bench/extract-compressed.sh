#!/usr/bin/env bash
# Compares `erofs extract` with `fsck.erofs --extract` on compressed images of a large real tree.
#
# usage: bench/extract-compressed.sh [SRC] [RUNS]      (SRC default /usr/share, RUNS default 3; run as root)
# env:   MKFS_EROFS  mkfs.erofs to build the images (default mkfs.erofs). zstd needs erofs-utils >= 1.8; Debian
#                    bookworm's 1.5 offers lz4/lz4hc only, so the zstd image is skipped with a message unless
#                    MKFS_EROFS points at a newer build.
#        FSCK_EROFS  the reference extractor (default fsck.erofs). Debian's 1.5 has --extract but cannot decode
#                    zstd; the zstd comparison then needs FSCK_EROFS from erofs-utils >= 1.8 as well.
#        BENCH_DIR   work directory (default /tmp/erofs4j-bench-compressed); images are kept and reused there.
#        BENCH_OUT   where the extractions go (default BENCH_DIR); a tmpfs such as /dev/shm takes disk writeback
#                    out of the measurement.
#        EROFS_JAVA_OPTS  passed to the JVM by ./erofs.
#
# Each run extracts into a fresh directory (removing the previous one and `sync` are not timed), alternating the
# two tools, with the image in the page cache. Whole-process wall time and CPU time (user+sys) are reported as
# medians; ratio = fsck time / erofs time, so above 1 means erofs4j is faster. One pair of outputs is compared
# with diff -r first.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=${1:-/usr/share}
runs=${2:-3}
mkfs=${MKFS_EROFS:-mkfs.erofs}
fsck=${FSCK_EROFS:-fsck.erofs}
work=${BENCH_DIR:-/tmp/erofs4j-bench-compressed}
out=${BENCH_OUT:-$work}
mkdir -p "$work" "$out"

"$here/erofs" --version >/dev/null   # builds the CLI if needed, outside the timings

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

# Runs a command, appending "wall cpu" to a file.
timed() {
    local out=$1; shift
    local t0 t1 c0 c1
    t0=$(date +%s.%N)
    c0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
    ( "$@" ) >/dev/null 2>"$work/last.err"
    t1=$(date +%s.%N)
    # CPU of waited-for children in clock ticks: cutime + cstime of this shell.
    c1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
    echo "$(echo "$t1 - $t0" | bc -l) $(echo "($c1 - $c0) / $(getconf CLK_TCK)" | bc -l)" >> "$out"
}

printf '%s\n' "tree: $src ($(du -sh "$src" 2>/dev/null | cut -f1), $(find "$src" -xdev | wc -l) entries), runs: $runs"
printf '%s\n' "mkfs: $mkfs ($( { "$mkfs" --version || "$mkfs" --help; } 2>&1 | head -1)); fsck: $fsck ($("$fsck" -V 2>&1 | head -1))"
printf '%s\n' "output: $out ($(df --output=fstype "$out" | tail -1))"
printf '%s\n' "machine: $(nproc) CPUs, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| image | size | erofs extract wall (s) | fsck.erofs --extract wall (s) | wall ratio | erofs CPU (s) | fsck CPU (s) |"
echo "|---|---|---|---|---|---|---|"

# name:mkfs options:extra erofs options. "lz4hc" uses the default lz4 decoder (erofs4j's own); "lz4hc lz4-java"
# extracts the same image with lz4-java's decoder instead.
for variant in "lz4hc:-zlz4hc -C65536:" "lz4hc lz4-java:-zlz4hc -C65536:--lz4-decoder=lz4-java" \
        "zstd:-zzstd -C65536:"; do
    name=${variant%%:*}
    rest=${variant#*:}
    opts=${rest%%:*}
    xopts=${rest#*:}
    base=${name%% *}
    alg=${base%hc}
    # 1.5 lists them in --help ("Available compressors are: ..."), 1.9 in --version.
    if ! { "$mkfs" --help; "$mkfs" --version; } 2>&1 | grep -iE "available compressors" | grep -qw "$alg"; then
        echo "| $name | - | skipped: $mkfs cannot write $alg (needs erofs-utils >= 1.8; set MKFS_EROFS) | | | | |"
        continue
    fi
    img="$work/tree-$base.erofs"
    if [[ ! -s $img ]]; then
        # shellcheck disable=SC2086
        "$mkfs" --quiet $opts "$img" "$src" >/dev/null
    fi
    cat "$img" > /dev/null
    a="$out/a" b="$out/b"
    rm -rf "$a" "$b"
    if ! "$fsck" --extract="$b" "$img" >/dev/null 2>"$work/fsck.err"; then
        echo "| $name | $(du -h "$img" | cut -f1) | - | $fsck fails: $(tail -1 "$work/fsck.err") (set FSCK_EROFS to erofs-utils >= 1.8) | | | |"
        continue
    fi
    # shellcheck disable=SC2086
    "$here/erofs" extract $xopts "$img" "$a" >/dev/null
    if ! diff -r -q --no-dereference "$a" "$b" >"$work/diff.txt" 2>&1; then
        echo "outputs differ for $name:"; head "$work/diff.txt"; exit 1
    fi
    : > "$work/t-erofs"; : > "$work/t-fsck"
    for ((i = 0; i < runs; i++)); do
        # shellcheck disable=SC2086
        rm -rf "$a"; sync; timed "$work/t-erofs" "$here/erofs" extract $xopts "$img" "$a"
        rm -rf "$b"; sync; timed "$work/t-fsck" "$fsck" --extract="$b" "$img"
    done
    ew=$(cut -d' ' -f1 "$work/t-erofs" | median); fw=$(cut -d' ' -f1 "$work/t-fsck" | median)
    ec=$(cut -d' ' -f2 "$work/t-erofs" | median); fc=$(cut -d' ' -f2 "$work/t-fsck" | median)
    echo "| $name | $(du -h "$img" | cut -f1) | $ew | $fw | $(echo "$fw / $ew" | bc -l | xargs printf '%.2fx') | $ec | $fc |"
    rm -rf "$a" "$b"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
