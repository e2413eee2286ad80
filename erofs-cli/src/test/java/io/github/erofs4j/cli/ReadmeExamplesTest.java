package io.github.erofs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code java} blocks of README.md compile against the current API: each block becomes the body of a method
 * (with the imports below), and the class is compiled with the test class path.
 */
class ReadmeExamplesTest {
    private static final String IMPORTS = """
            import io.github.erofs4j.core.ErofsFormatException;
            import io.github.erofs4j.core.FileType;
            import io.github.erofs4j.core.read.DirEntry;
            import io.github.erofs4j.core.read.ErofsImage;
            import io.github.erofs4j.core.read.ErofsInode;
            import io.github.erofs4j.core.read.ReadOptions;
            import io.github.erofs4j.core.spi.Lz4Decoder;
            import io.github.erofs4j.core.source.SourceOptions;
            import io.github.erofs4j.core.source.SourceTree;
            import io.github.erofs4j.core.source.Sources;
            import io.github.erofs4j.core.write.Compression;
            import io.github.erofs4j.core.write.ErofsWriter;
            import io.github.erofs4j.core.write.FsTree;
            import io.github.erofs4j.core.write.WriteOptions;
            import java.io.IOException;
            import java.nio.file.FileSystem;
            import java.nio.file.FileSystems;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;
            """;

    @TempDir
    Path tmp;

    /** The contents of the ```java blocks of a Markdown text, in order. */
    static List<String> javaBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```java\\n(.*?)^```\\s*$").matcher(markdown);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void javaBlocksAreFound() {
        assertTrue(javaBlocks("text\n```java\nint a;\n```\nmore\n```sh\nls\n```\n```java\nint b;\n```\n")
                .equals(List.of("int a;\n", "int b;\n")));
    }

    @Test
    void readmeExamplesCompile() throws Exception {
        String root = System.getProperty("erofs4j.root");
        assertNotNull(root, "erofs4j.root (the repository root) is set by the build");
        List<String> blocks = javaBlocks(Files.readString(Path.of(root, "README.md"), StandardCharsets.UTF_8));
        assertTrue(!blocks.isEmpty(), "README.md has java examples");
        StringBuilder src = new StringBuilder(IMPORTS).append("\n@SuppressWarnings(\"unused\")\nclass Readme {\n");
        for (int i = 0; i < blocks.size(); i++) {
            src.append("    void example").append(i).append("() throws Exception {\n").append(blocks.get(i))
                    .append("    }\n");
        }
        src.append("}\n");

        // java.util.spi.ToolProvider (in java.base) rather than javax.tools, which this module does not read.
        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "a JDK (with javac) runs the tests");
        Path file = tmp.resolve("Readme.java");
        Files.writeString(file, src, StandardCharsets.UTF_8);
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics);
        int status = javac.run(out, out, "-classpath", System.getProperty("java.class.path"), "-d",
                tmp.resolve("classes").toString(), "-proc:none", "-Xlint:all", "-Werror", file.toString());
        out.flush();
        assertEquals(0, status, () -> "README.md's java examples do not compile:\n" + diagnostics + "\n"
                + numbered(src));
        assertTrue(Files.exists(tmp.resolve("classes").resolve("Readme.class")));
    }

    private static String numbered(CharSequence src) {
        StringBuilder sb = new StringBuilder();
        String[] lines = src.toString().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return sb.toString();
    }
}
