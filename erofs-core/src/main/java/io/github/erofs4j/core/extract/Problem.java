package io.github.erofs4j.core.extract;

/**
 * One thing wrong with an image, found by {@link ImageChecker} or {@link ImageExtractor}.
 *
 * @param path the entry it concerns, as users write it ({@code "/"} for the root, else {@code "/a/b"}); names
 *     that are not valid UTF-8 are decoded with replacement characters
 * @param offset the byte offset in the image of the structure at fault, or -1 when none applies (for example a
 *     file that could not be written to the target)
 * @param description what is wrong, for people; names in it have control characters escaped
 */
public record Problem(String path, long offset, String description) {}
