package io.github.erofs4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code erofs} command.
 *
 * <p>Exit status: 0 on success, 1 for a bad image or failed operation, 2 for bad usage.
 */
@Command(
        name = "erofs",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Build, inspect, check and extract EROFS images.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {

    /** Exit status for a bad image or a failed operation. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status for bad usage. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Raw standard output, for commands that write bytes ({@code cat}). */
    private final OutputStream stdout;

    private Main(OutputStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }

    /** The raw output stream; text goes through {@code spec.commandLine().getOut()}, flushed before use. */
    OutputStream stdout() {
        return stdout;
    }

    /** Builds the command line with every subcommand registered, writing to {@link System#out}/{@link System#err}. */
    public static CommandLine commandLine() {
        return commandLine(System.out, System.err);
    }

    /**
     * Builds the command line writing to the given streams (tests capture them). Text output is buffered and
     * flushed when a command ends; the caller must not close the streams while a command runs.
     */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /**
     * Builds the command line with only the subcommand named {@code only} registered besides the built-in ones, or
     * every subcommand when {@code only} is null. Picocli builds each command's model by reflection when it is
     * registered: that took about 0.2 s of a 0.3 s start for all of them, while a run uses one.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, String only) {
        CommandLine cl = new CommandLine(new Main(out));
        for (String name : SUBCOMMANDS) {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(subcommand(name));
            }
        }
        // Register subcommands above: the settings below apply to the commands present when they run.
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), false));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler(new Errors());
        return cl;
    }

    /** Runs one command line and returns its exit status, flushing all output. */
    static int run(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    public static void main(String[] args) {
        // Picocli otherwise looks for Groovy's closure class when it starts, which opens every jar on the class
        // path (about 30 ms of CPU), for annotations that never hold closures here.
        System.setProperty("picocli.disable.closures", "true");
        warmUp(args.length > 0 ? args[0] : "");
        String names = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (!names.equalsIgnoreCase("UTF-8") && !names.equalsIgnoreCase("UTF8")) {
            // The launcher sets a UTF-8 locale; this is for `java -jar` in the C locale.
            System.err.println("erofs: warning: this JVM converts file names with " + names + " (the locale's "
                    + "charset), so names outside it cannot be read or written; run with LC_ALL=C.UTF-8");
        }
        System.exit(run(commandLine(System.out, System.err, SUBCOMMANDS.contains(args.length > 0 ? args[0] : "")
                ? args[0] : null), args));
    }

    /**
     * Starts, on a second core, work the command's start will need anyway: reading its classes' annotations
     * (the JDK parses them in interpreted code and makes a proxy class per annotation type: about 80 ms for
     * {@code mkfs}, while picocli initialises itself), and binding the native helper (JNA's start-up, tens of
     * milliseconds) for the commands that use it. Both results are cached by the JVM, so whichever thread gets
     * there second finds them ready. Nothing here changes what the command does.
     */
    private static void warmUp(String command) {
        if (!SUBCOMMANDS.contains(command)) {
            return;
        }
        boolean posix = command.equals("mkfs") || command.equals("extract");
        Thread t = new Thread(() -> {
            annotations(subcommand(command).getClass(), 0);
            if (posix) {
                io.github.erofs4j.core.extract.ImageExtractor.nativeHelperUnavailable();
            }
        }, "erofs-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Reads the annotations of a command class, its members and the classes of its mixins. */
    private static void annotations(Class<?> c, int depth) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            k.getAnnotations();
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                if (f.getAnnotations().length > 0 && depth < 2 && f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    annotations(f.getType(), depth + 1);
                }
            }
            for (java.lang.reflect.Method m : k.getDeclaredMethods()) {
                m.getAnnotations();
            }
        }
    }

    /**
     * The subcommands, in registration order ({@code verity} first, where the annotation listed it before). Each is
     * also one that {@link #main} registers alone when it comes first: their own usage and errors read the same
     * either way. {@code help} and anything else get every command, so that listings and "unknown command"
     * suggestions stay complete.
     */
    private static final java.util.List<String> SUBCOMMANDS = java.util.List.of("verity", "ls", "cat", "dump",
            "fsck", "extract", "mkfs", "overlay", "initramfs");

    /** A new instance of the subcommand with this name (one of {@link #SUBCOMMANDS}). */
    private static Object subcommand(String name) {
        return switch (name) {
            case "verity" -> new VerityCommand();
            case "ls" -> new LsCommand();
            case "cat" -> new CatCommand();
            case "dump" -> new DumpCommand();
            case "fsck" -> new FsckCommand();
            case "extract" -> new ExtractCommand();
            case "mkfs" -> new Mkfs();
            case "overlay" -> new OverlayCommand();
            case "initramfs" -> new InitramfsCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** Reports the version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"erofs4j " + (v == null ? "development" : v)};
        }
    }

    /** Turns exceptions escaping a subcommand into a one-line message and exit status 1. */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cl.getOut().flush();
            cl.getErr().println("erofs " + cl.getCommandName() + ": " + msg);
            return EXIT_FAILURE;
        }
    }
}
