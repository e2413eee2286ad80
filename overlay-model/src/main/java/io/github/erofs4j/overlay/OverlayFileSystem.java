package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import io.github.erofs4j.core.internal.ReadOnlyFileSystem;
import io.github.erofs4j.core.read.PathNames;
import io.github.erofs4j.core.read.SymlinkLoopException;
import io.github.erofs4j.core.write.Node;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A read-only {@link java.nio.file.FileSystem} over a {@link MergedView}: what a mount of the stack shows, through
 * {@code java.nio.file}. Thread-safe. Closing it closes the channels it opened, not the layers (their opener closes
 * them, after the file system).
 */
final class OverlayFileSystem extends ReadOnlyFileSystem {
    /** Symlinks followed in one lookup before giving up, as Linux's MAXSYMLINKS. */
    private static final int MAX_SYMLINKS = 40;

    private final OverlayFileSystemProvider provider;
    private final MergedView view;
    private final OverlayPath root;
    private final OverlayFileStore store;
    /**
     * Inode numbers by {@link #key}: in depth-first name order from 1 (the root). Names of one layer inode share
     * theirs, hard links or not: the kernel reports the layer inode's number for each.
     */
    private final IdentityHashMap<Node, Long> inos = new IdentityHashMap<>();
    private final Set<Closeable> channels = ConcurrentHashMap.newKeySet();

    /** A path resolved: the canonical path (symlinks followed as asked) and the entry it names. */
    record Resolved(OverlayPath path, Node node) {}

    OverlayFileSystem(MergedView view) {
        super("an overlay view");
        this.provider = new OverlayFileSystemProvider();
        this.view = view;
        this.root = new OverlayPath(this, "/");
        this.store = new OverlayFileStore(this);
        number(view.rootNode());
    }

    private void number(Node dir) {
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(dir);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            inos.putIfAbsent(key(n), (long) inos.size() + 1);
            if (n.type() != FileType.DIRECTORY) {
                continue;
            }
            List<Node> children = new ArrayList<>(n.children().values());
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
    }

    /** What an entry's inode number belongs to: the layer node of a non-directory, else the entry. */
    private Node key(Node n) {
        Node source = view.origin(n).source();
        return source != null ? source : n;
    }

    OverlayAttributes attributes(Node n) {
        return new OverlayAttributes(n, inos.get(key(n)), view.origin(n).nlink());
    }

    /** Whether two entries are one file. */
    boolean sameFile(Node a, Node b) {
        return key(a) == key(b);
    }

    /** Registers a channel to close with the file system. */
    <C extends Closeable> C track(C channel) {
        channels.add(channel);
        return channel;
    }

    void untrack(Closeable channel) {
        channels.remove(channel);
    }

    @Override
    public OverlayFileSystemProvider provider() {
        return provider;
    }

    @Override
    protected void closeResources() throws IOException {
        IOException failure = null;
        for (Closeable c : List.copyOf(channels)) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        channels.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    protected OverlayPath root() {
        return root;
    }

    @Override
    protected OverlayFileStore store() {
        return store;
    }

    @Override
    protected OverlayPath newPath(String path) {
        return new OverlayPath(this, path);
    }

    /**
     * Resolves a path as the kernel does: symlinks followed in every component and, if asked, in the last one;
     * ".." taken after the symlinks before it are followed.
     *
     * @throws NoSuchFileException when a component is missing
     * @throws NotDirectoryException when a component other than the last is not a directory
     * @throws SymlinkLoopException after {@value #MAX_SYMLINKS} symlinks
     */
    Resolved resolve(OverlayPath path, boolean followLast) throws IOException {
        ensureOpen();
        String shown = path.toAbsolutePath().toString();
        Deque<String> todo = new ArrayDeque<>(((OverlayPath) path.toAbsolutePath()).names());
        List<String> names = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        nodes.add(view.rootNode());
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            Node dir = nodes.get(nodes.size() - 1);
            if (dir.type() != FileType.DIRECTORY) {
                throw new NotDirectoryException(shown);
            }
            if (name.equals("..")) {
                if (!names.isEmpty()) {
                    names.remove(names.size() - 1);
                    nodes.remove(nodes.size() - 1);
                }
                continue;
            }
            Node n = dir.child(PathNames.fromText(name));
            if (n == null) {
                throw new NoSuchFileException(shown);
            }
            if (n.type() == FileType.SYMLINK && (followLast || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw new SymlinkLoopException(shown);
                }
                String target = PathNames.toText(n.symlinkTarget());
                List<String> parts = new OverlayPath(this, target).names();
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                if (target.startsWith("/")) {
                    names.clear();
                    nodes.subList(1, nodes.size()).clear();
                }
                continue;
            }
            names.add(name);
            nodes.add(n);
        }
        return new Resolved(new OverlayPath(this, "/" + String.join("/", names)), nodes.get(nodes.size() - 1));
    }

    /** The entry a path names. */
    Node lookup(OverlayPath path, boolean followLast) throws IOException {
        return resolve(path, followLast).node();
    }

    @Override
    public String toString() {
        return "overlay";
    }
}
