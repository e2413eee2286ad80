package io.github.erofs4j.core.write;

/** Something that happened while building an image, for progress displays and user-visible warnings. */
public sealed interface WriteEvent {

    /**
     * Compression progress, before the layout: {@code files} of {@code totalFiles} regular files and
     * {@code bytes} of their {@code totalBytes} are compressed. Sent about every few megabytes and at the end.
     */
    record Compressing(long files, long totalFiles, long bytes, long totalBytes) implements WriteEvent {}

    /** Layout is done: the image will have this many inodes and bytes. */
    record Planned(long inodes, long imageBytes) implements WriteEvent {}

    /** Bytes written so far out of the total; sent about every few megabytes and at the end. */
    record Progress(long bytesWritten, long totalBytes) implements WriteEvent {}

    /** Something was dropped or changed; {@code path} is the path in the image (or source). */
    record Warning(String path, String message) implements WriteEvent {}

    /** The image is complete. */
    record Finished(WriteSummary summary) implements WriteEvent {}
}
