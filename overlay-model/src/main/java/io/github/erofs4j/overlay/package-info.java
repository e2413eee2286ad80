/**
 * Overlayfs layering for tools to embed. A {@link io.github.erofs4j.overlay.Layer} is a tree (from an EROFS image, a
 * directory, a tarball or code); an {@link io.github.erofs4j.overlay.OverlayStack} is an upper layer, lower layers
 * topmost first and data-only layers with {@link io.github.erofs4j.overlay.OverlayOptions}; its
 * {@link io.github.erofs4j.overlay.MergedView} is what the kernel's overlay mount shows, and flattens into one
 * image. {@link io.github.erofs4j.overlay.OverlayDiff} computes the upper layer that turns a lower into a target;
 * {@link io.github.erofs4j.overlay.OciLayers} converts OCI {@code .wh.} whiteouts both ways and merges OCI layer
 * tarballs; {@link io.github.erofs4j.overlay.OverlayTransforms} marks and strips overlay metadata.
 */
package io.github.erofs4j.overlay;
