/** The {@code erofs} command-line tool. */
module io.github.erofs4j.cli {
    requires io.github.erofs4j.core;
    requires io.github.erofs4j.compress;
    requires io.github.erofs4j.verity;
    requires io.github.erofs4j.overlay;
    requires io.github.erofs4j.initramfs;
    requires info.picocli;
    requires com.sun.jna;

    opens io.github.erofs4j.cli to info.picocli;
}
