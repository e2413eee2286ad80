package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.source.SourceKind;
import io.github.erofs4j.core.source.SourceOptions;
import io.github.erofs4j.core.source.SourceTree;
import io.github.erofs4j.core.source.Sources;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FileContent;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.write.WriteOptions;
import io.github.erofs4j.core.write.WriteSummary;
import io.github.erofs4j.verity.FsVerity;
import io.github.erofs4j.verity.FsVerityParams;
import io.github.erofs4j.verity.Parallelism;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * composefs-style images: a metadata-only EROFS image of a tree whose regular files keep no data of their own but
 * name an object in a content store by its fs-verity digest, plus that store. Mounted as an overlay with the image
 * as the only lower layer and the store as a data-only lower layer
 * ({@code mount -t overlay -o ro,metacopy=on,redirect_dir=on,lowerdir=IMGMNT::STORE overlay MNT}), it shows the
 * tree.
 *
 * <p>The image follows {@code mkcomposefs} (composefs format version 1): a regular file larger than
 * {@value #INLINE_MAX} bytes becomes a sparse file of its size carrying {@code trusted.overlay.metacopy} (version
 * 0, the SHA-256 fs-verity digest) and {@code trusted.overlay.redirect} {@code "/ab/cdef..."}, the object's path
 * in the store (the digest in hex, a slash after the first byte); smaller files keep their bytes in the image.
 * The tree's own {@code trusted.overlay.*} xattrs are escaped ({@code trusted.overlay.overlay.*}); a 0:0 character
 * device becomes an escaped xattr whiteout (an empty file with {@code trusted.overlay.overlay.whiteout} and
 * {@code user.overlay.whiteout}, its directory marked as holding whiteouts and opaque "x"); the root is opaque
 * "y" and holds whiteouts {@code 00} to {@code ff}, hiding the store's directories should it be mounted as an
 * ordinary lower layer. Objects are written to the store once (a digest already there is not written again),
 * each through a temporary file moved into place.
 *
 * <p>Stateless and thread-safe; each call changes the tree it is given.
 */
public final class Composefs {
    /** The largest file kept in the image rather than the store, as mkcomposefs does. */
    public static final int INLINE_MAX = 64;

    private static final String TRUSTED = "trusted.overlay.";
    private static final String ESCAPED = "trusted.overlay.overlay.";
    /** fs-verity's id of SHA-256 ({@code FS_VERITY_HASH_ALG_SHA256}). */
    private static final int SHA256 = 1;

    /**
     * What a build did.
     *
     * @param image the image written
     * @param files regular files named by digest in the image
     * @param objects distinct objects they name
     * @param objectsWritten objects written to the store (the others were there already)
     * @param objectBytes the bytes of the distinct objects
     */
    public record Summary(WriteSummary image, int files, int objects, int objectsWritten, long objectBytes) {}

    private Composefs() {}

    /** The store path of an object, {@code "ab/cdef..."}, from its 32-byte SHA-256 fs-verity digest. */
    public static String objectPath(byte[] digest) {
        String hex = HexFormat.of().formatHex(digest);
        return hex.substring(0, 2) + "/" + hex.substring(2);
    }

    /**
     * Builds a composefs image of a directory (xattrs included) and fills the store with its files' contents.
     *
     * @param store the store directory, created if missing
     */
    public static Summary write(Path sourceDir, Path image, Path store, WriteOptions options) throws IOException {
        try (SourceTree src = Sources.load(sourceDir, SourceKind.DIRECTORY, SourceOptions.defaults())) {
            return write(src.tree(), image, store, options);
        }
    }

    /**
     * Builds a composefs image of a tree (changing the tree) and fills the store with its files' contents. The
     * store is filled first: an image never names an object missing from the store.
     */
    public static Summary write(FsTree tree, Path image, Path store, WriteOptions options) throws IOException {
        Files.createDirectories(store);
        Stats stats = new Stats();
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        rewrite(tree.root(), store, stats, done);
        rootMarks(tree.root());
        WriteSummary s = ErofsWriter.write(tree, image, options);
        return new Summary(s, stats.files, stats.digests.size(), stats.written, stats.bytes);
    }

    private static final class Stats {
        int files;
        int written;
        long bytes;
        final Set<String> digests = new java.util.HashSet<>();
        /** 0:0 devices turned into xattr whiteouts, for their other names. */
        final Map<Node, Node> replaced = new IdentityHashMap<>();
    }

