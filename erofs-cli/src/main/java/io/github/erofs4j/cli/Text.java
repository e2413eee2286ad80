package io.github.erofs4j.cli;

import io.github.erofs4j.core.read.ErofsInode;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.FileType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formatting shared by the commands: safe names, mode strings, times, hex. */
final class Text {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Text() {}

    /**
     * A name or path made safe for a terminal: control characters and backslashes are escaped ({@code \n},
     * {@code \x1b}, {@code \\}); everything else, including non-ASCII letters, is kept.
     */
    static String safe(String s) {
        return io.github.erofs4j.core.internal.Messages.safe(s);
    }

    /** {@code ls -l} style mode: type letter and rwx triplets with s/S/t/T. */
    static String modeString(FileType type, int mode) {
        char[] c = new char[10];
        c[0] = switch (type) {
            case REGULAR -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case FIFO -> 'p';
            case SOCKET -> 's';
        };
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[1 + i] = (mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-';
        }
        special(c, 3, (mode & 04000) != 0, 's');
        special(c, 6, (mode & 02000) != 0, 's');
        special(c, 9, (mode & 01000) != 0, 't');
        return new String(c);
    }

    private static void special(char[] c, int at, boolean set, char letter) {
        if (set) {
            c[at] = c[at] == '-' ? Character.toUpperCase(letter) : letter;
        }
    }

    /** UTC time to the second, with the nanoseconds when {@code nanos} is true. */
    static String time(ErofsInode in, boolean nanos) {
        String s = TIME.format(Instant.ofEpochSecond(in.mtimeSeconds()));
        return nanos ? s + String.format(".%09d", in.mtimeNanos()) : s;
    }

    static String hex(byte[] b) {
        return io.github.erofs4j.core.internal.Messages.hex(b);
    }

    /** Longest xattr value shown in full in text output; JSON always has the whole value in hex. */
    static final int VALUE_SHOWN = 96;

    /**
     * An xattr value for people: quoted text when it is printable UTF-8 (tabs and newlines escaped, one trailing
     * NUL allowed), else hex; long values are cut with their length.
     */
    static String value(byte[] v) {
        int n = v.length;
        boolean nul = n > 0 && v[n - 1] == 0;
        if (nul) {
            n--;
        }
        boolean text = true;
        for (int i = 0; i < n && text; i++) {
            int b = v[i] & 0xff;
            text = b >= 0x20 && b != 0x7f || b == '\n' || b == '\t' || b == '\r';
        }
        String s = text ? new String(v, 0, n, java.nio.charset.StandardCharsets.UTF_8) : null;
        if (s == null || s.indexOf('\ufffd') >= 0) {
            String h = hex(v);
            return h.length() <= VALUE_SHOWN ? "0x" + h : "0x" + h.substring(0, VALUE_SHOWN) + "... (" + v.length
                    + " bytes)";
        }
        boolean cut = s.length() > VALUE_SHOWN;
        String shown = safe(cut ? s.substring(0, VALUE_SHOWN) : s).replace("\"", "\\\"");
        return "\"" + shown + "\"" + (cut ? "... (" + v.length + " bytes)" : nul ? " (NUL-terminated)" : "");
    }

    /**
     * A name or path of the image for a terminal, in the form {@code ls} prints and {@code ls}/{@code cat} accept:
     * {@link PathNames#toText} (bytes that are not UTF-8 as {@code \xNN}), with control characters also written
     * as {@code \xNN} escapes of their bytes, so that the text reads back to the same bytes.
     */
    static String name(byte[] bytes) {
        String s = PathNames.toText(bytes);
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb == null) {
                continue;
            }
            if (!control) {
                sb.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append(String.format("\\x%02x", b & 0xff));
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
