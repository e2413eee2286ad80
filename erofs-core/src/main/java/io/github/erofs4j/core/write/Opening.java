package io.github.erofs4j.core.write;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Options for opening source files, made once: the varargs form of {@code FileChannel.open} makes a set per call. */
final class Opening {
    static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
    static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private Opening() {}
}
