#!/usr/bin/env bash
# Compares `erofs verity digest` with `fsverity digest` and `erofs verity dm-format` with `veritysetup format`
# on one file (default 1 GiB of random data), whole process (JVM start included), several runs each.
# Usage: bench/verity.sh [SIZE_MIB] [RUNS]      Output: a Markdown table on stdout; details on stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/erofs4j-verity-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
erofs="$here/erofs"
"$erofs" --version >/dev/null        # builds the CLI jar if needed, outside the timings

data="$work/data"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$data"
cat "$data" >/dev/null               # page cache: every run reads from memory

# One timed run: wall and CPU (user+sys) seconds.
timed() {
  rm -f "$work/hash"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
  read -r e u s <"$work/time"
  echo "$e $(echo "$u + $s" | bc -l)"
}
best() { printf '%s\n' "$@" | sort -g | head -1; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

row() {   # name ref-cmd... -- our-cmd...
  local name="$1"; shift
  local -a ref=() ours=()
  while [[ "$1" != "--" ]]; do ref+=("$1"); shift; done
  shift
  ours=("$@")
  # check that both agree before timing them
  local a b
  a=$("${ref[@]}" | grep -Eo '[0-9a-f]{64}' | head -1)
  rm -f "$work/hash"
  b=$("${ours[@]}" | grep -Eo '[0-9a-f]{64}' | head -1)
  rm -f "$work/hash"
  if [[ "$a" != "$b" ]]; then echo "MISMATCH for $name: $a vs $b" >&2; exit 1; fi
  # interleaved runs, so that both tools see the same background load
  local -a rw=() rc=() ow=() oc=()
  local w c
  for ((i = 0; i < runs; i++)); do
    read -r w c < <(timed "${ref[@]}");  rw+=("$w"); rc+=("$c")
    read -r w c < <(timed "${ours[@]}"); ow+=("$w"); oc+=("$c")
  done
  local rbest rmed rcpu obest omed ocpu
  rbest=$(best "${rw[@]}"); rmed=$(median "${rw[@]}"); rcpu=$(median "${rc[@]}")
  obest=$(best "${ow[@]}"); omed=$(median "${ow[@]}"); ocpu=$(median "${oc[@]}")
  local mib="$size_mib"
  printf '| %s | %.0f | %.0f | %.2fx | %.2fx | %.2fx |\n' "$name" \
    "$(echo "$mib / $rmed" | bc -l)" "$(echo "$mib / $omed" | bc -l)" \
    "$(echo "$rmed / $omed" | bc -l)" "$(echo "$rbest / $obest" | bc -l)" "$(echo "$rcpu / $ocpu" | bc -l)"
  echo "$name: ref wall best/median ${rbest}/${rmed} s cpu ${rcpu} s; erofs wall best/median ${obest}/${omed} s cpu ${ocpu} s" >&2
}

echo "# $(date -u +%FT%TZ), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| operation (${size_mib} MiB, ${runs} runs, whole process) | reference MiB/s (median wall) | erofs MiB/s (median wall) | throughput ratio (median wall) | ratio (best wall) | CPU-time ratio (ref/erofs) |"
echo "|---|---|---|---|---|---|"
row "fs-verity digest, sha256/4096" fsverity digest "$data" -- "$erofs" verity digest "$data"
row "fs-verity digest, sha512/4096" fsverity digest --hash-alg=sha512 "$data" -- "$erofs" verity digest --hash-alg=sha512 "$data"
row "dm-verity format, sha256 4096/4096" veritysetup format "$data" "$work/hash" --salt=- \
    --uuid=12345678-1234-1234-1234-123456789abc -- \
    "$erofs" verity dm-format "$data" "$work/hash" --salt=- --uuid=12345678-1234-1234-1234-123456789abc
