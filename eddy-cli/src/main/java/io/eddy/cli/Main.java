package io.eddy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code eddy} command line: {@code eddy serve}. */
@Command(name = "eddy", mixinStandardHelpOptions = true, version = "Eddy 0.1.0",
        description = "A document database whose every query result can become a live event stream.",
        subcommands = {ServeCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        // exit explicitly: after `serve` has stopped, no leftover non-daemon thread may keep the JVM up
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
