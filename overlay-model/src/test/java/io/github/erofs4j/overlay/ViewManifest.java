package io.github.erofs4j.overlay;

import io.github.erofs4j.core.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The lines of testdata/tools/manifest.py for a merged view, to compare with a manifest of a kernel mount. */
final class ViewManifest {
    private ViewManifest() {}

    static List<String> of(MergedView view) throws IOException {
        List<String[]> rows = new ArrayList<>();
        walk(view.root(), rows);
        rows.sort((a, b) -> Arrays.compareUnsigned(a[0].getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b[0].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            out.add(r[1]);
        }
        return out;
    }

    private static void walk(MergedView.Entry e, List<String[]> rows) throws IOException {
        String rel = e.path().equals("/") ? "." : e.path().substring(1);
        rows.add(new String[] {rel, line(rel, e)});
        if (e.type() == FileType.DIRECTORY) {
            for (MergedView.Entry c : e.children()) {
                walk(c, rows);
            }
        }
    }

    private static String line(String rel, MergedView.Entry e) throws IOException {
        FileType t = e.type();
        String payload = switch (t) {
            case REGULAR -> sha256(e);
            case SYMLINK -> HexFormat.of().formatHex(e.symlinkTarget());
            case CHAR_DEVICE, BLOCK_DEVICE -> e.rdevMajor() + ":" + e.rdevMinor();
            default -> "-";
        };
        long size = t == FileType.REGULAR || t == FileType.SYMLINK ? e.size() : 0;
        StringBuilder xs = new StringBuilder();
        List<String> names = new ArrayList<>(e.xattrs().keySet());
        names.sort((a, b) -> Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
        for (String n : names) {
            xs.append(xs.length() == 0 ? "" : ",").append(n).append('=')
                    .append(HexFormat.of().formatHex(e.xattrs().get(n)));
        }
        return String.join("\t", rel, String.valueOf(t.manifestCode()), Integer.toOctalString(e.permissions()),
                Long.toString(e.uid()), Long.toString(e.gid()), Long.toString(size), Long.toString(e.mtimeSeconds()),
                Integer.toString(e.mtimeNanos()), Integer.toString(e.nlink()), payload,
                xs.length() == 0 ? "-" : xs.toString());
    }

    private static String sha256(MergedView.Entry e) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
        long total = 0;
        try (InputStream in = e.newInputStream()) {
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
                total += r;
            }
        }
        if (total != e.size()) {
            throw new IOException(e.path() + ": read " + total + " bytes of " + e.size());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String diff(List<String> want, List<String> got) {
        java.util.Set<String> w = new java.util.LinkedHashSet<>(want);
        java.util.Set<String> g = new java.util.LinkedHashSet<>(got);
        StringBuilder sb = new StringBuilder(want.size() + " lines expected, " + got.size() + " got\n");
        int shown = 0;
        for (String l : want) {
            if (!g.contains(l) && shown++ < 8) {
                sb.append("- ").append(l).append('\n');
            }
        }
        for (String l : got) {
            if (!w.contains(l) && shown++ < 16) {
                sb.append("+ ").append(l).append('\n');
            }
        }
        return sb.toString();
    }

}
