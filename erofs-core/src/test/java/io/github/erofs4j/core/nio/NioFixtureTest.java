package io.github.erofs4j.core.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.erofs4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks every fixture through {@code java.nio.file} only and compares with the kernel's manifest (xattrs restricted
 * to {@code user.*}, all the NIO API exposes); file content is read by 8 threads at once. Files of fixtures with
 * compressed inodes may fail with an "unsupported" error (no decompressor here); every other column must match.
 */
class NioFixtureTest {
    /**
     * Whether a failure is an unsupported feature: compressed data is unsupported while no decompressor is on the
     * class path (erofs-core's own tests).
     */
    private static boolean unsupported(Throwable e) {
        Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
        return t instanceof io.github.erofs4j.core.ErofsFormatException f
                && f.kind() == io.github.erofs4j.core.ErofsFormatException.Kind.UNSUPPORTED;
    }

    static Stream<String> fixtures() throws IOException {
        return Fixtures.all().stream();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void walkAndReadConcurrently(String name) throws Exception {
        FileSystem opened;
        try {
            opened = FileSystems.newFileSystem(Fixtures.image(name));
        } catch (io.github.erofs4j.core.ErofsFormatException e) {
            // A compressed metabox holds every inode: without a decompressor not even the root can be read.
            assertEquals(io.github.erofs4j.core.ErofsFormatException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
            assertTrue(!Fixtures.UNCOMPRESSED.contains(name));
            return;
        }
        try (FileSystem fs = opened) {
            assertTrue(fs.isReadOnly());
            Path root = fs.getPath("/");
            List<Path> paths;
            try (Stream<Path> s = Files.walk(root)) {
                paths = new ArrayList<>(s.toList());
            } catch (IOException | java.io.UncheckedIOException e) {
                // Compressed directories cannot be listed yet.
                assertTrue(unsupported(e), e.toString());
                assertTrue(!Fixtures.UNCOMPRESSED.contains(name));
                return;
            }
            paths.sort(Comparator.comparing(p -> rel(root, p).getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
            List<Path> files = new ArrayList<>();
            for (Path p : paths) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
            Map<Path, String> hashes = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger pending = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> fs8 = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    fs8.add(pool.submit(() -> {
                        List<Path> order = new ArrayList<>(files);
                        Collections.shuffle(order, new Random(seed));
                        for (Path p : order) {
                            String h;
                            try {
                                h = seed % 2 == 0 ? sha256(Files.readAllBytes(p)) : sha256(readBackwards(p, seed));
                            } catch (IOException e) {
                                if (unsupported(e)) {
                                    pending.incrementAndGet();
                                    h = "?";
                                } else {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                            String prev = hashes.putIfAbsent(p, h);
                            if (prev != null && !prev.equals(h)) {
                                throw new AssertionError("threads disagree on " + p);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs8) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            if (Fixtures.UNCOMPRESSED.contains(name)) {
                assertEquals(0, pending.get(), name + ": no file of an uncompressed fixture may be pending");
            }
            List<String> expected = Fixtures.manifest(name);
            assertEquals(expected.size(), paths.size(), name + ": entries");
            for (int i = 0; i < paths.size(); i++) {
                Path p = paths.get(i);
                String[] exp = expected.get(i).split("\t", -1);
                exp[10] = userOnly(exp[10]);
                String ours = line(root, p, hashes);
                if (ours.split("\t", -1)[9].equals("?")) {
                    exp[9] = "?";
                }
                assertEquals(String.join("\t", exp), ours, name);
            }
        }
    }

    private static String rel(Path root, Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    private static String userOnly(String xattrs) {
        if (xattrs.equals("-")) {
            return "-";
        }
        List<String> keep = new ArrayList<>();
        for (String x : xattrs.split(",")) {
            if (x.startsWith("user.")) {
                keep.add(x);
            }
        }
        return keep.isEmpty() ? "-" : String.join(",", keep);
    }

    private static String line(Path root, Path p, Map<Path, String> hashes) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        char type = (Boolean) a.get("isDirectory") ? 'd' : (Boolean) a.get("isSymbolicLink") ? 'l'
                : (Boolean) a.get("isRegularFile") ? 'f' : switch (mode & 0170000) {
                    case 0020000 -> 'c';
                    case 0060000 -> 'b';
                    case 0010000 -> 'p';
                    case 0140000 -> 's';
                    default -> '?';
                };
        String payload = switch (type) {
            case 'f' -> hashes.get(p);
            case 'l' -> HexFormat.of().formatHex(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
            case 'c', 'b' -> {
                long rdev = (Long) a.get("rdev");
                long major = ((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL);
                long minor = (rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL);
                yield major + ":" + (minor & 0xFFFFFFFFL);
            }
            default -> "-";
        };
        long size = type == 'f' || type == 'l' ? (Long) a.get("size") : 0;
        java.time.Instant mt = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant();
        int nlink = type == 'd' ? 0 : (Integer) a.get("nlink");
        UserDefinedFileAttributeView uv = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        List<String> names = new ArrayList<>(uv.list());
        Collections.sort(names);
        List<String> xs = new ArrayList<>();
        for (String n : names) {
            ByteBuffer b = ByteBuffer.allocate(uv.size(n));
            uv.read(n, b);
            xs.add("user." + n + "=" + HexFormat.of().formatHex(b.array()));
        }
        return String.join("\t", rel(root, p), String.valueOf(type), Integer.toOctalString(mode & 07777),
                a.get("uid").toString(), a.get("gid").toString(), Long.toString(size),
                Long.toString(mt.getEpochSecond()), Integer.toString(mt.getNano()), Integer.toString(nlink), payload,
                xs.isEmpty() ? "-" : String.join(",", xs));
    }

    /** Reads a file through a seekable channel in pieces, last piece first. */
    private static byte[] readBackwards(Path p, int seed) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(p)) {
            long size = ch.size();
            byte[] out = new byte[(int) size];
            int piece = 1000 + seed * 777;
            for (long start = (size - 1) / piece * piece; start >= 0 && size > 0; start -= piece) {
                ch.position(start);
                ByteBuffer b = ByteBuffer.wrap(out, (int) start, (int) Math.min(piece, size - start));
                while (b.hasRemaining()) {
                    if (ch.read(b) < 0) {
                        throw new IOException("early EOF");
                    }
                }
            }
            return out;
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void sameBytesAsTheReader(String name) throws Exception {
        // A cheap cross-check of channel reads at odd offsets against readAllBytes, on the biggest file.
        if (!Fixtures.UNCOMPRESSED.contains(name)) {
            return;
        }
        try (FileSystem fs = FileSystems.newFileSystem(Fixtures.image(name))) {
            Path big = fs.getPath("/big-text.log");
            if (!Files.exists(big)) {
                return;
            }
            byte[] all = Files.readAllBytes(big);
            try (SeekableByteChannel ch = Files.newByteChannel(big)) {
                Random r = new Random(1);
                for (int i = 0; i < 50; i++) {
                    int pos = r.nextInt(all.length);
                    int len = Math.min(r.nextInt(9000), all.length - pos);
                    ByteBuffer b = ByteBuffer.allocate(len);
                    ch.position(pos);
                    while (b.hasRemaining() && ch.read(b) > 0) {
                        // fill
                    }
                    assertArrayEquals(Arrays.copyOfRange(all, pos, pos + len), b.array());
                }
            }
        }
    }
}
