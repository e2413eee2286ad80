package io.github.erofs4j.initramfs;

import io.github.erofs4j.core.extract.ExtractOptions;
import io.github.erofs4j.core.extract.ExtractSummary;
import io.github.erofs4j.core.extract.ImageExtractor;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.write.Compression;
import io.github.erofs4j.core.write.ErofsWriter;
import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Writes the full initramfs as a btrfs image with btrfs-progs' {@code mkfs.btrfs --rootdir}: the tree is unpacked
 * into a scratch directory beside the output (through an uncompressed EROFS image and our extractor, which restores
 * owners, modes, times, hard links and device nodes and never writes outside its target), then copied by
 * mkfs.btrfs into a file sized to fit. Stateless.
 */
final class BtrfsLower {
    private static final String PACKAGE = "btrfs-progs";

    private BtrfsLower() {}

    /** What was run: the mkfs.btrfs version line and whether it compressed. */
    record Made(String tool) { }

    /**
     * Writes {@code image} (replacing it) from {@code tree}, with the filesystem UUID {@code uuid}.
     *
     * @throws IOException when mkfs.btrfs is missing or fails, or the tree cannot be unpacked completely (owners
     *     and device nodes need root)
     */
    static Made write(FsTree tree, Path image, InitramfsOptions o, UUID uuid) throws IOException {
        String mkfs = locate(o.mkfsBtrfs());
        String help = run(List.of(mkfs, "--help"), true);
        String version = run(List.of(mkfs, "--version"), false).strip();
        Path scratch = Files.createTempDirectory(image.toAbsolutePath().getParent(), ".btrfs-rootdir-");
        try {
            // A new directory belongs to the effective user.
            if (!Integer.valueOf(0).equals(Files.getAttribute(scratch, "unix:uid"))) {
                throw new IOException("a btrfs lower needs root: mkfs.btrfs --rootdir copies owners and device "
                        + "nodes from an unpacked tree, which only root can make");
            }
            Path root = scratch.resolve("root");
            unpack(tree, scratch.resolve("tree.erofs"), root, o.sourceDateEpoch());
            List<String> cmd = new ArrayList<>(List.of(mkfs, "-q", "-f", "-U", uuid.toString(),
                    // One copy of data and metadata: the image is read-only and authenticated as a whole.
                    "-m", "single", "-d", "single", "--rootdir", root.toString()));
            if (help.contains("--shrink")) {
                cmd.add("--shrink");
            }
            if (help.contains("--device-uuid")) {
                // Fixed like the filesystem UUID where this mkfs.btrfs lets it be (6.2 does not: it is random).
                cmd.addAll(List.of("--device-uuid", UUID.nameUUIDFromBytes(
                        (uuid + " device").getBytes(StandardCharsets.US_ASCII)).toString()));
            }
            // btrfs-progs 6.2 (Debian bookworm) cannot compress what --rootdir copies; later versions can (zstd up
            // to level 15, which costs time once at build and nothing at read).
            boolean compress = help.contains("--compress");
            if (compress) {
                cmd.addAll(List.of("--compress", "zstd:15"));
            }
            cmd.add(image.toString());
            Files.deleteIfExists(image);
            Files.createFile(image);
            run(cmd, false);
            return new Made(version + (compress ? ", zstd:15 compressed"
                    : ", uncompressed (this mkfs.btrfs has no --compress)"));
        } finally {
            deleteTree(scratch);
        }
    }

    /** The command to run: {@code name} as given when it is a path or on PATH, else from /usr/sbin or /sbin. */
    private static String locate(String name) throws IOException {
        if (name.contains("/")) {
            if (!Files.isExecutable(Path.of(name))) {
                throw missing(name);
            }
            return name;
        }
        try {
            run(List.of(name, "--version"), false);
            return name;
        } catch (IOException e) {
            for (String dir : List.of("/usr/sbin/", "/sbin/")) {
                if (Files.isExecutable(Path.of(dir + name))) {
                    return dir + name;
                }
            }
            throw missing(name);
        }
    }

    private static IOException missing(String name) {
        return new IOException(name + " not found: the btrfs lower is made by mkfs.btrfs (Debian, Fedora: "
                + "install " + PACKAGE + ")");
    }

    private static void unpack(FsTree tree, Path flat, Path root, long epoch) throws IOException {
        WriteOptions wo = WriteOptions.builder().buildTime(epoch).timestamps(WriteOptions.TimestampPolicy.CLAMP)
                .uuid(new UUID(0, 0)).compression(Compression.none()).build();
        ErofsWriter.write(tree, flat, wo);
        ExtractSummary s;
        try (ErofsImage img = ErofsImage.open(flat)) {
            s = ImageExtractor.extract(img, root, ExtractOptions.builder().preserveOwner(true).build());
        } finally {
            Files.deleteIfExists(flat);
        }
        if (!s.check().isClean() || !s.notRestored().isEmpty()) {
            throw new IOException("cannot unpack the initramfs for mkfs.btrfs --rootdir exactly (it copies owners, "
                    + "modes and device nodes from the directory; run as root): " + s.notRestored() + " "
                    + s.check());
        }
    }

    /** Runs a command; its standard output, or (with {@code anyStatus}) output whatever the exit status. */
    private static String run(List<String> cmd, boolean anyStatus) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(cmd.get(0) + " interrupted", e);
        }
        String errText = new String(err.join(), StandardCharsets.UTF_8).strip();
        if (status != 0 && !anyStatus) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + status + "): " + errText);
        }
        return new String(out, StandardCharsets.UTF_8) + errText;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
