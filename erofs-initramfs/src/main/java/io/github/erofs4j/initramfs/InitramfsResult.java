package io.github.erofs4j.initramfs;

import io.github.erofs4j.core.source.Compression;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Initoverlayfs#build} wrote: the pair, or with {@link InitramfsOptions#single()} one image (then
 * there is no first stage and the lists are empty).
 *
 * @param image the EROFS (or btrfs) image, followed by its dm-verity hash tree when enabled
 * @param imageBytes size of the filesystem part of {@code image} (the dm-verity data area)
 * @param miniInitramfs the first-stage initramfs, or null for a single image
 * @param rootHash the dm-verity root hash in hex baked into the mini initramfs, or null without dm-verity
 * @param salt the dm-verity salt in hex, or null without dm-verity
 * @param kernelVersion the kernel version whose modules were taken, or null for a single image
 * @param modules the module files put in the mini initramfs, in load order
 * @param absentModules requested module names this kernel has no module for (built in, or not shipped)
 * @param tools files taken from the initramfs or the host besides modules (busybox, dmsetup, blkid and their
 *     libraries), as {@code path <- origin}
 * @param earlyBytes length of the uncompressed early part copied unchanged
 * @param inputCompression the compression of the input's main archive
 * @param outputCompression the compression of the mini initramfs's main archive, or null for a single image
 * @param lower the image's filesystem
 * @param imageTool for a btrfs image, the mkfs.btrfs that made it (its version line) and whether it compressed;
 *     null for EROFS, which erofs4j writes itself
 */
public record InitramfsResult(Path image, long imageBytes, Path miniInitramfs, String rootHash, String salt,
        String kernelVersion, List<String> modules, List<String> absentModules, List<String> tools, long earlyBytes,
        Compression inputCompression, Compression outputCompression, InitramfsOptions.Lower lower,
        String imageTool) {
}
