package io.github.erofs4j.core.source;

/** The kinds of input {@link Sources} can read. */
public enum SourceKind {
    DIRECTORY, TAR, CPIO
}
