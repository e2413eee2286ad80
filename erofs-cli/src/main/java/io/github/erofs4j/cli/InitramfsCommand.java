package io.github.erofs4j.cli;

import io.github.erofs4j.core.source.Compression;
import io.github.erofs4j.initramfs.BootConfig;
import io.github.erofs4j.initramfs.InitramfsOptions;
import io.github.erofs4j.initramfs.InitramfsResult;
import io.github.erofs4j.initramfs.Initoverlayfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code erofs initramfs}: makes an initoverlayfs EROFS image and first-stage initramfs from an initramfs. */
@Command(name = "initramfs", mixinStandardHelpOptions = true,
        description = {"Make an initoverlayfs pair from INITRD (an initramfs as distributions make it): "
                + "OUTDIR/" + Initoverlayfs.IMAGE + " (the whole initramfs as EROFS, then its dm-verity hash tree) "
                + "and OUTDIR/" + Initoverlayfs.MINI + " (the first stage that mounts it and runs its /init).",
                "SOURCE_DATE_EPOCH, when set, fixes every time stamp of both outputs (default 0)."})
final class InitramfsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INITRD", description = "The initramfs to convert.")
    Path initrd;

    @Parameters(index = "1", paramLabel = "OUTDIR", description = "Where to write the two outputs.")
    Path outDir;

    @Option(names = "--bootfs", paramLabel = "SPEC",
            description = "The filesystem holding the image: UUID=, LABEL=, PARTUUID=, PARTLABEL= or a /dev/ path.")
    String bootfs;

    @Option(names = "--bootfstype", paramLabel = "TYPE", description = "The boot filesystem's type (default: "
            + "mount finds it).")
    String bootfsType;

    @Option(names = "--fs", paramLabel = "PATH", description = "The image file on the boot filesystem, "
            + "loop-mounted (absent: the image is the whole device).")
    String fs;

    @Option(names = "--config", paramLabel = "FILE", description = "Read bootfs, bootfstype and fs from an "
            + "initoverlayfs.conf; options given as well override it.")
    Path config;

    @Option(names = "--no-dm-verity", description = "Write no dm-verity hash tree; the image is then mounted "
            + "without authentication.")
    boolean noDmVerity;

    @Option(names = "--compress", paramLabel = "ALG", description = "The mini initramfs's compression: gzip, "
            + "zstd, xz or none (default: as the input's).")
    String compress;

    @Option(names = {"-z", "--image-compression"}, paramLabel = "ALG[,LEVEL]", defaultValue = "lz4hc,11",
            description = "The EROFS image's compression: lz4hc[,LEVEL], lz4, lzma, deflate or zstd (with their "
                    + "options, as erofs mkfs -z takes them) or none (default ${DEFAULT-VALUE}).")
    String imageCompression;

    @Option(names = "--lower", paramLabel = "FS", defaultValue = "erofs",
            description = "The image's filesystem: erofs, or btrfs (made by mkfs.btrfs --rootdir from btrfs-progs, "
                    + "written as OUTDIR/" + Initoverlayfs.IMAGE_BTRFS + "; -z does not apply; not reproducible) "
                    + "(default ${DEFAULT-VALUE}).")
    String lower;

    @Option(names = "--busybox", paramLabel = "FILE", description = "A static busybox to use (default: the "
            + "initramfs's when static, else the host's).")
    Path busybox;

    @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
            description = "Where to find busybox, dmsetup, blkid and their libraries when the initramfs lacks them "
                    + "(default ${DEFAULT-VALUE}).")
    Path hostRoot;

    @Option(names = "--modules-dir", paramLabel = "DIR", description = "The kernel's installed modules "
            + "(lib/modules/VERSION): modules the initramfs lacks (erofs, overlay, dm-verity) are taken from there "
            + "(default: HOST_ROOT/lib/modules/VERSION when it exists).")
    Path modulesDir;

    @Option(names = "--single", description = "Write only OUTDIR/" + Initoverlayfs.SINGLE + ": the whole "
            + "initramfs as one raw EROFS, for a kernel that mounts an EROFS initrd itself (initerofs); no first "
            + "stage, no dm-verity, no --bootfs.")
    boolean single;

    @Option(names = "--kernel-version", paramLabel = "VERSION", description = "The kernel whose modules to take "
            + "(default: the only one under lib/modules).")
    String kernelVersion;

    @Option(names = "--add-module", paramLabel = "NAME", description = "Another module to include (repeatable).")
    List<String> addModules = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long the first stage waits for the boot device (default ${DEFAULT-VALUE}).")
    int timeout;

    /** The environment; tests replace it. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        BootConfig fromFile = config != null ? BootConfig.read(config) : null;
        String b = bootfs != null ? bootfs : fromFile != null ? fromFile.bootfs() : null;
        InitramfsOptions.Lower lowerFs = switch (lower.toLowerCase(Locale.ROOT)) {
            case "erofs" -> InitramfsOptions.Lower.EROFS;
            case "btrfs" -> InitramfsOptions.Lower.BTRFS;
            default -> throw new CommandLine.ParameterException(cl, "--lower must be erofs or btrfs: " + lower);
        };
        if (single && lowerFs != InitramfsOptions.Lower.EROFS) {
            throw new CommandLine.ParameterException(cl, "--single writes one EROFS image: --lower does not apply");
        }
        if (single) {
            if (b != null || fs != null || noDmVerity || compress != null || !addModules.isEmpty()) {
                throw new CommandLine.ParameterException(cl, "--single writes one EROFS image: --bootfs, --fs, "
                        + "--config, --no-dm-verity, --compress and --add-module do not apply");
            }
            b = "/dev/unused";
        }
        if (b == null) {
            throw new CommandLine.ParameterException(cl, "Missing --bootfs (or --config)");
        }
        String type = bootfsType != null ? bootfsType : fromFile != null ? fromFile.bootfsType() : null;
        String path = fs != null ? fs : fromFile != null ? fromFile.fs() : null;
        BootConfig boot;
        InitramfsOptions.Builder ob;
        try {
            boot = new BootConfig(b, type, path);
            ob = InitramfsOptions.builder(boot).dmVerity(!noDmVerity).imageCompression(imageCompression)
                    .hostRoot(hostRoot).busybox(busybox).kernelVersion(kernelVersion).timeoutSeconds(timeout)
                    .modulesDir(modulesDir).single(single).lower(lowerFs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (compress != null) {
            ob.outputCompression(switch (compress.toLowerCase(Locale.ROOT)) {
                case "gzip" -> Compression.GZIP;
                case "zstd" -> Compression.ZSTD;
                case "xz" -> Compression.XZ;
                case "none" -> Compression.NONE;
                default -> throw new CommandLine.ParameterException(cl,
                        "--compress must be gzip, zstd, xz or none: " + compress);
            });
        }
        if (!addModules.isEmpty()) {
            List<String> m = new ArrayList<>(InitramfsOptions.DEFAULT_MODULES);
            m.addAll(addModules);
            ob.modules(m);
        }
        String epoch = env.get("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            try {
                ob.sourceDateEpoch(Long.parseLong(epoch.strip()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "SOURCE_DATE_EPOCH is not a time: " + epoch);
            }
        }
        InitramfsResult r = Initoverlayfs.build(initrd, outDir, ob.build());
        PrintWriter out = cl.getOut();
        if (single) {
            out.println("Image:          " + r.image() + " (" + r.imageBytes() + " bytes of EROFS: the whole "
                    + "initramfs, for a kernel that mounts an EROFS initrd itself)");
            if (r.earlyBytes() > 0) {
                out.println("Early part:     " + r.earlyBytes() + " bytes, inside the image as files; an EROFS "
                        + "initrd cannot follow it, so early microcode must be loaded another way");
            }
            return 0;
        }
        out.println("Image:          " + r.image() + " (" + r.imageBytes() + " bytes of "
                + (r.lower() == InitramfsOptions.Lower.BTRFS ? "btrfs" : "EROFS")
                + (r.rootHash() != null ? ", then its dm-verity tree)" : ")"));
        if (r.imageTool() != null) {
            out.println("Made by:        " + r.imageTool());
        }
        out.println("Initramfs:      " + r.miniInitramfs() + " (" + name(r.outputCompression())
                + (r.earlyBytes() > 0 ? ", after the " + r.earlyBytes() + "-byte early part" : "") + ")");
        out.println("Kernel:         " + r.kernelVersion() + ", " + r.modules().size() + " module files");
        if (!r.absentModules().isEmpty()) {
            out.println("Not modules:    " + String.join(" ", r.absentModules()));
        }
        if (r.rootHash() != null) {
            out.println("Root hash:      " + r.rootHash());
            out.println("Salt:           " + r.salt());
        } else {
            out.println("dm-verity:      off (the image is not authenticated at boot)");
        }
        for (String t : r.tools()) {
            out.println("Tool:           " + t);
        }
        return 0;
    }

    private static String name(Compression c) {
        return c.name().toLowerCase(Locale.ROOT);
    }
}
