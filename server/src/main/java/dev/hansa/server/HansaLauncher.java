package dev.hansa.server;

import dev.hansa.client.cli.RobustGridCommand;
import dev.hansa.client.cli.SimulateCommand;
import dev.hansa.server.demo.DemoCommand;
import java.util.Arrays;

/**
 * The {@code hansa} command: {@code serve} (default) runs the server, {@code demo} runs the server with a demo
 * federation of SDK clients, {@code simulate} runs virtual clients in one process without a server, and
 * {@code robust-grid} runs the grid of the Byzantine-robustness experiments (docs/robustness.md, "Experiments").
 */
public final class HansaLauncher {

    private HansaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 || args[0].startsWith("-") ? "serve" : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "serve" -> HansaServerApplication.main(rest);
            case "demo" -> System.exit(DemoCommand.run(rest));
            case "simulate" -> System.exit(SimulateCommand.run(rest));
            case "robust-grid" -> System.exit(RobustGridCommand.run(rest));
            case "help", "--help" -> System.out.println(
                    "usage: hansa [serve|demo|simulate|robust-grid] [options]  (hansa demo --help)");
            default -> {
                System.err.println("unknown command '" + command + "'; use serve, demo, simulate or robust-grid");
                System.exit(2);
            }
        }
    }
}
