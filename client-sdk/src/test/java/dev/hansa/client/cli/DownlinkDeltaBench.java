package dev.hansa.client.cli;

import dev.hansa.aggregation.dp.NoiseSource;
import dev.hansa.aggregation.round.RoundConfig;
import dev.hansa.aggregation.tensor.ModelDelta;
import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.client.simulation.FederatedData;
import dev.hansa.client.simulation.SimulationRunner;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.client.training.TrainableModels;
import dev.hansa.compute.Backend;
import java.util.Locale;
import java.util.Map;

/**
 * How large the compressed downlink is on a real run: a {@code hansa simulate} run (same flags; evaluated every
 * round) whose model after each round is written as safetensors and sent as a {@link ModelDelta} against the one
 * before, as a client that took part in the previous round would get it. A command, not a test:
 * {@code java -cp ... dev.hansa.client.cli.DownlinkDeltaBench <simulate flags>}; prints per round the full file's
 * bytes, the delta's and their ratio, then the totals.
 */
public final class DownlinkDeltaBench {

    private DownlinkDeltaBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = SimulateCommand.options();
        if (!o.parse(args)) {
            System.out.print(o.usage("DownlinkDeltaBench"));
            return;
        }
        FederationOptions f = FederationOptions.read(o);
        FederatedData data = f.loadData(msg -> System.err.println("note: " + msg));
        TrainableModel architecture = TrainableModels.create(f.model(), f.modelParams(data));
        int perRound = o.integer("per-round");
        RoundConfig.Configured rounds = f.rounds((double) perRound / f.clients(), perRound, perRound, Map.of());
        var settings = new SimulationRunner.Settings(f.rounds(), f.seed(), 1, o.integer("threads"));
        Backend backend = f.chooseBackend(1).backend();
        byte[][] previous = {Safetensors.write(architecture.initialize(f.seed()), Map.of())};
        long[] totals = new long[2];
        System.out.println("| round | full bytes | delta bytes | delta / full |");
        System.out.println("|---|---|---|---|");
        try {
            new SimulationRunner(architecture, SimulationRunner.numbered(data.clients()), data.test(), backend,
                    rounds.protocol().withNoise(NoiseSource.SEEDED), settings)
                    .run(architecture.initialize(f.seed()), r -> { }, (round, model) -> {
                        byte[] next = Safetensors.write(model, Map.of());
                        long delta = ModelDelta.encode(previous[0], next).map(d -> (long) d.length)
                                .orElse((long) next.length);
                        totals[0] += next.length;
                        totals[1] += delta;
                        System.out.printf(Locale.ROOT, "| %d | %d | %d | %.3f |%n", round, next.length, delta,
                                (double) delta / next.length);
                        previous[0] = next;
                    });
        } finally {
            backend.close();
        }
        System.out.printf(Locale.ROOT, "| all | %d | %d | %.3f |%n", totals[0], totals[1], (double) totals[1] / totals[0]);
    }
}
