package io.github.erofs4j.core.internal;

import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Text for messages to users: names made safe for a terminal, bytes in hex, the reason of an I/O failure. */
public final class Messages {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Messages() {}

    /**
     * A name or path made safe for a terminal: control characters and backslashes are escaped ({@code \n},
     * {@code \x1b}, {@code \\}); everything else, including non-ASCII letters, is kept.
     */
    public static String safe(String s) {
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

    /** Lowercase hex of the bytes. */
    public static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    /** The reason of an I/O failure, phrased for a user (the JDK's file exceptions carry only the path). */
    public static String reason(IOException e) {
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
    }}
