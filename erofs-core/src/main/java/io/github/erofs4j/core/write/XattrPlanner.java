package io.github.erofs4j.core.write;

import io.github.erofs4j.core.format.Erofs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps full xattr names to EROFS name indexes (short prefixes and registered long prefixes), encodes entries and
 * computes the name bloom filter bits. Immutable after construction.
 */
final class XattrPlanner {

    /** A registered long prefix: the base short index and the infix after the short prefix. */
    record LongPrefix(String full, int baseIndex, byte[] infix) {}

    /**
     * One xattr as stored: index, name suffix after the (short or long) prefix, value, plus the filter bit.
     * {@code sortKey} is "full name NUL value", the canonical order of mkfs.erofs.
     */
    record Entry(int index, byte[] suffix, byte[] value, int filterBit, byte[] sortKey) {
        int size() {
            return (4 + suffix.length + value.length + 3) & ~3;
        }

        void encode(byte[] dst, int off) {
            dst[off] = (byte) suffix.length;
            dst[off + 1] = (byte) index;
            dst[off + 2] = (byte) value.length;
            dst[off + 3] = (byte) (value.length >>> 8);
            System.arraycopy(suffix, 0, dst, off + 4, suffix.length);
            System.arraycopy(value, 0, dst, off + 4 + suffix.length, value.length);
        }

        static int compare(Entry a, Entry b) {
            return Arrays.compareUnsigned(a.sortKey, b.sortKey);
        }
    }

    private static final String[] SHORT = {
        null, "user.", "system.posix_acl_access", "system.posix_acl_default", "trusted.", null, "security."
    };

    private final List<LongPrefix> longPrefixes = new ArrayList<>();

    XattrPlanner(List<String> prefixes) {
        for (String p : prefixes) {
            int base = shortIndexOf(p);
            if (base <= 0) {
                throw new IllegalArgumentException("long xattr prefix must start with a known namespace "
                        + "(user., trusted., security., system.posix_acl_*): " + p);
            }
            byte[] full = p.getBytes(StandardCharsets.UTF_8);
            int shortLen = SHORT[base].getBytes(StandardCharsets.UTF_8).length;
            longPrefixes.add(new LongPrefix(p, base, Arrays.copyOfRange(full, shortLen, full.length)));
        }
    }

    List<LongPrefix> longPrefixes() {
        return longPrefixes;
    }

    /** The short index whose prefix starts the name, or 0. */
    static int shortIndexOf(String name) {
        if (name.startsWith("user.")) {
            return Erofs.XATTR_INDEX_USER;
        }
        if (name.startsWith("trusted.")) {
            return Erofs.XATTR_INDEX_TRUSTED;
        }
        if (name.startsWith("security.")) {
            return Erofs.XATTR_INDEX_SECURITY;
        }
        if (name.equals("system.posix_acl_access")) {
            return Erofs.XATTR_INDEX_POSIX_ACL_ACCESS;
        }
        if (name.equals("system.posix_acl_default")) {
            return Erofs.XATTR_INDEX_POSIX_ACL_DEFAULT;
        }
        return 0;
    }

    /** The entry for a full name, or null when no prefix matches (such names cannot be stored). */
    Entry entry(String name, byte[] value) {
        int base = shortIndexOf(name);
        if (base == 0) {
            return null;
        }
        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        int shortLen = SHORT[base].length(); // ASCII
        byte[] rest = Arrays.copyOfRange(full, shortLen, full.length);
        int bit = filterBit(base, rest);
        int index = base;
        byte[] suffix = rest;
        for (int k = 0; k < longPrefixes.size(); k++) {
            LongPrefix lp = longPrefixes.get(k);
            if (lp.baseIndex == base && startsWith(rest, lp.infix)) {
                index = Erofs.XATTR_LONG_PREFIX | k;
                suffix = Arrays.copyOfRange(rest, lp.infix.length, rest.length);
                break;
            }
        }
        if (suffix.length > 255) {
            return null;
        }
        byte[] key = new byte[full.length + 1 + value.length];
        System.arraycopy(full, 0, key, 0, full.length);
        System.arraycopy(value, 0, key, full.length + 1, value.length);
        return new Entry(index, suffix, value, bit, key);
    }

    /** The bloom filter bit of a name: xxHash32 of the name after its short prefix, seeded by the index. */
    static int filterBit(int baseIndex, byte[] rest) {
        return XxHash32.hash(rest, Erofs.XATTR_FILTER_SEED + baseIndex) & 31;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }
}
