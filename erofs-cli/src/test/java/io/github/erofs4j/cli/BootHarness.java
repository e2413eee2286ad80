package io.github.erofs4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boot-test helpers: a Debian kernel package fetched with apt-get and unpacked (never installed) into a cache, and
 * qemu runs whose serial console is captured line by line.
 */
final class BootHarness {
    private BootHarness() {}

    /** An unpacked kernel package: its version, its vmlinuz and its root with lib/modules (depmod run). */
    record Kernel(String version, Path vmlinuz, Path root) {
        Path modules() {
            return root.resolve("lib/modules").resolve(version);
        }
    }

    /** What a boot printed on the console, and how long it ran. */
    record Console(String text, double seconds, boolean timedOut) {
        boolean has(String s) {
            return text.contains(s);
        }

        /** The rest of the first console line starting with {@code prefix} (after it), or null. */
        String line(String prefix) {
            for (String l : text.split("\r?\n")) {
                int i = l.indexOf(prefix);
                if (i >= 0) {
                    return l.substring(i + prefix.length()).strip();
                }
            }
            return null;
        }
    }

    /** True when a command is on PATH (or is an existing absolute path). */
    static boolean onPath(String command) {
        if (command.startsWith("/")) {
            return Files.isExecutable(Path.of(command));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
    }

    /** Runs a command, returning its standard output; null when it fails (its error output goes to the log). */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }

    /**
     * The kernel of Debian's {@code linux-image-amd64} (the versioned package it depends on), downloaded with
     * {@code apt-get download} and unpacked with {@code dpkg-deb -x} under {@code cache}, then {@code depmod} run on
     * it; reused when already there. Null, with the reason in {@code why}, when it cannot be had.
     */
    static Kernel debianKernel(Path cache, StringBuilder why) throws IOException, InterruptedException {
        String deps = run(null, "apt-cache", "depends", "linux-image-amd64");
        Matcher m = deps == null ? null : Pattern.compile("Depends: (linux-image-([0-9][^\\s]*)-amd64)\\b")
                .matcher(deps);
        if (m == null || !m.find()) {
            why.append("apt-cache does not know linux-image-amd64 (run apt-get update)");
            return null;
        }
        String pkg = m.group(1);
        String version = m.group(2) + "-amd64";
        Path dir = cache.resolve(pkg);
        Path root = dir.resolve("root");
        Path ready = dir.resolve("ready");
        Kernel k = new Kernel(version, root.resolve("boot/vmlinuz-" + version), root);
        if (Files.exists(ready)) {
            return k;
        }
        Files.createDirectories(dir);
        if (run(dir, "apt-get", "download", pkg) == null) {
            why.append("apt-get download ").append(pkg).append(" failed");
            return null;
        }
        Path deb;
        try (var s = Files.list(dir)) {
            deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
        if (deb == null) {
            why.append("apt-get download ").append(pkg).append(" left no .deb");
            return null;
        }
        if (run(dir, "dpkg-deb", "-x", deb.toString(), root.toString()) == null) {
            throw new IOException("dpkg-deb -x " + deb + " failed");
        }
        if (run(null, "depmod", "-b", root.toString(), version) == null) {
            throw new IOException("depmod -b " + root + " " + version + " failed (is kmod installed?)");
        }
        Files.delete(deb);
        Files.writeString(ready, version + "\n");
        return k;
    }

    /**
     * Boots {@code kernel} with {@code initrd} and {@code disk} as a read-only virtio disk under qemu (TCG), the
     * serial console on standard output; stops when a console line satisfies {@code stop}, qemu exits, or
     * {@code timeoutSeconds} pass. The console is also written to {@code log}.
     */
    static Console boot(Kernel kernel, Path initrd, Path disk, String append, Predicate<String> stop,
            int timeoutSeconds, Path log) throws IOException, InterruptedException {
        return boot(kernel, initrd, List.of(disk), append, stop, timeoutSeconds, log);
    }

    /** As {@link #boot(Kernel, Path, Path, String, Predicate, int, Path)} with several disks, in order (vda, vdb, ...). */
    static Console boot(Kernel kernel, Path initrd, List<Path> disks, String append, Predicate<String> stop,
            int timeoutSeconds, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-nodefaults", "-display", "none",
                "-serial", "stdio", "-no-reboot", "-m", "1024", "-smp", "1",
                "-kernel", kernel.vmlinuz().toString(), "-initrd", initrd.toString(),
                "-append", append));
        for (Path disk : disks) {
            cmd.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=virtio,readonly=on"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long start = System.nanoTime();
        StringBuilder text = new StringBuilder();
        boolean[] stopped = {false};
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream(); OutputStream out = Files.newOutputStream(log);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (text) {
                        text.append(line).append('\n');
                    }
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (stop.test(line)) {
                        synchronized (stopped) {
                            stopped[0] = true;
                        }
                        p.destroyForcibly();
                    }
                }
            } catch (IOException e) {
                // the process was ended
            }
        }, "qemu-console");
        reader.start();
        boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(30_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (text) {
            return new Console(text.toString(), seconds, !exited);
        }
    }

    /** Formats {@code diskImage} as ext4 of {@code mb} MiB labelled {@code label}, holding the tree {@code dir}. */
    static void ext4(Path dir, Path diskImage, String label, long mb) throws IOException, InterruptedException {
        Files.deleteIfExists(diskImage);
        if (run(null, "mkfs.ext4", "-q", "-F", "-L", label, "-d", dir.toString(), diskImage.toString(),
                mb + "M") == null) {
            throw new IOException("mkfs.ext4 -d " + dir + " " + diskImage + " failed");
        }
    }

    /** Deletes a tree if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Deletes everything in {@code work} (disk images, trees, initramfs images) except the console logs. */
    static void keepOnlyLogs(Path work) throws IOException {
        if (work == null || !Files.isDirectory(work)) {
            return;
        }
        try (var s = Files.list(work)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(".log")).toList()) {
                deleteTree(p);
            }
        }
    }

    /**
     * The Debian kernel for a boot test, or null with the reason the test skips in {@code why}: qemu is not
     * installed, or the kernel package cannot be had.
     */
    static Kernel kernelForBootTest(StringBuilder why) throws IOException, InterruptedException {
        if (!onPath("qemu-system-x86_64")) {
            why.append("qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)");
            return null;
        }
        StringBuilder reason = new StringBuilder();
        Kernel k = debianKernel(Path.of(System.getProperty("user.home"), ".cache", "erofs4j", "boot"), reason);
        if (k == null) {
            why.append("no Debian kernel package: ").append(reason);
        }
        return k;
    }
}
