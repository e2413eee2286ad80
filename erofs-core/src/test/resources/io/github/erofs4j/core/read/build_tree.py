#!/usr/bin/env python3
"""Builds a directory tree from a spec file written by KernelPropertyTest (run as root).

usage: build_tree.py SPEC ROOT
Spec: one entry per line, tab-separated, paths and names in hex (UTF-8 bytes), relative to ROOT:
  d PATH MODE UID GID MTIME_NS
  f PATH MODE UID GID MTIME_NS SIZE SEED
  l PATH TARGET UID GID MTIME_NS
  c|b PATH MODE UID GID MTIME_NS MAJOR MINOR
  p|s PATH MODE UID GID MTIME_NS
  h PATH EXISTING
  x PATH NAME VALUE
Times of directories are set last, deepest first, so that creating children does not change them.
"""
import os, random, socket, sys

def main():
    spec, root = sys.argv[1], os.fsencode(sys.argv[2])
    dirs = []
    for raw in open(spec, encoding="ascii"):
        f = raw.rstrip("\n").split("\t")
        kind = f[0]
        p = os.path.join(root, bytes.fromhex(f[1]))
        if kind == "h":
            os.link(os.path.join(root, bytes.fromhex(f[2])), p)
            continue
        if kind == "x":
            os.setxattr(p, bytes.fromhex(f[2]), bytes.fromhex(f[3]), follow_symlinks=False)
            continue
        if kind == "l":
            os.symlink(bytes.fromhex(f[2]), p)
            os.lchown(p, int(f[3]), int(f[4]))
            os.utime(p, ns=(int(f[5]), int(f[5])), follow_symlinks=False)
            continue
        mode, uid, gid, mtime = int(f[2], 8), int(f[3]), int(f[4]), int(f[5])
        if kind == "d":
            os.mkdir(p)
            dirs.append((p, mtime))
        elif kind == "f":
            with open(p, "wb") as out:
                out.write(random.Random(int(f[7])).randbytes(int(f[6])))
        elif kind in "cb":
            t = 0o020000 if kind == "c" else 0o060000
            os.mknod(p, t | 0o600, os.makedev(int(f[6]), int(f[7])))
        elif kind == "p":
            os.mkfifo(p)
        elif kind == "s":
            here = os.getcwd()
            os.chdir(os.path.dirname(p))
            s = socket.socket(socket.AF_UNIX)
            s.bind(os.path.basename(p))
            s.close()
            os.chdir(here)
        os.lchown(p, uid, gid)
        os.chmod(p, mode)
        if kind != "d":
            os.utime(p, ns=(mtime, mtime))
    for p, mtime in sorted(dirs, key=lambda d: -d[0].count(b"/")):
        os.utime(p, ns=(mtime, mtime))

if __name__ == "__main__":
    main()
