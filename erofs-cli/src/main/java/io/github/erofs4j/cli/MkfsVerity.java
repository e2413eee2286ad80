package io.github.erofs4j.cli;

import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.ImageObserver;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.core.write.WriteSummary;
import io.github.erofs4j.verity.FsVerityDigest;
import io.github.erofs4j.verity.FsVerityHasher;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.Parallelism;
import io.github.erofs4j.verity.VerityException;
import io.github.erofs4j.verity.dm.DmVerityAppender;
import io.github.erofs4j.verity.dm.DmVerityHashAlgorithm;
import io.github.erofs4j.verity.dm.DmVerityParams;
import io.github.erofs4j.verity.dm.DmVerityTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Stack;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The verity options of {@code erofs mkfs} ({@code --dm-verity[=HASHFILE]}, {@code --verity-digest} and the
 * dm-verity parameters) and the write that computes them in the same pass as the image.
 *
 * <p>The image goes to a temporary file beside IMAGE (and the tree, for a separate hash file, to a temporary file
 * beside HASHFILE); an appended tree is written into the temporary image, and both files are renamed into place
 * only once everything succeeded, so a failure leaves neither behind.
 *
 * <p>Default salt and UUID: veritysetup draws them at random, which would make every build differ. Here they are
 * derived (SHA-256, domain-separated) from the filesystem UUID, the build time and the label: with mkfs's default
 * random filesystem UUID they are as unpredictable and per-volume as veritysetup's; with a pinned UUID and build
 * time (a reproducible build) the whole output is reproducible. The salt is public in any case (it is in the
 * superblock and the dm table); its job is to separate the hash domains of different volumes, which a per-volume
 * UUID does. {@code --dm-verity-salt} and {@code --dm-verity-uuid} override the derivation.
 */
final class MkfsVerity {
    /** The value of {@code --dm-verity} given without '=HASHFILE': append the tree to the image. */
    static final String APPEND = "";

    @Option(names = "--dm-verity", arity = "0..1", paramLabel = "HASHFILE", preprocessor = AttachedValue.class,
            description = "build the dm-verity hash tree while writing: appended to IMAGE (superblock at the "
                    + "image size; veritysetup --hash-offset), or with =HASHFILE in that file; prints the "
                    + "veritysetup format report with the root hash")
    String dmVerity;

    @Option(names = "--dm-verity-salt", paramLabel = "HEX|-", description = "dm-verity salt, '-' for none "
            + "(default: 32 bytes derived from the filesystem UUID, build time and label)")
    String salt;

    @Option(names = "--dm-verity-uuid", paramLabel = "UUID", description = "dm-verity superblock UUID "
            + "(default: derived like the salt)")
    String uuid;

    @Option(names = "--dm-verity-hash", paramLabel = "ALG", description = "dm-verity hash: sha256 (default), "
            + "sha512, sha1, sha224, sha384")
    String hash = "sha256";

    @Option(names = "--dm-verity-data-block-size", paramLabel = "N", description = "dm-verity data block size "
            + "(default 4096; the image is padded with zeros to a multiple of it)")
    int dataBlockSize = 4096;

    @Option(names = "--dm-verity-hash-block-size", paramLabel = "N", description = "dm-verity hash block size "
            + "(default 4096)")
    int hashBlockSize = 4096;

    @Option(names = "--verity-digest", description = "print the fs-verity digest of the written file (image and "
            + "appended tree) as fsverity digest does")
    boolean digest;

    /** What the verity side of a build produced. */
    record Outcome(WriteSummary summary, DmVerityTree tree, FsVerityDigest digest, long hashOffset) {
    }

    boolean active() {
        return dmVerity != null || digest;
    }

