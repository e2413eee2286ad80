package io.github.erofs4j.core.internal;

import io.github.erofs4j.core.format.DeviceSlot;
import io.github.erofs4j.core.format.InodeCore;
import io.github.erofs4j.core.format.SuperBlock;
import io.github.erofs4j.core.read.ErofsImage;
import io.github.erofs4j.core.read.ErofsInode;
import java.util.List;

/**
 * The on-disk records behind an opened image and its inodes, for erofs4j's own modules (the CLI's {@code dump}
 * prints them). Not API: the records belong to the format package, which only our modules see, so the reader's
 * public types do not hand them out; users have the reader's typed accessors instead.
 *
 * <p>The reader registers its side when {@link ErofsImage} is initialised, which has happened by the time anyone
 * holds an image or an inode.
 */
public final class Records {
    /** What the reader gives; implemented inside the read package. */
    public interface Reader {
        SuperBlock superBlock(ErofsImage image);

        List<DeviceSlot> deviceSlots(ErofsImage image);

        InodeCore core(ErofsInode inode);
    }

    private static volatile Reader reader;

    private Records() {}

    /** Called once by the read package. */
    public static void register(Reader r) {
        if (reader != null) {
            throw new IllegalStateException("already registered");
        }
        reader = r;
    }

    /** The superblock as decoded (after validation). */
    public static SuperBlock superBlock(ErofsImage image) {
        return reader.superBlock(image);
    }

    /** The extra-device slots of the device table (device 1 first); empty for single-device images. */
    public static List<DeviceSlot> deviceSlots(ErofsImage image) {
        return reader.deviceSlots(image);
    }

    /** The raw inode core as decoded. */
    public static InodeCore core(ErofsInode inode) {
        return reader.core(inode);
    }
}
