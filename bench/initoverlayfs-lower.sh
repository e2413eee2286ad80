#!/usr/bin/env bash
# Compares the two lowers of `erofs initramfs` side by side in one run: EROFS (lz4hc 11, the default) and btrfs
# (`--lower=btrfs`, mkfs.btrfs --rootdir), made from the same initramfs (the one InitoverlayfsBootTest assembles
# from Debian's kernel modules and busybox): image size, build time, whether a second build gives the same bytes,
# and the kernel's uptime when the full initramfs's init starts under qemu (TCG), BOOTS boots each, alternating.
# Needs root and what .ci/run installs (qemu-system-x86, btrfs-progs, ...).
# Usage: bench/initoverlayfs-lower.sh [BOOTS]      Output: the `compare:` lines (medians last); consoles under
# erofs-cli/target/boot-test/compare-*.console.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
boots="${1:-5}"
cd "$here"
./mvnw -B -q -pl erofs-cli -am test -Dtest='InitoverlayfsBootTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Derofs4j.boot.compare="$boots" | grep '^compare:'
