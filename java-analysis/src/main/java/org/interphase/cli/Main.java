package org.interphase.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import org.interphase.io.InputException;
import org.interphase.io.Messages;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code interphase} command line tool. Subcommands are listed in {@link Subcommands}.
 *
 * <p>THE error path of the CLI: every failure of every subcommand reaches the handlers installed by
 * {@link #configure} and becomes one line {@code interphase: error: <cause>: <fix>} on stderr, with exit code
 * {@value #EXIT_INPUT} for anything the user can fix (bad options, bad or missing files, full disks, too little
 * memory) and {@value #EXIT_INTERNAL} only for an internal error. Subcommands throw; they never print errors.
 */
@Command(name = "interphase", mixinStandardHelpOptions = true, version = "interphase 0.1.0",
        description = "Li | Li6PS5Cl interphase tools: trajectory analysis (analyze), cell building (build-cell), Li penetration (li-penetration), training-data selection by model deviation (select).")
public final class Main implements Runnable {
    /** Exit code for bad input: options, files, disk space, memory. */
    public static final int EXIT_INPUT = 2;
    /** Exit code for an internal error (a bug: please report it). */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** Builds the command line with all subcommands and the one error path. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Subcommands.all()) cl.addSubcommand(sub);
        return configure(cl);
    }

    /** Installs the one error path (and case-insensitive enum values) on {@code cl}; returns it. */
    static CommandLine configure(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String msg = Messages.oneLine(ex.getMessage());
            String line = (msg.isEmpty() ? "invalid arguments" : msg.replaceAll("[.]$", "")) + ": see '"
                    + c.getCommandSpec().qualifiedName() + " --help'";
            return report(c.getErr(), line, EXIT_INPUT);
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> report(c.getErr(), describe(ex), exitCode(ex)));
        return cl;
    }

    private static int report(PrintWriter err, String line, int code) {
        err.println("interphase: error: " + line);
        err.flush();
        return code;
    }

    /** {@value #EXIT_INPUT} for failures the user can fix, {@value #EXIT_INTERNAL} for internal errors. */
    static int exitCode(Throwable ex) {
        return ex instanceof InputException || ex instanceof IllegalArgumentException || ex instanceof IOException
                || ex instanceof java.io.UncheckedIOException || ex instanceof OutOfMemoryError ? EXIT_INPUT : EXIT_INTERNAL;
    }

    /** One line {@code <cause>: <fix>} for a failure, without Java class names. */
    static String describe(Throwable ex) {
        if (ex instanceof java.io.UncheckedIOException u) ex = u.getCause();
        String m;
        if (ex instanceof InputException || ex instanceof IllegalArgumentException) {
            m = Messages.oneLine(ex);
        } else if (ex instanceof OutOfMemoryError) {
            m = "out of memory: give the JVM more (INTERPHASE_JAVA_OPTS=-Xmx8g) or use --every N";
        } else if (ex instanceof java.nio.charset.CharacterCodingException) {
            m = "an input file is not UTF-8 text (binary data?): check the input files and --format";
        } else if (ex instanceof FileSystemException f) {
            // a file operation that no command turned into its own message
            m = (f.getFile() == null ? "" : f.getFile() + ": ") + Messages.ioCause(f) + ": check the path and its permissions";
        } else if (ex instanceof IOException io) {
            String cause = Messages.ioCause(io);
            m = cause.toLowerCase(java.util.Locale.ROOT).contains("no space left")
                    ? cause + ": free disk space or write elsewhere (-o)" : cause;
        } else {
            m = "internal error (" + Messages.oneLine(ex) + "): please report it with the command line that caused it";
        }
        return Messages.oneLine(m);
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int rc;
        try {
            rc = commandLine().execute(args);
        } catch (Throwable t) {
            System.err.println("interphase: error: " + describe(t));
            rc = exitCode(t);
        }
        System.exit(rc);
    }
}
