package org.interphase.cli;

import java.io.PrintWriter;
import org.interphase.io.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code interphase} command line tool. Subcommands are listed in {@link Subcommands}. */
@Command(name = "interphase", mixinStandardHelpOptions = true, version = "interphase 0.1.0",
        description = "Li | Li6PS5Cl interphase tools: trajectory analysis (analyze) and cell building (build-cell).")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: try 'interphase --help'");
    }

    /** Builds the command line with all subcommands and one-line error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : Subcommands.all()) cl.addSubcommand(sub);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String msg = ex.getMessage() == null ? "invalid arguments" : ex.getMessage().replaceAll("\\s+", " ").trim();
            err.println("interphase: error: " + msg + ". Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            err.println("interphase: error: " + describe(ex));
            err.flush();
            return ex instanceof InputException || ex instanceof IllegalArgumentException || ex instanceof java.io.IOException ? 2 : 1;
        });
        return cl;
    }

    /** One-line description of a failure. */
    static String describe(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException) m = "no such file: " + m;
        else if (ex instanceof java.nio.file.AccessDeniedException) m = "permission denied: " + m;
        else if (ex instanceof OutOfMemoryError) m = "out of memory: give the JVM more (JAVA_TOOL_OPTIONS=-Xmx8g) or use --every N";
        else if (m == null) m = ex.getClass().getSimpleName();
        else if (!(ex instanceof InputException) && !(ex instanceof IllegalArgumentException)) m = ex.getClass().getSimpleName() + ": " + m;
        return m.replaceAll("\\s+", " ").trim();
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int rc;
        try {
            rc = commandLine().execute(args);
        } catch (Throwable t) {
            System.err.println("interphase: error: " + describe(t));
            rc = 1;
        }
        System.exit(rc);
    }
}
