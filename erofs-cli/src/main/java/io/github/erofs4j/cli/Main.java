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
        subcommands = {CommandLine.HelpCommand.class, VerityCommand.class})
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
        CommandLine cl = new CommandLine(new Main(out));
        cl.addSubcommand(new LsCommand());
        cl.addSubcommand(new CatCommand());
        cl.addSubcommand(new DumpCommand());
        cl.addSubcommand(new FsckCommand());
        cl.addSubcommand(new ExtractCommand());
        cl.addSubcommand(new Mkfs());
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
        System.exit(run(commandLine(), args));
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
