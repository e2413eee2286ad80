package io.github.erofs4j.core.read;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Names and paths of an image as text and back. EROFS names are bytes, usually UTF-8. As text, every valid UTF-8
 * sequence is its character, and every byte that is not part of one is written {@code \xNN} (two lower-case hex
 * digits); a backslash that would otherwise read as such an escape is itself written {@code \x5c}. Reading text
 * back, {@code \xNN} is the byte NN and everything else is UTF-8. So {@code fromText(toText(b))} equals
 * {@code b} for any bytes, and text without escapes is plain UTF-8. Stateless and thread-safe.
 */
public final class PathNames {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PathNames() {}

    /** Whether the bytes are valid UTF-8 (so {@link #toText} gives them without escapes, unless of a backslash). */
    public static boolean isUtf8(byte[] bytes) {
        try {
            decoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The text of a name or path. */
    public static String toText(byte[] bytes) {
        boolean plain = true;
        for (byte x : bytes) {
            if (x < 0 || x == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int len = sequenceLength(bytes, i);
            if (len == 0) {
                int b = bytes[i] & 0xff;
                sb.append('\\').append('x').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                i++;
            } else if (bytes[i] == '\\' && looksLikeEscape(bytes, i)) {
                sb.append("\\x5c");
                i++;
            } else {
                sb.append(new String(bytes, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return sb.toString();
    }

    private static boolean looksLikeEscape(byte[] b, int i) {
        return i + 3 < b.length && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0;
    }

    /** The length of the valid UTF-8 sequence starting at {@code i}, or 0 when the byte starts none. */
    private static int sequenceLength(byte[] b, int i) {
        int c = b[i] & 0xff;
        int n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n <= 1) {
            return n;
        }
        if (i + n > b.length) {
            return 0;
        }
        try {
            decoder().decode(ByteBuffer.wrap(b, i, n));
            return n;
        } catch (CharacterCodingException e) {
            return 0;
        }
    }

    /** The bytes of a name or path given as text: {@code \xNN} escapes are bytes, the rest UTF-8. */
    public static byte[] fromText(String text) {
        if (text.indexOf('\\') < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 4);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\' && i + 3 < text.length() && text.charAt(i + 1) == 'x'
                    && hex((byte) text.charAt(i + 2)) >= 0 && hex((byte) text.charAt(i + 3)) >= 0
                    && text.charAt(i + 2) < 0x80 && text.charAt(i + 3) < 0x80) {
                out.writeBytes(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(hex((byte) text.charAt(i + 2)) << 4 | hex((byte) text.charAt(i + 3)));
                i += 3;
                start = i + 1;
            }
        }
        out.writeBytes(text.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int hex(byte c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F'
                ? c - 'A' + 10 : -1;
    }
}
