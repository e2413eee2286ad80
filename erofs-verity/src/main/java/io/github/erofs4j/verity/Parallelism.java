package io.github.erofs4j.verity;

/**
 * How many threads may hash leaf blocks. The output bytes never depend on it.
 *
 * <p>Data shorter than one chunk (1 MiB) is always hashed on the calling thread. Immutable.
 *
 * @param threads number of hashing threads, at least 1
 */
public record Parallelism(int threads) {

    /** Checks the thread count. */
    public Parallelism {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
    }

    /** One thread: everything runs on the caller's thread. */
    public static Parallelism single() {
        return new Parallelism(1);
    }

    /** As many threads as available processors. */
    public static Parallelism allCores() {
        return new Parallelism(Runtime.getRuntime().availableProcessors());
    }

    /** A fixed thread count. */
    public static Parallelism of(int threads) {
        return new Parallelism(threads);
    }
}
