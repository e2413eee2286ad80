/**
 * erofs4j initramfs: turns a distribution's initramfs into an initoverlayfs pair, an EROFS image of the whole
 * initramfs (with its dm-verity hash tree) and a small first-stage initramfs that mounts it.
 */
module io.github.erofs4j.initramfs {
    requires transitive io.github.erofs4j.core;
    requires io.github.erofs4j.verity;
    requires io.github.erofs4j.compress; // the encoders of the image, found through ServiceLoader
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires com.github.luben.zstd_jni;

    exports io.github.erofs4j.initramfs;
}
