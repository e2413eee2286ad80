/**
 * erofs4j overlayfs model: layers, overlay stacks and their merged view with the kernel's semantics (whiteouts of
 * both kinds, opaque directories, redirects, metacopy, data-only layers, userxattr), flattening, diffing and OCI
 * layer conversion.
 */
module io.github.erofs4j.overlay {
    requires transitive io.github.erofs4j.core;

    exports io.github.erofs4j.overlay;
}
