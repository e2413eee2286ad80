package io.github.erofs4j.core.testing;

/** Byte-array helpers for tests. */
public final class Bytes {
    private Bytes() {}

    /** The arrays one after another in a new array. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
