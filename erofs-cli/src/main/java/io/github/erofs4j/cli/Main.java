package io.github.erofs4j.cli;

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
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for a bad image or a failed operation. */
    public static final int EXIT_FAILURE = 1;
    /** Exit status for bad usage. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
    }

    /** Builds the command line with every subcommand registered; used by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        cl.addSubcommand(new Mkfs());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
            cl.getErr().println("erofs " + cl.getCommandName() + ": " + msg);
            return EXIT_FAILURE;
        }
    }
}
