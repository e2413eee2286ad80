package io.github.erofs4j.core.read;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One extended attribute of an inode. Immutable: the value is copied in and out.
 *
 * @param name the full name, prefix included, for example {@code "trusted.overlay.opaque"}
 * @param value the raw value (possibly empty)
 */
public record Xattr(String name, byte[] value) {

    public Xattr {
        if (name == null) {
            throw new NullPointerException("name");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr x && name.equals(x.name) && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + HexFormat.of().formatHex(value);
    }
}
