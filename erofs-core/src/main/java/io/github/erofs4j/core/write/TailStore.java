package io.github.erofs4j.core.write;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inline tails of regular files when the data area is written before the metadata: the data pass reads a
 * file's tail with its blocks and keeps it for the metadata pass, up to a memory budget chosen in metadata order; the
 * tails beyond it are read again from their source in the metadata pass, so that a tree of any size is written in
 * bounded memory.
 */
final class TailStore {
    private final Set<InodePlan> keeps = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<InodePlan, byte[]> kept = new IdentityHashMap<>();
    private final int blockBits;

    /** Chooses the tails to keep: those of {@code inodes} (regular files with an inline tail), in order, while their total stays within the budget. */
    TailStore(List<InodePlan> inodes, long budgetBytes, int blockBits) {
        this.blockBits = blockBits;
        long used = 0;
        for (InodePlan p : inodes) {
            if (p.type == io.github.erofs4j.core.FileType.REGULAR && p.data instanceof FlatData f && f.inline
                    && used + f.tail <= budgetBytes) {
                used += f.tail;
                keeps.add(p);
            }
        }
    }

    /** Whether the data pass reads this file's tail and keeps it. */
    boolean keeps(InodePlan p) {
        return keeps.contains(p);
    }

    /** Keeps a tail the data pass read. */
    void put(InodePlan p, byte[] tail) {
        kept.put(p, tail);
    }

    /** The tail of a file, kept or read again from its source, for the metadata pass; kept tails are let go. */
    byte[] take(InodePlan p) throws IOException {
        if (keeps.contains(p)) {
            byte[] t = kept.remove(p);
            if (t == null) {
                throw new IllegalStateException(p.path() + ": inline tail not read");
            }
            return t;
        }
        FlatData f = (FlatData) p.data;
        return Prefetcher.read(new Prefetcher.Range(p.node.content(), f.fullBlocks << blockBits, f.tail));
    }
}
