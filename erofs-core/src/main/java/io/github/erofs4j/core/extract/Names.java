package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Paths inside the image and their text in messages. */
final class Names {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Names() {}

    /**
     * A name or path made safe for a terminal: control characters and backslashes are escaped ({@code \n},
     * {@code \x1b}, {@code \\}); everything else, including non-ASCII letters, is kept.
     */
    static String safe(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                default -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd'
                        ? String.format("\\x%02x", (int) c & 0xff) : null;
            };
            if (esc != null && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    /** Joins a parent path inside the image and a child name ("" is the root). */
    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    /** {@link #child(String, String)} of paths as bytes. */
    static byte[] childBytes(byte[] parent, byte[] name) {
        if (parent.length == 0) {
            return name.clone();
        }
        byte[] out = java.util.Arrays.copyOf(parent, parent.length + 1 + name.length);
        out[parent.length] = '/';
        System.arraycopy(name, 0, out, parent.length + 1, name.length);
        return out;
    }

    /** A path inside the image as users write it: "/" for the root, else with a leading slash. */
    static String display(String rel) {
        return "/" + rel;
    }

    /** The reason of an I/O failure, phrased for a user (the JDK's file exceptions carry only the path). */
    static String reason(IOException e) {
        if (e instanceof ErofsFormatException) {
            return e.getMessage();
        }
        if (e instanceof FileSystemException f) {
            String why = f.getReason();
            if (why == null) {
                why = e instanceof NoSuchFileException ? "no such file or directory"
                        : e instanceof NotDirectoryException ? "not a directory"
                        : e instanceof AccessDeniedException ? "permission denied"
                        : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                        : e instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                        : "failed";
            }
            return (f.getFile() == null ? "" : f.getFile() + ": ") + why
                    + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
