package io.github.erofs4j.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * An immutable set of {@link CompressorProvider}s, one per name. Thread-safe.
 *
 * <p>{@link #installed()} finds the providers on the module path (through {@code uses}) or the class path, like
 * {@link Decompressors#installed()}. The first provider found for a name wins.
 */
public final class Compressors {

    private final Map<String, CompressorProvider> byName;

    private Compressors(Iterable<? extends CompressorProvider> providers) {
        Map<String, CompressorProvider> m = new TreeMap<>();
        for (CompressorProvider p : providers) {
            m.putIfAbsent(p.name(), p);
        }
        this.byName = Map.copyOf(m);
    }

    /**
     * The providers visible through {@link ServiceLoader} from this module's class loader and the thread's
     * context class loader, looked up anew on each call.
     */
    public static Compressors installed() {
        List<CompressorProvider> found = new ArrayList<>();
        ServiceLoader.load(CompressorProvider.class, Compressors.class.getClassLoader()).forEach(found::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Compressors.class.getClassLoader()) {
            ServiceLoader.load(CompressorProvider.class, context).forEach(found::add);
        }
        return new Compressors(found);
    }

    /** A set made of exactly these providers (for tests and for callers who manage their own). */
    public static Compressors of(List<? extends CompressorProvider> providers) {
        return new Compressors(List.copyOf(providers));
    }

    /** This set with {@code provider} in place of the one of the same name (or added, when there was none). */
    public Compressors with(CompressorProvider provider) {
        List<CompressorProvider> all = new ArrayList<>();
        all.add(provider);
        all.addAll(byName.values());
        return new Compressors(all);
    }

    /** The names of the providers present, in ascending order. */
    public List<String> names() {
        return List.copyOf(new TreeMap<>(byName).keySet());
    }

    /** The provider of that name, if present. */
    public Optional<CompressorProvider> provider(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Creates a compressor of the named provider.
     *
     * @throws IllegalArgumentException naming {@link Decompressors#ARTIFACT} when no provider has that name, or
     *     when the provider refuses the level or options
     */
    public Compressor create(String name, int level, CompressorOptions options) {
        CompressorProvider p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no compressor named '" + name + "' is installed (installed: "
                    + names() + "); add " + Decompressors.ARTIFACT + " to the class or module path");
        }
        return p.create(level, options);
    }
}
