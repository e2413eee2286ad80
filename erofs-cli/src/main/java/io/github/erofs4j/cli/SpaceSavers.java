package io.github.erofs4j.cli;

import io.github.erofs4j.core.write.Compression;

/**
 * The {@code -E} options of {@code erofs mkfs} that save space in compressed images: {@code [^]fragments[=SIZE]},
 * {@code [^]all-fragments[=SIZE]} and {@code [^]dedupe}, spelled as mkfs.erofs spells them. Not thread-safe.
 */
final class SpaceSavers {
    private boolean fragments;
    private boolean allFragments;
    private boolean dedupe;
    private int packedPcluster;

    /** Takes one {@code -E} option if it is one of these; false otherwise. */
    boolean accept(String opt) {
        String name = opt;
        String value = null;
        int eq = opt.indexOf('=');
        if (eq >= 0) {
            name = opt.substring(0, eq);
            value = opt.substring(eq + 1);
        }
        switch (name) {
            case "fragments", "all-fragments" -> {
                if (value != null) {
                    packedPcluster = size(opt, value);
                }
                fragments = true;
                allFragments |= name.equals("all-fragments");
            }
            case "^fragments" -> {
                noValue(opt, value);
                fragments = false;
                allFragments = false;
            }
            case "^all-fragments" -> {
                noValue(opt, value);
                allFragments = false;
                fragments = false;
            }
            case "dedupe" -> {
                noValue(opt, value);
                dedupe = true;
            }
            case "^dedupe" -> {
                noValue(opt, value);
                dedupe = false;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code -E dedupe} was given (without compression it means block-sized chunks, as mkfs.erofs). */
    boolean dedupe() {
        return dedupe;
    }

    /** Sets these options on a compression builder. */
    Compression.Builder applyTo(Compression.Builder c) {
        return c.fragments(fragments).allFragments(allFragments).fragmentPclusterSize(packedPcluster).dedupe(dedupe);
    }

    private static void noValue(String opt, String value) {
        if (value != null) {
            throw new IllegalArgumentException("-E " + opt + " takes no value");
        }
    }

    private static int size(String opt, String v) {
        long unit = 1;
        String digits = v;
        if (!v.isEmpty() && "kKmM".indexOf(v.charAt(v.length() - 1)) >= 0) {
            unit = Character.toLowerCase(v.charAt(v.length() - 1)) == 'k' ? 1 << 10 : 1 << 20;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(digits) * unit;
            if (n > 0 && n <= 1 << 20) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-E " + opt + ": invalid pcluster size for the packed file");
    }
}
