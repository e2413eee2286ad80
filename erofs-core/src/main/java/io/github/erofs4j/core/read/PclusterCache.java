package io.github.erofs4j.core.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded least-recently-used cache of decoded extents, shared by all inodes of an image. Thread-safe: a key
 * being decoded by one thread is waited for by others rather than decoded twice. The most recently decoded
 * extent is always kept, even when it alone exceeds the bound (at most 12 MiB), so that reading a file in small
 * pieces does not decode the same pcluster again for every piece.
 */
final class PclusterCache {

    /** What identifies a decoded extent: where its pcluster is and how it is decoded. */
    record Key(long pa, int plen, int format, long llen, boolean partial) {
        // Written out: a record's generated methods go through method handles, which C1 (as the launcher runs
        // extraction) does not inline; these run once per extent read.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && pa == k.pa && plen == k.plen && format == k.format && llen == k.llen
                    && partial == k.partial;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(pa * 31 + llen) * 31 + (plen ^ format << 24 ^ (partial ? 1 << 30 : 0));
        }
    }

    /** Decodes one extent. */
    @FunctionalInterface
    interface Loader {
        byte[] load() throws IOException;
    }

    private final long maxBytes;
    private final LinkedHashMap<Key, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Key, CompletableFuture<byte[]>> inFlight = new HashMap<>();
    private final AtomicLong decodes = new AtomicLong();
    private long bytes;

    PclusterCache(long maxBytes) {
        this.maxBytes = Math.max(0, maxBytes);
    }

    /** Number of extents decoded through this cache so far (for tests and statistics). */
    long decodeCount() {
        return decodes.get();
    }

    /** The cached decoded extent for {@code key}, or null; does not wait for a decode in progress. */
    synchronized byte[] peek(Key key) {
        return entries.get(key);
    }

    /** Counts a decode done outside the cache (see {@link #decodeCount}). */
    void countDecode() {
        decodes.incrementAndGet();
    }

    byte[] get(Key key, Loader loader) throws IOException {
        CompletableFuture<byte[]> mine = null;
        CompletableFuture<byte[]> theirs;
        synchronized (this) {
            byte[] hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
            theirs = inFlight.get(key);
            if (theirs == null) {
                mine = new CompletableFuture<>();
                inFlight.put(key, mine);
            }
        }
        if (mine == null) {
            try {
                return theirs.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a pcluster");
            } catch (ExecutionException e) {
                // The decoding thread got the error; decode again here so this thread gets its own exception.
                return loadUncached(loader);
            }
        }
        byte[] value = null;
        try {
            value = loadUncached(loader);
            return value;
        } finally {
            synchronized (this) {
                inFlight.remove(key);
                if (value != null) {
                    entries.put(key, value);
                    bytes += value.length;
                    evict();
                }
            }
            if (value != null) {
                mine.complete(value);
            } else {
                mine.completeExceptionally(new UncheckedIOException(new IOException("decode failed")));
            }
        }
    }

    private byte[] loadUncached(Loader loader) throws IOException {
        decodes.incrementAndGet();
        return loader.load();
    }

    private void evict() {
        Iterator<Map.Entry<Key, byte[]>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && entries.size() > 1 && it.hasNext()) {
            bytes -= it.next().getValue().length;
            it.remove();
        }
    }
}
