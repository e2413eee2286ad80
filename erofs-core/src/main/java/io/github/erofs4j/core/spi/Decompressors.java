package io.github.erofs4j.core.spi;

import io.github.erofs4j.core.format.Erofs;
import io.github.erofs4j.core.ErofsFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * An immutable set of {@link DecompressorProvider}s, one per algorithm id. Thread-safe.
 *
 * <p>{@link #installed()} finds the providers on the module path (through {@code uses}) or the class path. The
 * first provider found for an id wins.
 */
public final class Decompressors {

    /** The Maven coordinates of the artifact that provides the standard algorithms. */
    public static final String ARTIFACT = "io.github.erofs4j:erofs-compress";

    private final Map<Integer, DecompressorProvider> byId;

    private Decompressors(Iterable<? extends DecompressorProvider> providers) {
        Map<Integer, DecompressorProvider> m = new TreeMap<>();
        for (DecompressorProvider p : providers) {
            m.putIfAbsent(p.algorithmId(), p);
        }
        this.byId = Map.copyOf(m);
    }

    /**
     * The providers visible through {@link ServiceLoader} from this module's class loader and the thread's
     * context class loader, looked up anew on each call (an image does it once, when it first reads compressed
     * data).
     */
    public static Decompressors installed() {
        List<DecompressorProvider> found = new ArrayList<>();
        ServiceLoader.load(DecompressorProvider.class, Decompressors.class.getClassLoader()).forEach(found::add);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Decompressors.class.getClassLoader()) {
            ServiceLoader.load(DecompressorProvider.class, context).forEach(found::add);
        }
        return new Decompressors(found);
    }

    /** A set made of exactly these providers (for tests and for callers who manage their own). */
    public static Decompressors of(List<? extends DecompressorProvider> providers) {
        return new Decompressors(List.copyOf(providers));
    }

    /** This set with {@code provider} in place of the one for its algorithm id (or added, when there was none). */
    public Decompressors with(DecompressorProvider provider) {
        List<DecompressorProvider> all = new ArrayList<>();
        all.add(provider);
        all.addAll(byId.values());
        return new Decompressors(all);
    }

    /** Whether a provider for the algorithm id is present. */
    public boolean supports(int algorithmId) {
        return byId.containsKey(algorithmId);
    }

    /**
     * Creates the decompressor for a configuration.
     *
     * @throws ErofsFormatException (unsupported) naming the algorithm and {@link #ARTIFACT} when no provider
     *     offers it, or when the provider refuses the configuration
     */
    public Decompressor create(CodecConfig config) throws ErofsFormatException {
        DecompressorProvider p = byId.get(config.algorithmId());
        String name = Erofs.algorithmName(config.algorithmId());
        if (p == null) {
            throw ErofsFormatException.unsupported(-1, "compression algorithm " + name, "compression algorithm " + name,
                    "no decompressor for '" + name + "' (algorithm id " + config.algorithmId()
                            + ") is installed; add " + ARTIFACT + " to the class or module path");
        }
        try {
            return p.create(config);
        } catch (ErofsFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ErofsFormatException.unsupported(-1, "compression algorithm " + name, "compression algorithm " + name,
                    "the '" + name + "' decompressor refuses the image's settings: " + e.getMessage());
        }
    }
}
