package io.github.erofs4j.core.internal;

import java.util.regex.PatternSyntaxException;

/** Translates the glob syntax of {@link java.nio.file.FileSystem#getPathMatcher} into a regular expression. */
public final class Globs {
    private Globs() {}

    /**
     * The matcher {@link java.nio.file.FileSystem#getPathMatcher} returns for {@code "glob:..."} or
     * {@code "regex:..."}, matching the path's text.
     */
    public static java.nio.file.PathMatcher matcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected syntax:pattern, got " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        java.util.regex.Pattern regex;
        if (syntax.equalsIgnoreCase("regex")) {
            regex = java.util.regex.Pattern.compile(pattern);
        } else if (syntax.equalsIgnoreCase("glob")) {
            regex = java.util.regex.Pattern.compile(toRegex(pattern));
        } else {
            throw new UnsupportedOperationException("syntax " + syntax);
        }
        return p -> regex.matcher(p.toString()).matches();
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) {
                        throw new PatternSyntaxException("no character to escape", glob, i - 1);
                    }
                    re.append(Pattern.quote(glob.charAt(i++)));
                }
                case '/' -> re.append('/');
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    re.append("[[^/]&&[");
                    if (i < glob.length() && glob.charAt(i) == '!') {
                        re.append('^');
                        i++;
                    }
                    while (i < glob.length() && glob.charAt(i) != ']') {
                        char d = glob.charAt(i++);
                        if (d == '[' || d == '\\' || d == '&' || d == '^') {
                            re.append('\\');
                        }
                        re.append(d);
                    }
                    if (i == glob.length()) {
                        throw new PatternSyntaxException("missing ']'", glob, i);
                    }
                    i++;
                    re.append("]]");
                }
                case '{' -> {
                    if (inGroup) {
                        throw new PatternSyntaxException("nested group", glob, i - 1);
                    }
                    re.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        re.append("))");
                        inGroup = false;
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(inGroup ? ")|(?:" : ",");
                default -> re.append(Pattern.quote(c));
            }
        }
        if (inGroup) {
            throw new PatternSyntaxException("missing '}'", glob, glob.length());
        }
        return re.append('$').toString();
    }

    /** Minimal quoting of one character. */
    private static final class Pattern {
        static String quote(char c) {
            return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\Q" + c + "\\E";
        }
    }
}
