# Deterministic source tree for the extra compressed test images (see make-images.sh).
import os, random, sys
r = random.Random(7)
dest = sys.argv[1]
os.makedirs(dest)
W = b"erofs overlay lower upper initramfs kernel block inode dirent xattr cluster compress lz4 zstd deflate lzma".split()
def text(n):
    out = bytearray()
    while len(out) < n:
        out += r.choice(W) + b" "
    return bytes(out[:n])
def noisy(n):
    b = bytearray(text(n))
    for p in range(0, n, 9000):
        k = min(1500, n - p)
        b[p:p+k] = r.randbytes(k)
    return bytes(b)
base = noisy(120000)
# dedupe: shared prefixes of different lengths, and a file that is a middle slice
open(os.path.join(dest, "base.bin"), "wb").write(base)
open(os.path.join(dest, "prefix-a.bin"), "wb").write(base[:70001])
open(os.path.join(dest, "prefix-b.bin"), "wb").write(base[:93457] + text(5000))
open(os.path.join(dest, "slice.bin"), "wb").write(text(3000) + base[40000:110000])
open(os.path.join(dest, "mixed.bin"), "wb").write(noisy(100000))
open(os.path.join(dest, "small.txt"), "wb").write(text(777))
os.symlink("base.bin", os.path.join(dest, "link"))
os.symlink("x" * 300 + "/target/" + "y" * 200, os.path.join(dest, "longlink"))
d = os.path.join(dest, "bigdir")
os.makedirs(d)
for i in range(300):
    name = "entry-%05d-%s" % (i, "abcdefghij" * (i % 7))
    if i % 3 == 0:
        open(os.path.join(d, name), "wb").write(text(i % 50))
    elif i % 3 == 1:
        os.symlink("../base.bin", os.path.join(d, name))
    else:
        os.makedirs(os.path.join(d, name))
