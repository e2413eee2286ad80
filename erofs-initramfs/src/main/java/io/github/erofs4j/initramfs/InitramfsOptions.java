package io.github.erofs4j.initramfs;

import io.github.erofs4j.core.source.Compression;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Immutable options of {@link Initoverlayfs#build}. Start from {@link #builder(BootConfig)}; every value that
 * reaches the outputs is explicit, so the same input and options give the same bytes.
 */
public final class InitramfsOptions {
    /**
     * The modules put in the mini initramfs when present in the initramfs's kernel (with what they depend on):
     * storage (virtio, SCSI, NVMe, AHCI, USB storage, MMC), boot-partition filesystems, loop, erofs, overlay,
     * device-mapper and dm-verity, and the checksum algorithms that libcrc32c (erofs, ext4), crc-t10dif and
     * crc64-rocksoft (SCSI disks, NVMe) ask the crypto API for, which modules.dep does not list.
     */
    public static final List<String> DEFAULT_MODULES = List.of(
            "virtio_pci", "virtio_blk", "virtio_scsi", "sd_mod", "sr_mod", "nvme", "ahci", "ata_piix",
            "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd", "usb_storage", "uas", "mmc_block", "sdhci_pci",
            "sdhci_acpi", "crc32c_generic", "crc32c_intel", "crct10dif_generic", "crc64_rocksoft_generic", "ext4",
            "vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1", "xfs", "btrfs", "loop", "erofs", "overlay", "dm_mod",
            "dm_verity");

    /** The filesystem the full initramfs is written as: the overlay's lower layer. */
    public enum Lower {
        /** EROFS, written by erofs4j (the default). */
        EROFS,
        /**
         * btrfs, written by {@code mkfs.btrfs --rootdir} (btrfs-progs) from the unpacked initramfs: compressed
         * with zstd only where that mkfs.btrfs has {@code --compress} (btrfs-progs 6.2 has not); not
         * byte-reproducible (see the docs).
         */
        BTRFS
    }

    private final BootConfig boot;
    private final Lower lower;
    private final String mkfsBtrfs;
    private final boolean dmVerity;
    private final Compression outputCompression;
    private final String imageCompression;
    private final long sourceDateEpoch;
    private final Path busybox;
    private final Path hostRoot;
    private final Path modulesDir;
    private final boolean single;
    private final List<String> modules;
    private final String kernelVersion;
    private final int timeoutSeconds;
    private final String init;

    private InitramfsOptions(Builder b) {
        this.boot = b.boot;
        this.lower = b.lower;
        this.mkfsBtrfs = b.mkfsBtrfs;
        this.dmVerity = b.dmVerity;
        this.outputCompression = b.outputCompression;
        this.imageCompression = b.imageCompression;
        this.sourceDateEpoch = b.sourceDateEpoch;
        this.busybox = b.busybox;
        this.hostRoot = b.hostRoot;
        this.modulesDir = b.modulesDir;
        this.single = b.single;
        this.modules = b.modules;
        this.kernelVersion = b.kernelVersion;
        this.timeoutSeconds = b.timeoutSeconds;
        this.init = b.init;
    }

    /** A builder with the defaults and this boot configuration. */
    public static Builder builder(BootConfig boot) {
        return new Builder(boot);
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder(boot);
        b.lower = lower;
        b.mkfsBtrfs = mkfsBtrfs;
        b.dmVerity = dmVerity;
        b.outputCompression = outputCompression;
        b.imageCompression = imageCompression;
        b.sourceDateEpoch = sourceDateEpoch;
        b.busybox = busybox;
        b.hostRoot = hostRoot;
        b.modulesDir = modulesDir;
        b.single = single;
        b.modules = modules;
        b.kernelVersion = kernelVersion;
        b.timeoutSeconds = timeoutSeconds;
        b.init = init;
        return b;
    }

    /** Where the first stage finds the image. */
    public BootConfig boot() {
        return boot;
    }

    /** The lower layer's filesystem (default {@link Lower#EROFS}). */
    public Lower lower() {
        return lower;
    }

    /**
     * The {@code mkfs.btrfs} to run for {@link Lower#BTRFS}: a command name looked up on {@code PATH} (then in
     * {@code /usr/sbin} and {@code /sbin}) or a path (default {@code mkfs.btrfs}).
     */
    public String mkfsBtrfs() {
        return mkfsBtrfs;
    }

    /** Whether the image gets a dm-verity hash tree that the first stage checks (default true). */
    public boolean dmVerity() {
        return dmVerity;
    }

    /** The mini initramfs's compression; null (the default) means as the input's main archive. */
    public Compression outputCompression() {
        return outputCompression;
    }

    /**
     * The EROFS image's compression, as {@code mkfs.erofs -z} spells it: {@code lz4hc,11} (the default, as
     * initoverlayfs uses), {@code lz4hc[,LEVEL]}, {@code lz4} or {@code none}.
     */
    public String imageCompression() {
        return imageCompression;
    }

    /** Time stamp of every output entry and of the image, in seconds since the epoch (default 0). */
    public long sourceDateEpoch() {
        return sourceDateEpoch;
    }

    /** A static busybox to use; null (the default) means the initramfs's own when static, else the host's. */
    public Path busybox() {
        return busybox;
    }

    /** Where host tools (busybox, dmsetup, blkid and their libraries) are looked for when the initramfs lacks
     *  them (default {@code /}). */
    public Path hostRoot() {
        return hostRoot;
    }

    /**
     * The kernel's installed module tree ({@code lib/modules/VERSION} with its {@code modules.dep}), where modules
     * the initramfs lacks are taken from (an initramfs-tools initramfs has no erofs, overlay or dm-verity unless
     * configured to). Null (the default) means {@code HOST_ROOT/lib/modules/VERSION}, when it exists.
     */
    public Path modulesDir() {
        return modulesDir;
    }

    /**
     * Whether to write only one raw EROFS image of the whole initramfs ({@value Initoverlayfs#SINGLE}), for a
     * kernel that mounts an EROFS initrd itself (initerofs), instead of the pair (default false). The image has
     * no dm-verity tree: the boot loader loads and checks it as a whole, like any initramfs.
     */
    public boolean single() {
        return single;
    }

    /**
     * Module names to include, with their dependencies, when the kernel has them as modules. Filesystem modules
     * (ext4, vfat and its code pages, xfs, btrfs, exfat, f2fs) are loaded by the first stage only for a boot
     * filesystem of their type; the others always.
     */
    public List<String> modules() {
        return modules;
    }

    /** The kernel version under {@code lib/modules}; null (the default) means the only one there. */
    public String kernelVersion() {
        return kernelVersion;
    }

    /** How long the first stage waits for the boot device (default 30 s). */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** The full initramfs's init, run after switching root (default {@code /init}). */
    public String init() {
        return init;
    }

    /** Builds {@link InitramfsOptions}. Not thread-safe. */
    public static final class Builder {
        private BootConfig boot;
        private Lower lower = Lower.EROFS;
        private String mkfsBtrfs = "mkfs.btrfs";
        private boolean dmVerity = true;
        private Compression outputCompression;
        private String imageCompression = "lz4hc,11";
        private long sourceDateEpoch;
        private Path busybox;
        private Path hostRoot = Path.of("/");
        private Path modulesDir;
        private boolean single;
        private List<String> modules = DEFAULT_MODULES;
        private String kernelVersion;
        private int timeoutSeconds = 30;
        private String init = "/init";

        private Builder(BootConfig boot) {
            this.boot = Objects.requireNonNull(boot, "boot");
        }

        /** See {@link InitramfsOptions#boot()}. */
        public Builder boot(BootConfig v) {
            boot = Objects.requireNonNull(v);
            return this;
        }

        /** See {@link InitramfsOptions#lower()}. */
        public Builder lower(Lower v) {
            lower = Objects.requireNonNull(v);
            return this;
        }

        /** See {@link InitramfsOptions#mkfsBtrfs()}. */
        public Builder mkfsBtrfs(String v) {
            if (Objects.requireNonNull(v).isEmpty()) {
                throw new IllegalArgumentException("mkfs.btrfs command is empty");
            }
            mkfsBtrfs = v;
            return this;
        }

        /** See {@link InitramfsOptions#dmVerity()}. */
        public Builder dmVerity(boolean v) {
            dmVerity = v;
            return this;
        }

        /** See {@link InitramfsOptions#outputCompression()}. */
        public Builder outputCompression(Compression v) {
            outputCompression = v;
            return this;
        }

        /** See {@link InitramfsOptions#imageCompression()}. */
        public Builder imageCompression(String v) {
            imageCompression = Objects.requireNonNull(v);
            return this;
        }

        /** See {@link InitramfsOptions#sourceDateEpoch()}. */
        public Builder sourceDateEpoch(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("sourceDateEpoch < 0: " + v);
            }
            sourceDateEpoch = v;
            return this;
        }

        /** See {@link InitramfsOptions#busybox()}. */
        public Builder busybox(Path v) {
            busybox = v;
            return this;
        }

        /** See {@link InitramfsOptions#hostRoot()}. */
        public Builder hostRoot(Path v) {
            hostRoot = Objects.requireNonNull(v);
            return this;
        }

        /** See {@link InitramfsOptions#modulesDir()}. */
        public Builder modulesDir(Path v) {
            modulesDir = v;
            return this;
        }

        /** See {@link InitramfsOptions#single()}. */
        public Builder single(boolean v) {
            single = v;
            return this;
        }

        /** See {@link InitramfsOptions#modules()}. */
        public Builder modules(List<String> v) {
            modules = List.copyOf(v);
            return this;
        }

        /** See {@link InitramfsOptions#kernelVersion()}. */
        public Builder kernelVersion(String v) {
            kernelVersion = v;
            return this;
        }

        /** See {@link InitramfsOptions#timeoutSeconds()}. */
        public Builder timeoutSeconds(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("timeout must be at least 1 s: " + v);
            }
            timeoutSeconds = v;
            return this;
        }

        /** See {@link InitramfsOptions#init()}. */
        public Builder init(String v) {
            if (!v.startsWith("/") || !v.matches("[A-Za-z0-9._/+-]+")) {
                throw new IllegalArgumentException("init must be an absolute path of plain characters: " + v);
            }
            init = v;
            return this;
        }

        /** The options. */
        public InitramfsOptions build() {
            if (single && lower != Lower.EROFS) {
                throw new IllegalArgumentException("a single image is EROFS: the lower filesystem does not apply");
            }
            return new InitramfsOptions(this);
        }
    }
}
