package io.github.erofs4j.cli;

import io.github.erofs4j.core.format.ErofsFormatException;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ReadOptions;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by every command that reads an image: the extra devices of a multi-device image. */
final class ImageArgs {
    @Option(names = "--device", paramLabel = "FILE",
            description = "An extra device (blob) of a multi-device image, in device-table order; repeatable.")
    List<Path> devices = new ArrayList<>();

    /** Opens an image with these options. */
    ErofsImage open(Path image) throws IOException {
        ReadOptions options = ReadOptions.builder().extraDevices(devices).build();
        return ErofsImage.open(image, options);
    }

    /**
     * One line describing a failure: the image, the path inside it (when known) and what went wrong, including
     * the byte offset when the image is at fault.
     */
    static String describe(Path image, String path, IOException e) {
        StringBuilder sb = new StringBuilder();
        sb.append(image);
        if (path != null) {
            sb.append(": ").append(path.isEmpty() ? "/" : path);
        }
        sb.append(": ").append(reason(e));
        return sb.toString();
    }

    /** The reason of an I/O failure, phrased for a user (the JDK's file exceptions carry only the path). */
    static String reason(IOException e) {
        if (e instanceof ErofsFormatException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory" + other(n);
        }
        if (e instanceof NotDirectoryException n) {
            return "not a directory" + other(n);
        }
        if (e instanceof AccessDeniedException n) {
            return "permission denied" + other(n);
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException n) {
            return "already exists" + other(n);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String other(FileSystemException e) {
        return e.getFile() == null ? "" : " (" + e.getFile() + ")";
    }

    /** Whether the failure is reading compressed data, which this build cannot do yet. */
    static boolean isUnsupported(IOException e) {
        return e instanceof ErofsFormatException && e.getMessage() != null && e.getMessage().contains("unsupported");
    }
}
