package io.github.erofs4j.cli;

import io.github.erofs4j.core.write.FsTree;
import io.github.erofs4j.core.write.Node;
import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.write.WriteEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code --aufs}: turns AUFS/OCI whiteouts into overlayfs form: {@code .wh.NAME} becomes a 0:0 character device
 * {@code NAME} (mode 0000, the marker's owner and mtime, as mkfs.erofs makes it), and {@code .wh..wh..opq} marks
 * its directory opaque ({@code trusted.overlay.opaque=y}). Such whiteouts count as overlayfs metadata
 * ({@link Node#overlayWhiteout()}) whatever the input kind.
 */
final class Aufs {
    private static final byte[] WH = ".wh.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPQ = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);

    private Aufs() {}

    static void convert(FsTree tree, Consumer<WriteEvent.Warning> warnings) {
        convert(tree.root(), "", warnings);
    }

    private static void convert(Node dir, String path, Consumer<WriteEvent.Warning> warnings) {
        List<byte[]> names = new ArrayList<>(dir.children().keySet());
        for (byte[] name : names) {
            Node child = dir.child(name);
            String childPath = path + "/" + new String(name, StandardCharsets.UTF_8);
            if (Arrays.equals(name, OPQ)) {
                dir.remove(name);
                dir.xattr("trusted.overlay.opaque", new byte[] {'y'});
            } else if (name.length > WH.length && Arrays.equals(name, 0, WH.length, WH, 0, WH.length)) {
                dir.remove(name);
                byte[] target = Arrays.copyOfRange(name, WH.length, name.length);
                if (!Node.validName(target)) {
                    warnings.accept(new WriteEvent.Warning(childPath, "whiteout for an invalid name skipped"));
                    continue;
                }
                // Owner and time of the marker, no permissions: mkfs.erofs's whiteout.
                Node wh = Node.charDevice(0, 0).owner(child.uid(), child.gid())
                        .mtime(child.mtimeSeconds(), child.mtimeNanos()).permissions(0);
                dir.put(target, wh);
            } else if (child.type() == FileType.DIRECTORY) {
                convert(child, childPath, warnings);
            }
        }
    }
}
