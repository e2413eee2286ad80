package io.github.erofs4j.core.testing;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs test code as an ordinary user, uid and gid 65534 without supplementary groups or capabilities, in a child
 * JVM started through {@code setpriv} (util-linux) by a test that runs as root. The child's class path is a
 * world-readable copy of this JVM's (the originals may sit where the user cannot read, as {@code ~/.m2} of root),
 * made once per JVM.
 *
 * <p>{@link #call} runs a static method {@code void m(String... args)} in the child; {@link Where} runs the same
 * method either in this process or in the child, so one test body serves both.
 */
public final class AsUser {
    /** The ordinary user's uid, also its gid. */
    public static final int ID = 65534;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final long TIMEOUT_SECONDS = 300;
    private static Path base;
    private static String classPath;

    private AsUser() {}

    /** Where a test's extraction runs: in the test's own process, or as the ordinary user in a child JVM. */
    public enum Where {
        /** In this process, as the user the tests run as (root in CI). */
        THIS_PROCESS,
        /** In a child JVM as uid and gid 65534; skipped where that is impossible. */
        USER_65534;

        /**
         * Calls the static method {@code name(String...)} of {@code cls} with {@code args}, here or in the child;
         * what it throws fails the test, with the child's output.
         */
        public void call(Class<?> cls, String name, Object... args) throws Exception {
            String[] strings = new String[args.length];
            for (int i = 0; i < args.length; i++) {
                strings[i] = String.valueOf(args[i]);
            }
            if (this == THIS_PROCESS) {
                invoke(cls, name, strings);
            } else {
                AsUser.call(cls, name, strings);
            }
        }

        /** Skips the test where it cannot run this way; for the child, gives {@code tree} to the user first. */
        public void prepare(Path tree) throws IOException {
            if (this == USER_65534) {
                String why = unavailable();
                org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
                give(tree);
            }
        }
    }

    /** Why a child cannot be run as the ordinary user here, or null. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: cannot switch to an ordinary user";
        }
        if (!Files.isExecutable(SETPRIV)) {
            return "needs " + SETPRIV + " (util-linux)";
        }
        return null;
    }

    /** The outcome of a child. */
    public record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- out:\n" + out + "\n--- err:\n" + err;
        }
    }

    /**
     * Runs {@code mainClass} with {@code args} as the ordinary user, with the copied class path; {@code dir} is its
     * working directory and home, which the user must be able to write.
     */
    public static Result run(Path dir, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + ID, "--regid=" + ID,
                "--clear-groups", "--inh-caps=-all", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + dir, "-Djna.tmpdir=" + dir, "-cp", classPath(), mainClass));
        int at = cmd.size() - 3;
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("erofs4j.")) {
                cmd.add(at, "-D" + k + "=" + System.getProperty(k)); // where the test data is, for one
            }
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("HOME", dir.toString());
        Path outFile = Files.createTempFile(base, "out", ".txt");
        Path errFile = Files.createTempFile(base, "err", ".txt");
        try {
            Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("as uid " + ID + ": " + mainClass + " still running after "
                        + TIMEOUT_SECONDS + " s:\n" + Files.readString(errFile));
            }
            return new Result(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    /**
     * Calls the static method {@code name(String...)} of {@code cls} as the ordinary user in a child JVM, from a
     * working directory of its own; throws an {@link AssertionError} with the child's output when it fails.
     */
    public static void call(Class<?> cls, String name, String... args) throws IOException, InterruptedException {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        classPath();
        Path dir = Files.createTempDirectory(base, "work");
        try {
            Files.setAttribute(dir, "unix:uid", ID);
            List<String> all = new ArrayList<>(List.of(cls.getName(), name));
            all.addAll(List.of(args));
            Result r = run(dir, AsUser.class.getName(), all.toArray(String[]::new));
            if (r.status() != 0) {
                throw new AssertionError("as uid " + ID + ": " + cls.getSimpleName() + "." + name + " failed: " + r);
            }
        } finally {
            KernelTools.deleteTree(dir);
        }
    }

    /**
     * Gives a tree to the ordinary user: every entry, symlinks themselves (never what they point at), gets uid and
     * gid 65534. Its ancestors must let others through.
     */
    public static void give(Path tree) throws IOException {
        for (Path a = tree.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
            if (!Files.getPosixFilePermissions(a).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(a + " does not let uid " + ID + " through");
            }
        }
        // chown: names need not be valid UTF-8; -R never follows a symlink, -h changes the symlink itself.
        Process p = new ProcessBuilder("chown", "-R", "-h", ID + ":" + ID, tree.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("chown of " + tree + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Child side of {@link #call}: checks it really is the ordinary user, then calls the method. */
    public static void main(String[] args) throws Throwable {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            String[] f = l.split("\\s+");
            boolean ids = f[0].equals("Uid:") || f[0].equals("Gid:");
            if (ids && !(f[1] + f[2] + f[3] + f[4]).equals(String.valueOf(ID).repeat(4))
                    || f[0].equals("Groups:") && f.length > 1
                    || f[0].startsWith("Cap") && !f[0].equals("CapBnd:") && Long.parseLong(f[1], 16) != 0) {
                throw new IllegalStateException("not an unprivileged uid " + ID + ": " + l);
            }
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        invoke(Class.forName(args[0]), args[1], rest);
    }

    private static void invoke(Class<?> cls, String name, String[] args) throws Exception {
        Method m = cls.getDeclaredMethod(name, String[].class);
        m.setAccessible(true);
        try {
            m.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    /** The copied class path, made on the first call and removed when this JVM exits. */
    private static synchronized String classPath() throws IOException {
        if (classPath != null) {
            return classPath;
        }
        base = Files.createTempDirectory("erofs4j-asuser");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                KernelTools.deleteTree(base);
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }));
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src) || e.contains("surefire")) {
                continue;
            }
            Path dst = base.resolve("cp" + i++ + (Files.isDirectory(src) ? "" : ".jar"));
            copyTree(src, dst);
            cp.add(dst.toString());
        }
        Files.walkFileTree(base, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                return FileVisitResult.CONTINUE;
            }
        });
        classPath = String.join(File.pathSeparator, cp);
        return classPath;
    }

    /** Copies a file, or a directory with everything in it. */
    private static void copyTree(Path src, Path dst) throws IOException {
        if (!Files.isDirectory(src)) {
            Files.copy(src, dst);
            return;
        }
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(dst.resolve(src.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, dst.resolve(src.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
