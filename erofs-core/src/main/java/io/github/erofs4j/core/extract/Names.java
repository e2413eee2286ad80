package io.github.erofs4j.core.extract;

/** Paths inside the image and their text in messages. */
final class Names {
    private Names() {}

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
}
