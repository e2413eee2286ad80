/**
 * initoverlayfs from Java: {@link io.github.erofs4j.initramfs.Initoverlayfs#build} reads an initramfs (an
 * optional uncompressed early cpio followed by a compressed cpio, as distributions make them) and writes the EROFS
 * image of its contents, followed by a dm-verity hash tree, and a mini initramfs whose init mounts that image
 * read-only under a tmpfs upper with overlayfs and switches to the full initramfs's {@code /init}.
 */
package io.github.erofs4j.initramfs;
