package org.interphase.cli;

import java.util.List;

/** THE list of `interphase` subcommands: add new ones here (one line each). */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                new AnalyzeCommand(),
                new BuildCellCommand(),
                new PenetrationCommand(),
                new SelectCommand());
    }
}
