package io.github.erofs4j.cli;

import io.github.erofs4j.core.extract.ExtractListener;
import io.github.erofs4j.core.extract.ExtractOptions;
import io.github.erofs4j.core.extract.ImageExtractor;
import picocli.CommandLine.Option;

/** Extraction options shared by {@code extract} and {@code fsck --extract}, named as in fsck.erofs. */
final class ExtractFlags {
    @Option(names = "--force", description = "Allow extracting to the root directory '/'.")
    boolean force;

    @Option(names = "--overwrite", description = "Replace files that already exist in the target (existing "
            + "directories are always reused).")
    boolean overwrite;

    @Option(names = "--preserve", description = "Restore ownership and permissions (the default for root).")
    boolean preserve;

    @Option(names = "--preserve-owner", description = "Restore ownership (default for root).")
    boolean preserveOwner;

    @Option(names = "--preserve-perms", description = "Restore permission bits exactly (the default).")
    boolean preservePerms;

    @Option(names = "--no-preserve", description = "Extract as yourself and apply the umask to permissions.")
    boolean noPreserve;

    @Option(names = {"--no-preserve-owner", "--no-owner"}, description = "Do not restore ownership.")
    boolean noOwner;

    @Option(names = "--no-preserve-perms", description = "Apply the umask to the permission bits.")
    boolean noPerms;

    @Option(names = "--no-xattrs", description = "Do not restore extended attributes.")
    boolean noXattrs;

    @Option(names = {"-v", "--verbose"}, description = "Name every file whose attributes could not be restored.")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N", description = "Threads reading (and writing) files; 0, the "
            + "default, means one per CPU, at most 8. The output does not depend on it.", defaultValue = "0")
    int threads;

    /** The options to extract with; ownership is restored by default when running as root. */
    ExtractOptions toOptions(ExtractListener listener) {
        boolean root = ImageExtractor.runningAsRoot().orElse("root".equals(System.getProperty("user.name")));
        boolean owner = !(noOwner || noPreserve) && (root || preserve || preserveOwner);
        boolean perms = !(noPerms || noPreserve);
        return ExtractOptions.builder().preserveOwner(owner).preservePermissions(perms).xattrs(!noXattrs)
                .overwrite(overwrite).threads(threads).listener(listener).build();
    }
}
