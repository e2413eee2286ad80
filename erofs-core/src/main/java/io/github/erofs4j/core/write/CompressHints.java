package io.github.erofs4j.core.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Per-file compression rules in the format of mkfs.erofs's {@code --compress-hints} file: one rule a line,
 * {@code PCLUSTER-BYTES [ALGORITHM-INDEX] REGEX}. The first rule whose regular expression is found in a regular
 * file's path (relative to the root, without a leading slash, e.g. {@code usr/lib/x.so}) gives that file its
 * largest pcluster ({@code 0}: the file is stored uncompressed) and its algorithm, an index into
 * {@link Compression#algorithms()} (0, the primary algorithm, when left out). Lines that are empty or start with
 * {@code #} are comments. The expression is the rest of the line after the index (or after the size when there is
 * none), spaces included.
 *
 * <p>Expressions are Java's ({@link Pattern}), which agree with the POSIX extended expressions mkfs.erofs uses for
 * the usual patterns (classes, alternation, anchors, repetition). A rule whose size is not a multiple of the block
 * size is skipped with a warning, as mkfs.erofs skips it; an index with no algorithm behind it is an error when
 * the image is written (mkfs.erofs 1.9.3 crashes on any line that names an index).
 *
 * <p>Immutable and thread-safe.
 */
public final class CompressHints {
    /**
     * One rule.
     *
     * @param pclusterSize the largest pcluster in bytes for the files it matches; 0 stores them uncompressed
     * @param algorithm the index into {@link Compression#algorithms()}
     * @param regex the expression, as written
     * @param line the line of the file it came from (1-based)
     */
    public record Rule(int pclusterSize, int algorithm, String regex, int line) {
        public Rule {
            Objects.requireNonNull(regex, "regex");
            if (pclusterSize < 0 || pclusterSize > (1 << 20)) {
                throw new IllegalArgumentException("pcluster size must be from 0 to 1 MiB: " + pclusterSize);
            }
            if (algorithm < 0) {
                throw new IllegalArgumentException("algorithm index must not be negative: " + algorithm);
            }
        }
    }

    private final List<Rule> rules;
    private final List<Pattern> patterns;

    private CompressHints(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        List<Pattern> ps = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            try {
                ps.add(Pattern.compile(r.regex()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("line " + r.line() + ": invalid regular expression '" + r.regex()
                        + "': " + e.getDescription(), e);
            }
        }
        this.patterns = List.copyOf(ps);
    }

    /** The rules given, in order. */
    public static CompressHints of(List<Rule> rules) {
        return new CompressHints(rules);
    }

    /** The rules of a hints file (UTF-8). */
    public static CompressHints read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rules of a hints file's text.
     *
     * @throws IllegalArgumentException naming the line of a size or index that is not a number, a line without an
     *     expression, or an expression that does not compile
     */
    public static CompressHints parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n];
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int line = n + 1;
            Cursor c = new Cursor(l);
            String size = c.token();
            String second = c.token();
            String rest = c.rest();
            String alg;
            String regex;
            if (rest == null) {
                alg = null;
                regex = second;
            } else {
                alg = second;
                regex = rest;
            }
            if (size == null || regex == null || regex.isEmpty()) {
                throw new IllegalArgumentException("line " + line + ": no pattern (want PCLUSTER-BYTES "
                        + "[ALGORITHM-INDEX] REGEX)");
            }
            int bytes = number(size, "pcluster size", line);
            int index = alg == null ? 0 : number(alg, "algorithm index", line);
            if (bytes > (1 << 20)) {
                throw new IllegalArgumentException("line " + line + ": pcluster size over 1 MiB: " + bytes);
            }
            rules.add(new Rule(bytes, index, regex, line));
        }
        return new CompressHints(rules);
    }

    private static int number(String s, String what, int line) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("line " + line + ": " + what + " is not a number: '" + s + "'");
    }

    /** Splits a line as mkfs.erofs does: tokens separated by blanks, then the rest after one separator. */
    private static final class Cursor {
        private final String s;
        private int at;

        Cursor(String s) {
            this.s = s;
        }

        String token() {
            while (at < s.length() && blank(s.charAt(at))) {
                at++;
            }
            if (at >= s.length()) {
                return null;
            }
            int start = at;
            while (at < s.length() && !blank(s.charAt(at))) {
                at++;
            }
            return s.substring(start, at);
        }

        /** What follows the separator after the last token, or null when the line ends there. */
        String rest() {
            if (at >= s.length()) {
                return null;
            }
            String r = s.substring(at + 1);
            return r.isEmpty() ? null : r;
        }

        private static boolean blank(char ch) {
            return ch == ' ' || ch == '\t';
        }
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The first rule that matches {@code path} (relative, no leading slash), or null. */
    Rule match(String path) {
        for (int i = 0; i < rules.size(); i++) {
            if (patterns.get(i).matcher(path).find()) {
                return rules.get(i);
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompressHints h && rules.equals(h.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return "CompressHints" + rules;
    }
}
