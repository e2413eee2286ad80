package io.github.erofs4j.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the first stage finds the EROFS image: the keys of initoverlayfs's {@code /etc/initoverlayfs.conf}.
 *
 * @param bootfs the boot filesystem: {@code UUID=}, {@code LABEL=}, {@code PARTUUID=}, {@code PARTLABEL=} or a
 *     device path under {@code /dev/}
 * @param bootfsType the boot filesystem's type for {@code mount -t}, or null to let mount find it
 * @param fs the image file's path on the boot filesystem (loop-mounted), or null when the image is the whole
 *     device
 */
public record BootConfig(String bootfs, String bootfsType, String fs) {
    // Values end up in a shell script's variables and in a mount table: no white space, quotes or shell syntax.
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._,:+@%/=-]+");

    /** Checks the values. */
    public BootConfig {
        Objects.requireNonNull(bootfs, "bootfs");
        if (!(bootfs.startsWith("UUID=") || bootfs.startsWith("LABEL=") || bootfs.startsWith("PARTUUID=")
                || bootfs.startsWith("PARTLABEL=") || bootfs.startsWith("/dev/"))) {
            throw new IllegalArgumentException("bootfs must be UUID=, LABEL=, PARTUUID=, PARTLABEL= or a /dev/ path: "
                    + bootfs);
        }
        check("bootfs", bootfs);
        if (bootfsType != null) {
            check("bootfstype", bootfsType);
        }
        if (fs != null) {
            check("fs", fs);
            if (!fs.startsWith("/")) {
                throw new IllegalArgumentException("fs must be an absolute path on the boot filesystem: " + fs);
            }
        }
    }

    private static void check(String key, String v) {
        if (!SAFE.matcher(v).matches()) {
            throw new IllegalArgumentException(key + " may hold only letters, digits and ._,:+@%/=- : " + v);
        }
    }

    /**
     * Reads an initoverlayfs configuration: lines of {@code key value} (or {@code key=value}), {@code #} starts
     * a comment; the keys {@code bootfs}, {@code bootfstype} and {@code fs} are used, others ignored.
     */
    public static BootConfig parse(String text) {
        String bootfs = null;
        String type = null;
        String fs = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = indexOfSeparator(line);
            String key = sp < 0 ? line : line.substring(0, sp);
            String value = sp < 0 ? "" : line.substring(sp + 1).strip();
            switch (key) {
                case "bootfs" -> bootfs = value;
                case "bootfstype" -> type = value.isEmpty() ? null : value;
                case "fs" -> fs = value.isEmpty() ? null : value;
                default -> { }
            }
        }
        if (bootfs == null || bootfs.isEmpty()) {
            throw new IllegalArgumentException("the configuration names no bootfs");
        }
        return new BootConfig(bootfs, type, fs);
    }

    private static int indexOfSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '=') {
                return i;
            }
        }
        return -1;
    }

    /** Reads a configuration file (UTF-8). */
    public static BootConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The configuration as {@code key value} lines. */
    String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("bootfs ").append(bootfs).append('\n');
        if (bootfsType != null) {
            sb.append("bootfstype ").append(bootfsType).append('\n');
        }
        if (fs != null) {
            sb.append("fs ").append(fs).append('\n');
        }
        return sb.toString();
    }
}