    /**
     * Checks the options and makes the dm-verity parameters (null without {@code --dm-verity}); the defaults of
     * salt and UUID are derived from the filesystem options.
     */
    DmVerityParams params(CommandLine cl, Path image, UUID fsUuid, long buildTime, String label) {
        if (dmVerity == null) {
            if (salt != null || uuid != null || !hash.equals("sha256") || dataBlockSize != 4096
                    || hashBlockSize != 4096) {
                throw new CommandLine.ParameterException(cl, "the --dm-verity-* options need --dm-verity");
            }
            return null;
        }
        if (!dmVerity.equals(APPEND) && sameFile(image, Path.of(dmVerity))) {
            throw new CommandLine.ParameterException(cl, "HASHFILE is IMAGE: give --dm-verity without a value to "
                    + "append the tree to the image");
        }
        try {
            DmVerityParams.Builder b = DmVerityParams.builder().algorithm(DmVerityHashAlgorithm.fromName(hash))
                    .dataBlockSize(dataBlockSize).hashBlockSize(hashBlockSize);
            if (salt == null) {
                b.salt(derive("salt", fsUuid, buildTime, label));
            } else if (!salt.equals("-")) {
                b.salt(VerityCommand.hex(cl, salt, "--dm-verity-salt"));
            }
            if (uuid == null) {
                byte[] h = derive("uuid", fsUuid, buildTime, label);
                h[6] = (byte) ((h[6] & 0x0f) | 0x40);                 // version 4 layout, as a random UUID has
                h[8] = (byte) ((h[8] & 0x3f) | 0x80);                 // IETF variant
                ByteBuffer u = ByteBuffer.wrap(h);
                b.uuid(new UUID(u.getLong(0), u.getLong(8)));
            } else {
                try {
                    b.uuid(UUID.fromString(uuid));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "bad --dm-verity-uuid: " + uuid);
                }
            }
            return b.build();
        } catch (VerityException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** SHA-256 over a domain string and the options that identify the volume. */
    static byte[] derive(String what, UUID fsUuid, long buildTime, String label) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("erofs4j mkfs dm-verity " + what + "\0").getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(24);
            b.putLong(fsUuid.getMostSignificantBits())
                    .putLong(fsUuid.getLeastSignificantBits());
            b.order(ByteOrder.LITTLE_ENDIAN).putLong(buildTime);
            md.update(b.array());
            md.update(label.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Writes the image with the verity data computed while writing, then moves the files into place.
     *
     * @param dm dm-verity parameters, null for none
     * @param threads hashing threads
     */
    Outcome write(FsTree tree, Path image, WriteOptions options, DmVerityParams dm, int threads)
            throws IOException {
        Path abs = image.toAbsolutePath();
        Path dir = abs.getParent();
        Path hashAbs = dm != null && !dmVerity.equals(APPEND) ? Path.of(dmVerity).toAbsolutePath() : null;
        Parallelism par = Parallelism.of(Math.max(1, threads));
        Path tmp = temporary(abs);
        Files.createFile(tmp);   // like any new file (0666 minus the umask), as the writer creates images
        Path hashTmp = null;
        boolean hashPlaced = false;
        boolean ok = false;
        try {
            if (hashAbs != null) {
                hashTmp = temporary(hashAbs);
                createOwnerOnly(hashTmp);
            }
            Outcome o;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FsVerityHasher fs = digest ? FsVerityHasher.create(FsVerityParams.defaults(), par, null) : null;
                    DmVerityAppender ap = dm != null ? DmVerityAppender.create(dm, par, dir) : null) {
                ImageObserver feed = bytes -> {
                    if (ap != null) {
                        ap.update(bytes.duplicate());
                    }
                    if (fs != null) {
                        fs.update(bytes);
                    }
                };
                WriteSummary s = ErofsWriter.write(tree, ch, options.toBuilder().observer(feed).build());
                long end = s.imageBytes();
                DmVerityTree t = null;
                if (ap != null) {
                    // veritysetup leaves a partial last data block unprotected; pad instead, so that every
                    // image byte is covered (EROFS ignores what follows its last block).
                    int pad = (int) Math.floorMod(-end, (long) dm.dataBlockSize());
                    if (pad > 0) {
                        ByteBuffer z = ByteBuffer.allocate(pad);
                        writeFully(ch, z.duplicate(), end);
                        feed.update(z.asReadOnlyBuffer());
                        end += pad;
                    }
                    if (hashTmp == null) {
                        t = ap.finish(ch, end);
                    } else {
                        try (FileChannel hc = FileChannel.open(hashTmp, StandardOpenOption.WRITE)) {
                            t = ap.finish(hc, 0);
                        }
                    }
                }
                FsVerityDigest d = null;
                if (fs != null) {
                    // the digest is of the file as written, appended superblock and tree included
                    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                    for (long pos = end, size = ch.size(); pos < size; ) {
                        buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
                        while (buf.hasRemaining()) {
                            if (ch.read(buf, pos + buf.position()) < 0) {
                                throw new IOException(tmp + ": shorter than written");
                            }
                        }
                        fs.update(buf.flip());
                        pos += buf.limit();
                    }
                    d = fs.finish();
                }
                o = new Outcome(s, t, d, hashTmp == null ? end : 0);
            }
            if (hashTmp != null) {
                move(hashTmp, hashAbs);
                hashPlaced = true;
            }
            move(tmp, abs);
            ok = true;
            return o;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
                if (hashTmp != null) {
                    Files.deleteIfExists(hashTmp);
                }
                if (hashPlaced) {
                    Files.deleteIfExists(hashAbs);
                }
            }
        }
    }

    /** Prints the veritysetup report and the fsverity digest line. */
    void print(PrintWriter out, Path image, Outcome o) {
        if (o.tree() != null) {
            boolean appended = dmVerity.equals(APPEND);
            VerityDmFormatCommand.report(out, appended ? image.toString() : dmVerity, o.tree(), !appended);
            if (appended) {
                // not in veritysetup's report, which is given the offset; here it is needed to open the device
                out.print("Hash offset:     \t" + o.hashOffset() + "\n");
            }
        }
        if (o.digest() != null) {
            out.print(o.digest() + " " + image + "\n");
        }
        out.flush();
    }

    private static Path temporary(Path abs) {
        return abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    }

    private static void createOwnerOnly(Path p) throws IOException {
        try {
            // veritysetup creates a hash file readable by its owner only
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(p);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Takes the option's value only when attached with '=' ({@code --dm-verity=FILE}), so that
     * {@code --dm-verity IMAGE SOURCE} appends instead of taking IMAGE as the hash file (getopt's rule for
     * optional values).
     */
    static final class AttachedValue implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandLine.Model.CommandSpec spec,
                CommandLine.Model.ArgSpec arg, Map<String, Object> info) {
            if ("=".equals(info.get("separator"))) {
                if (args.isEmpty() || args.peek().isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--dm-verity=: HASHFILE is empty");
                }
                return false;
            }
            arg.setValue(APPEND);
            return true;
        }
    }
}
