/** erofs4j overlayfs model: whiteouts, opaque directories, redirects and metacopy. */
module io.github.erofs4j.overlay {
    requires io.github.erofs4j.core;
}
