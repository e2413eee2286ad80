package io.github.erofs4j.core.write;

import java.util.Arrays;

/** A byte array usable as a hash key (compared by content). */
record ByteKey(byte[] b) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(b, k.b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(b);
    }
}
