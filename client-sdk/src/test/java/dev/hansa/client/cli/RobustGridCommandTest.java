package dev.hansa.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hansa.client.simulation.ByzantineBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid's order (whole cells first), a listed grid, and its resumption from the results file. */
class RobustGridCommandTest {

    private static List<ByzantineBenchmark.Run> runs(String... args) throws IOException {
        Options o = RobustGridCommand.options();
        assertTrue(o.parse(args));
        return RobustGridCommand.runs(o);
    }

    @Test
    void runsGoSeedThenClipThenHeterogeneityThenFThenAggregatorThenAttack() throws IOException {
        List<ByzantineBenchmark.Run> runs = runs("--aggregators", "krum,median", "--f", "1,3", "--heterogeneity",
                "iid,dirichlet:0.1", "--attacks", "sign-flipping,optimal-ipm", "--seeds", "1,2", "--clip", "0.2,1");
        assertEquals(2 * 2 * 2 * 2 * 2 * 2, runs.size());
        assertEquals(List.of("krum,1,iid,sign-flipping,1,0.2", "krum,1,iid,optimal-ipm,1,0.2",
                        "median,1,iid,sign-flipping,1,0.2", "median,1,iid,optimal-ipm,1,0.2",
                        "krum,3,iid,sign-flipping,1,0.2"),
                runs.subList(0, 5).stream().map(ByzantineBenchmark.Run::key).toList());
        assertEquals("krum,1,dirichlet:0.1,sign-flipping,1,0.2", runs.get(8).key());
        assertEquals("krum,1,iid,sign-flipping,1,1.0", runs.get(16).key());
        assertEquals("krum,1,iid,sign-flipping,2,0.2", runs.get(32).key());
    }

    @Test
    void theRunsOfTheResultsFileAreFinished(@TempDir Path dir) throws IOException {
        Path results = dir.resolve("results.csv");
        assertEquals(Set.of(), RobustGridCommand.finished(results));
        Files.writeString(results, RobustGridCommand.RESULTS_HEADER + "\n"
                + "krum,1,iid,sign-flipping,1,0.2,0.1,0.9,1.0E-4,25,800,0.8,0.81,0.8,0.82,60.0\n"
                + "median,4,dirichlet:0.1,optimal-alie,2,1.0,0.1,0.9,1.0E-4,25,800,0.5,0.6,0.5,0.6,70.0\n");
        assertEquals(Set.of("krum,1,iid,sign-flipping,1,0.2", "median,4,dirichlet:0.1,optimal-alie,2,1.0"),
                RobustGridCommand.finished(results));
    }

    @Test
    void aRunsFileReplacesTheProductAndKeepsItsOrder(@TempDir Path dir) throws IOException {
        Path list = dir.resolve("runs.csv");
        Files.writeString(list, RobustGridCommand.RESULTS_HEADER + "\n"
                + "median,4,dirichlet:0.1,optimal-alie,2,1.0,0.1,0.9,1.0E-4,25,800,0.5,0.6,0.5,0.6,70.0\n"
                + "\n"
                + "krum,1,iid,sign-flipping,3,0.2\n");
        assertEquals(List.of("median,4,dirichlet:0.1,optimal-alie,2,1.0", "krum,1,iid,sign-flipping,3,0.2"),
                runs("--runs", list.toString(), "--f", "2").stream().map(ByzantineBenchmark.Run::key).toList());
    }

    @Test
    void aBadRunsLineNamesTheFileTheLineAndTheField(@TempDir Path dir) throws IOException {
        Path list = dir.resolve("runs.csv");
        Files.writeString(list, "krum,1,iid,sign-flipping,3,0.2\nkrum,x,iid,sign-flipping,3,0.2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs("--runs", list.toString()));
        assertEquals("--runs " + list + " line 2: f must be an integer: x", e.getMessage());
        Files.writeString(list, "krum,1,iid,sign-flipping\n");
        e = assertThrows(IllegalArgumentException.class, () -> runs("--runs", list.toString()));
        assertEquals("--runs " + list + " line 1 needs aggregator,f,heterogeneity,attack,seed,clip: "
                + "krum,1,iid,sign-flipping", e.getMessage());
        Files.writeString(list, RobustGridCommand.RESULTS_HEADER + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> runs("--runs", list.toString()));
        assertEquals("--runs " + list + " lists no run", e.getMessage());
    }

    @Test
    void aBadListNamesItsFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runs("--f", "1,x"));
        assertEquals("--f must be numbers separated by commas: x", e.getMessage());
    }
}
