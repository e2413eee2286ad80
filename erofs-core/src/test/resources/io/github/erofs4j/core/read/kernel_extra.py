#!/usr/bin/env python3
"""For KernelPropertyTest: what manifest.py leaves out. One line per entry, sorted by path bytes:
path <TAB> st_ino <TAB> st_nlink <TAB> readdir order of a directory (hex names joined by ',') or '-'."""
import os, sys

root = os.fsencode(sys.argv[1])
rels = [b"."]
for dp, dns, fns in os.walk(root):
    for n in dns + fns:
        rels.append(os.path.relpath(os.path.join(dp, n), root))
for rel in sorted(rels):
    p = root if rel == b"." else os.path.join(root, rel)
    st = os.lstat(p)
    order = ",".join(n.hex() for n in os.listdir(p)) if os.path.isdir(p) and not os.path.islink(p) else "-"
    sys.stdout.write("%s\t%d\t%d\t%s\n" % (rel.decode("utf-8", "surrogateescape"), st.st_ino, st.st_nlink, order or "-"))
