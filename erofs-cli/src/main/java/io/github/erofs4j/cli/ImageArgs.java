package io.github.erofs4j.cli;

import io.github.erofs4j.core.ErofsFormatException;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import io.github.erofs4j.core.spi.Lz4Decoder;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options shared by every command that reads an image: the extra devices of a multi-device image, and the lz4
 * decoder.
 */
final class ImageArgs {
    @Option(names = "--device", paramLabel = "FILE",
            description = "An extra device (blob) of a multi-device image, in device-table order; repeatable.")
    List<Path> devices = new ArrayList<>();

    @Option(names = "--lz4-decoder", paramLabel = "NAME",
            description = "Decoder for whole lz4 blocks: builtin (erofs4j's own bounds-checked Java decoder; the "
                    + "default) or lz4-java (lz4-java's safe Java decoder, about half as fast). Both are pure Java.")
    String lz4Decoder;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Opens an image with these options. */
    ErofsImage open(Path image) throws IOException {
        ReadOptions.Builder options = ReadOptions.builder().extraDevices(devices);
        if (lz4Decoder != null) {
            if (!lz4Decoder.equals("lz4-java") && !lz4Decoder.equals("builtin")) {
                throw new picocli.CommandLine.ParameterException(mixee.commandLine(),
                        "--lz4-decoder: expected lz4-java or builtin, not '" + lz4Decoder + "'");
            }
            options.lz4Decoder(lz4Decoder.equals("builtin") ? Lz4Decoder.BUILTIN : Lz4Decoder.LZ4_JAVA);
        }
        return ErofsImage.open(image, options.build());
    }

    /**
     * One line describing a failure: the image, the path inside it (when known) and what went wrong, including
     * the byte offset when the image is at fault.
     */
    static String describe(Path image, String path, IOException e) {
        StringBuilder sb = new StringBuilder();
        sb.append(image);
        if (e instanceof FileSystemException f && image.toString().equals(f.getFile())) {
            // The image file itself could not be opened: the path inside it is irrelevant.
            return sb.append(": ").append(reason(e).substring(f.getFile().length() + 2)).toString();
        }
        if (path != null) {
            sb.append(": ").append(path.isEmpty() ? "/" : path);
        }
        String why = reason(e);
        if (path != null && e instanceof FileSystemException f && f.getFile() != null
                && (f.getFile().equals(path) || ("/" + f.getFile()).equals(path) || f.getFile().equals("/" + path))) {
            why = why.substring(f.getFile().length() + 2); // the path was named already
        }
        sb.append(": ").append(why);
        return sb.toString();
    }

    /** The reason of an I/O failure, phrased for a user (the JDK's file exceptions carry only the path). */
    static String reason(IOException e) {
        return io.github.erofs4j.core.internal.Messages.reason(e);
    }

    /** Whether the failure is an image feature this build does not support. */
    static boolean isUnsupported(IOException e) {
        return e instanceof ErofsFormatException f && f.kind() == ErofsFormatException.Kind.UNSUPPORTED;
    }
}