    private static void rewrite(Node dir, Path store, Stats stats, Set<Node> done) throws IOException {
        escape(dir);
        for (Map.Entry<byte[], Node> e : List.copyOf(dir.children().entrySet())) {
            Node c = e.getValue();
            if (!done.add(c)) {
                Node replaced = stats.replaced.get(c);
                if (replaced != null) {
                    dir.put(e.getKey(), replaced); // another name of a whiteout made an xattr whiteout
                    markWhiteouts(dir);
                }
                continue; // another name of a hard link
            }
            if (c.type() == FileType.DIRECTORY) {
                rewrite(c, store, stats, done);
                continue;
            }
            escape(c);
            if (c.type() == FileType.REGULAR && c.size() > INLINE_MAX) {
                byte[] digest = store(c.content(), store, stats);
                stats.files++;
                byte[] metacopy = new byte[4 + digest.length];
                metacopy[1] = (byte) metacopy.length;
                metacopy[3] = SHA256;
                System.arraycopy(digest, 0, metacopy, 4, digest.length);
                c.content(FileContent.hole(c.size()));
                c.xattr(TRUSTED + "metacopy", metacopy);
                c.xattr(TRUSTED + "redirect", ("/" + objectPath(digest)).getBytes(StandardCharsets.US_ASCII));
            } else if (OverlayTransforms.isWhiteout(c)) {
                Node wh = Node.file(new byte[0]).permissions(c.permissions()).owner(c.uid(), c.gid())
                        .mtime(c.mtimeSeconds(), c.mtimeNanos());
                c.xattrs().forEach(wh::xattr);
                wh.xattr(ESCAPED + "whiteout", new byte[0]).xattr("user.overlay.whiteout", new byte[0]);
                dir.put(e.getKey(), wh);
                stats.replaced.put(c, wh);
                markWhiteouts(dir);
            }
        }
    }

    /** Marks a directory as holding escaped xattr whiteouts (format version 1). */
    private static void markWhiteouts(Node dir) {
        dir.xattr(ESCAPED + "whiteouts", new byte[0]).xattr("user.overlay.whiteouts", new byte[0]);
        dir.xattr(ESCAPED + "opaque", new byte[] {'x'}).xattr("user.overlay.opaque", new byte[] {'x'});
    }

    /** Escapes the node's own overlay xattrs one level, so that the mount shows them. */
    private static void escape(Node n) {
        List<String> names = new ArrayList<>();
        for (String k : n.xattrs().keySet()) {
            if (k.startsWith(TRUSTED)) {
                names.add(k);
            }
        }
        // Longest first: "trusted.overlay.x" becoming "trusted.overlay.overlay.x" must not replace an escaped
        // name that is itself being escaped.
        names.sort((a, b) -> b.length() - a.length());
        for (String k : names) {
            byte[] v = n.xattrs().get(k);
            n.removeXattr(k);
            n.xattr(ESCAPED + k.substring(TRUSTED.length()), v);
        }
    }

    private static void rootMarks(Node root) {
        root.xattr(TRUSTED + "opaque", new byte[] {'y'});
        byte[] selinux = root.xattrs().get("security.selinux");
        for (int i = 0; i < 256; i++) {
            String name = String.format("%02x", i);
            if (root.child(name) != null) {
                continue;
            }
            Node wh = Node.charDevice(0, 0).permissions(0644).owner(root.uid(), root.gid())
                    .mtime(root.mtimeSeconds(), root.mtimeNanos());
            if (selinux != null) {
                wh.xattr("security.selinux", selinux);
            }
            root.put(name, wh);
        }
    }

    /** Puts a content into the store under its digest (unless there) and returns the digest. */
    private static byte[] store(FileContent content, Path store, Stats stats) throws IOException {
        byte[] digest;
        try (ReadableByteChannel ch = content.open(0); InputStream in = Channels.newInputStream(ch)) {
            digest = FsVerity.digest(in, FsVerityParams.defaults(), Parallelism.single(), null).digest();
        }
        String rel = objectPath(digest);
        if (!stats.digests.add(rel)) {
            return digest;
        }
        stats.bytes += content.size();
        Path object = store.resolve(rel);
        if (Files.exists(object)) {
            if (Files.size(object) != content.size()) {
                throw new IOException(object + ": object of " + Files.size(object) + " bytes in the store, its "
                        + "digest names " + content.size() + " bytes");
            }
            return digest;
        }
        Path dir = Files.createDirectories(object.getParent());
        Path tmp = Files.createTempFile(dir, ".tmp-", "");
        try {
            try (ReadableByteChannel ch = content.open(0); InputStream in = Channels.newInputStream(ch);
                    OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[65536];
                long total = 0;
                for (int r; (r = in.read(buf)) > 0; ) {
                    out.write(buf, 0, r);
                    total += r;
                }
                if (total != content.size()) {
                    throw new IOException(content.describe() + ": read " + total + " bytes of " + content.size());
                }
            }
            try {
                Files.move(tmp, object, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, object, StandardCopyOption.REPLACE_EXISTING);
            }
            stats.written++;
        } finally {
            Files.deleteIfExists(tmp);
        }
        return digest;
    }
}
