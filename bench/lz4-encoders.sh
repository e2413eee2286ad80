#!/usr/bin/env bash
# Micro-benchmark of erofs4j's LZ4 encoders the way mkfs fills pclusters: every file of a corpus is cut into
# consecutive destSize calls of one capacity (4, 16 and 64 KiB by default), each taking as much input as fits.
# Prints output size, ratio and single-thread throughput per encoder and level. With the lz4 CLI installed it
# also runs `lz4 -b` (liblz4, plain block mode over the concatenated corpus) at the matching levels for a speed
# reference: lz4 -b1 is liblz4's fast mode (erofs4j's `lz4`), -b3..-b12 its HC levels.
# Usage: bench/lz4-encoders.sh [SOURCE_DIR] [CAPACITY...]
# Env: RUNS (timed passes, best is kept; default 5), MAX_MB (corpus size; default 32),
#      SPECS (default "lz4 lz4hc:1 lz4hc:3 lz4hc:6 lz4hc:9 lz4hc:10 lz4hc:11 lz4hc:12"), LZ4_CLI=0 to skip lz4 -b.
# The JVM runs with the test classpath of erofs-compress (built offline first); no dependency is added.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-/usr/bin}"
shift || true
caps=("$@")
[[ ${#caps[@]} -gt 0 ]] || caps=(4096 16384 65536)
runs="${RUNS:-5}"
max_mb="${MAX_MB:-32}"
specs="${SPECS:-lz4 lz4hc:1 lz4hc:3 lz4hc:6 lz4hc:9 lz4hc:10 lz4hc:11 lz4hc:12}"
work="$(mktemp -d "${TMPDIR:-/tmp}/erofs4j-lz4-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$here"
./mvnw -B -o -q -pl erofs-compress -am test-compile >&2
./mvnw -B -o -q -pl erofs-compress dependency:build-classpath -Dmdep.outputFile="$work/deps" >&2
# This checkout's classes, not a possibly older erofs4j artifact from the local repository.
cp="erofs-core/target/classes:erofs-compress/target/classes:erofs-compress/target/test-classes"
cp="$cp:$(tr ':' '\n' <"$work/deps" | grep -v '/io/github/erofs4j/' | paste -sd:)"

# The corpus: regular files in name order, up to MAX_MB in all.
find "$src" -type f -size +0 -print0 2>/dev/null | sort -z | while IFS= read -r -d '' f; do
  [[ -r $f ]] && printf '%s\n' "$f"
done | awk -v max=$((max_mb << 20)) '{ cmd = "stat -c %s \"" $0 "\""; cmd | getline s; close(cmd);
  if (s > 8388608) next; t += s; print; if (t > max) exit }' >"$work/files"
echo "corpus: $(wc -l <"$work/files") files from $src" >&2

for cap in "${caps[@]}"; do
  # shellcheck disable=SC2086
  java -cp "$cp" io.github.erofs4j.compress.Lz4EncoderBench "$cap" "$work/files" "$runs" $specs
done

if [[ ${LZ4_CLI:-1} == 1 ]] && command -v lz4 >/dev/null; then
  xargs -d '\n' cat <"$work/files" >"$work/corpus"
  for spec in $specs; do
    case $spec in
      lz4) level=1 ;;
      lz4hc:*) level=${spec#lz4hc:}; [[ $level -ge 3 ]] || continue ;;
      *) continue ;;
    esac
    printf 'liblz4 -b%-3s ' "$level"
    lz4 -b"$level" -i"$runs" "$work/corpus" 2>&1 | tr '\r' '\n' | grep -E 'MB/s' | tail -1 | sed 's/^ *//'
  done
fi
