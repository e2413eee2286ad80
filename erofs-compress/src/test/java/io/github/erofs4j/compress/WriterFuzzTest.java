package io.github.erofs4j.compress;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.testing.ByteArrayChannel;
import io.github.erofs4j.core.testing.KernelTools;
import io.github.erofs4j.core.testing.Manifests;
import io.github.erofs4j.core.testing.RandomTrees;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the writer: the input describes a tree (names of any bytes, every file type, contents,
 * xattrs of every namespace, hard links, owners, times) and the options (block size, inode format, inline data,
 * chunked data in both formats, lz4 and lz4hc compression with inline tails). The tree is written, read back by our
 * reader, and must give the manifest the tree predicts. Inputs the writer cannot represent must be refused with an
 * exception before any image exists; any other outcome is a finding.
 */
class WriterFuzzTest {
    private static final long BUILD_TIME = 1_600_000_000L;
    private static final String[] PREFIXES = {"user.", "trusted.", "security.", "trusted.overlay.", "system."};

    @FuzzTest(maxDuration = "10m")
    void roundTrip(FuzzedDataProvider data) throws IOException {
        int bs = 512 << data.consumeInt(0, 3);
        WriteOptions.InodeFormat format = data.pickValue(WriteOptions.InodeFormat.values());
        WriteOptions.Builder b = WriteOptions.builder().blockSize(bs).buildTime(BUILD_TIME).workers(1)
                .inodeFormat(format).inlineData(data.consumeBoolean());
        int layout = data.consumeInt(0, 3);
        if (layout == 1) {
            b.chunkSize((long) bs << data.consumeInt(0, 2)).chunkFormat(data.pickValue(WriteOptions.ChunkFormat.values()));
        } else if (layout >= 2 && bs == 4096) {
            b.compression(Compression.builder(layout == 2 ? "lz4" : "lz4hc").pclusterSize(bs << data.consumeInt(0, 2))
                    .ztailpacking(data.consumeBoolean()).build());
        }
        FsTree tree = tree(data, bs);
        WriteOptions opts = b.build();
        Path dir = Files.createTempDirectory("erofs4j-fuzz");
        try {
            Path img = dir.resolve("x.erofs");
            try {
                ErofsWriter.write(tree, img, opts);
            } catch (IOException e) {
                if (Files.exists(img)) {
                    throw new AssertionError("a failed write left an image", e);
                }
                if (format == WriteOptions.InodeFormat.COMPACT && e.getMessage().contains("cannot use a compact inode")) {
                    return; // documented: an id, link count or size that does not fit a compact inode
                }
                throw e;
            }
            byte[] bytes = Files.readAllBytes(img);
            if (format == WriteOptions.InodeFormat.COMPACT) {
                setMtimes(tree.root()); // documented: compact inodes carry the build time
            }
            List<String> want = RandomTrees.expected(tree);
            try (ByteArrayChannel ch = new ByteArrayChannel(bytes, bytes.length);
                 ErofsImage image = ErofsImage.open(ch, ReadOptions.defaults())) {
                List<String> got = Manifests.of(image, true);
                if (!want.equals(got)) {
                    throw new AssertionError("the image reads differently from the tree:\nwant " + want + "\ngot  "
                            + got);
                }
            }
        } finally {
            KernelTools.deleteTree(dir);
        }
    }

    private static void setMtimes(Node n) {
        n.mtime(BUILD_TIME, 0);
        if (n.type() == FileType.DIRECTORY) {
            for (Node c : n.children().values()) {
                setMtimes(c);
            }
        }
    }

    private static FsTree tree(FuzzedDataProvider data, int bs) {
        FsTree tree = new FsTree();
        List<Node> dirs = new ArrayList<>();
        List<Node> files = new ArrayList<>();
        dirs.add(tree.root());
        int entries = data.consumeInt(0, 40);
        for (int i = 0; i < entries && data.remainingBytes() > 0; i++) {
            Node parent = dirs.get(data.consumeInt(0, dirs.size() - 1));
            byte[] name = data.consumeBytes(data.consumeInt(1, 255));
            if (!Node.validName(name) || parent.child(name) != null) {
                continue;
            }
            int kind = data.consumeInt(0, 9);
            Node n = switch (kind) {
                case 0, 1 -> Node.directory();
                case 2 -> Node.symlink(symlinkTarget(data, bs));
                case 3 -> data.consumeBoolean() ? Node.charDevice(data.consumeInt(0, 4095), data.consumeInt(0, 1 << 20))
                        : Node.blockDevice(data.consumeInt(0, 4095), data.consumeInt(0, 1 << 20));
                case 4 -> data.consumeBoolean() ? Node.fifo() : Node.charDevice(0, 0);
                case 5 -> files.isEmpty() ? Node.socket() : files.get(data.consumeInt(0, files.size() - 1));
                default -> Node.file(content(data, bs));
            };
            if (kind != 5 || files.isEmpty()) {
                attributes(data, n);
            }
            parent.put(name, n);
            if (n.type() == FileType.DIRECTORY) {
                dirs.add(n);
            } else {
                files.add(n);
            }
        }
        return tree;
    }

    private static byte[] symlinkTarget(FuzzedDataProvider data, int bs) {
        byte[] t = data.consumeBytes(data.consumeInt(1, Math.min(bs, 4095) + 100));
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0) {
                t[i] = 'x';
            }
        }
        return t.length == 0 ? new byte[] {'t'} : t;
    }

    private static byte[] content(FuzzedDataProvider data, int bs) {
        int len = data.consumeInt(0, 4 * bs + 100);
        byte[] head = data.consumeBytes(Math.min(len, 64));
        byte[] out = new byte[len];
        // Repeat the given bytes so that compression finds matches; the tail stays distinct.
        for (int i = 0; head.length > 0 && i < len; i++) {
            out[i] = (byte) (head[i % head.length] + (i >= len - 7 ? i : 0));
        }
        return out;
    }

    private static void attributes(FuzzedDataProvider data, Node n) {
        if (n.type() != FileType.SYMLINK) {
            n.permissions(data.consumeInt(0, 07777));
        }
        n.owner(data.consumeLong(0, 0xFFFF_FFFFL), data.consumeLong(0, 0xFFFF_FFFFL));
        n.mtime(data.consumeLong(0, 0xFFFF_FFFFL), data.consumeInt(0, 999_999_999));
        int xattrs = data.consumeInt(0, 3);
        for (int i = 0; i < xattrs; i++) {
            String prefix = PREFIXES[data.consumeInt(0, PREFIXES.length - 1)];
            String suffix = data.consumeAsciiString(data.consumeInt(0, 40)).replace('\0', '_');
            if (prefix.equals("system.")) {
                continue; // posix ACLs take a binary format of their own
            }
            if (prefix.equals("user.") && n.type() != FileType.REGULAR && n.type() != FileType.DIRECTORY) {
                continue; // as the kernel: user xattrs only on files and directories
            }
            if (suffix.isEmpty() && !prefix.equals("trusted.overlay.")) {
                continue;
            }
            n.xattr(prefix + suffix, data.consumeBytes(data.consumeInt(0, 300)));
        }
    }
}
