/**
 * erofs4j overlayfs model: layers, overlay stacks and their merged view with the kernel's semantics (whiteouts of
 * both kinds, opaque directories, redirects, metacopy, data-only layers, userxattr), flattening, diffing, OCI
 * layer conversion, composefs images and a read-only file system of the merged view.
 */
module io.github.erofs4j.overlay {
    requires transitive io.github.erofs4j.core;
    requires io.github.erofs4j.verity;

    exports io.github.erofs4j.overlay;
}
