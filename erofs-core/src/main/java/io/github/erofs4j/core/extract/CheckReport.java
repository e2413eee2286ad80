package io.github.erofs4j.core.extract;

import io.github.erofs4j.core.FileType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a whole-image walk found: how many inodes of each type, how many bytes of file data it read, and the
 * problems, in walk order (at most {@value #MAX_PROBLEMS} are kept; {@link #problemCount()} counts them all).
 * Immutable; the same for any number of threads.
 */
public final class CheckReport {
    /** Most problems a report keeps; further ones are only counted. */
    public static final int MAX_PROBLEMS = 200;

    private final long inodes;
    private final Map<FileType, Long> typeCounts;
    private final long bytesRead;
    private final List<Problem> problems;
    private final long problemCount;

    CheckReport(long inodes, Map<FileType, Long> typeCounts, long bytesRead, List<Problem> problems,
            long problemCount) {
        this.inodes = inodes;
        EnumMap<FileType, Long> counts = new EnumMap<>(FileType.class);
        counts.putAll(typeCounts);
        this.typeCounts = Collections.unmodifiableMap(counts);
        this.bytesRead = bytesRead;
        this.problems = List.copyOf(problems);
        this.problemCount = problemCount;
    }

    /** Whether no problem was found. */
    public boolean isClean() {
        return problemCount == 0;
    }

    /** Inodes reached (each hard-linked inode once). */
    public long inodes() {
        return inodes;
    }

    /** Inodes reached by type, in {@link FileType} order; types not met are absent. */
    public Map<FileType, Long> typeCounts() {
        return typeCounts;
    }

    /** Bytes of file data (and symlink targets) read; holes are not read. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The first {@value #MAX_PROBLEMS} problems in walk order. */
    public List<Problem> problems() {
        return problems;
    }

    /** All problems found, including those not kept. */
    public long problemCount() {
        return problemCount;
    }

    @Override
    public String toString() {
        return "CheckReport[" + inodes + " inodes, " + bytesRead + " bytes read, " + problemCount + " problems]";
    }
}
