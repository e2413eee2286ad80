package io.github.erofs4j.core.posix;

/**
 * A failed C library call: its errno and the system's description. Thrown by {@link JnaCalls} so that
 * {@link Posix} never names a JNA type (and loads without JNA on the class path).
 */
final class Errno extends Exception {
    private static final long serialVersionUID = 1L;

    final int code;
    final String text;

    Errno(int code, String text) {
        super(text, null, false, false);
        this.code = code;
        this.text = text;
    }
}
