package dev.hansa.server.round;

import static dev.hansa.server.FederationFixture.ADMIN;
import static dev.hansa.server.FederationFixture.randomDelta;
import static dev.hansa.server.FederationFixture.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.server.Api;
import dev.hansa.server.EmbeddedServerTest;
import dev.hansa.server.FederationFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Where a robust round's updates live on the server: a file per open round written as uploads are stored, read when
 * the round closes, rebuilt from the stored updates after a crash, and deleted however the round ends; a disk that
 * refuses the file refuses the upload with a problem detail and keeps nothing of it.
 */
class RoundFilesTest extends EmbeddedServerTest {

    @Autowired
    RoundFiles files;

    private FederationFixture median(int clients, double quorum) {
        Map<String, Object> config = FederationFixture.config(clients, 1, 60, quorum, "fedavg");
        config.put("robustness", Map.of("aggregator", "median"));
        FederationFixture f = new FederationFixture(api, clients, config);
        f.start();
        orchestrator.tick();
        return f;
    }

    private Api.Reply put(FederationFixture f, int client, Tensors delta, long samples) {
        String round = f.roundIdOf(f.clients.get(client));
        return api.put("/api/v1/client/rounds/" + round + "/update", f.clients.get(client).credential(),
                upload(delta, samples), "k" + client);
    }

    private Path fileOf(String round) {
        return files.directory().resolve(round + ".rows");
    }

    private int storedUpdates(String round) {
        return jdbc.sql("SELECT count(*) FROM round_updates WHERE round_id = CAST(:r AS uuid)").param("r", round)
                .query(Integer.class).single();
    }

    /** The model after one round of the median of three deltas, as the strategy computes it in float. */
    private static void assertMedianApplied(Tensors before, Tensors[] deltas, Tensors after) {
        for (int i = 0; i < before.values().length; i++) {
            float[] column = {deltas[0].values()[i], deltas[1].values()[i], deltas[2].values()[i]};
            Arrays.sort(column);
            assertEquals((float) (before.values()[i] + (double) column[1]), after.values()[i], "parameter " + i);
        }
    }

    @Test
    void theUpdatesLiveInTheRoundsFileUntilItClosesAndTheFileGoesWithIt() {
        FederationFixture f = median(3, 1.0);
        Tensors before = f.latestModel();
        Tensors[] deltas = {randomDelta(31), randomDelta(32), randomDelta(33)};
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, deltas[0], 1).status());
        assertEquals(202, put(f, 1, deltas[1], 2).status());
        assertTrue(Files.isRegularFile(fileOf(round)), "the round's file holds the accepted rows");
        RoundFiles.Rows rows = files.rows(UUID.fromString(round), 3, FederationFixture.SPEC.parameterCount());
        assertNotNull(rows.kept(UUID.fromString(f.clients.get(0).id())));
        assertNull(rows.kept(UUID.fromString(f.clients.get(2).id())), "no row before the upload");
        assertEquals(202, put(f, 2, deltas[2], 3).status());
        orchestrator.tick();
        assertEquals("CLOSED", f.rounds().getFirst().get("state").asString());
        assertMedianApplied(before, deltas, f.latestModel());
        assertFalse(Files.exists(fileOf(round)), "a closed round's file is deleted");
    }

    @Test
    void afterACrashTheCloseWritesTheMissingRowsFromTheStoredUpdates() {
        FederationFixture f = median(3, 1.0);
        Tensors before = f.latestModel();
        Tensors[] deltas = {randomDelta(41), randomDelta(42), randomDelta(43)};
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, deltas[0], 5).status());
        assertEquals(202, put(f, 1, deltas[1], 6).status());
        files.clear(); // what a crash does: the restarted server discards the files and forgets their rows
        assertFalse(Files.exists(fileOf(round)));
        assertEquals(202, put(f, 2, deltas[2], 7).status());
        orchestrator.tick();
        assertEquals("CLOSED", f.rounds().getFirst().get("state").asString());
        assertMedianApplied(before, deltas, f.latestModel());
        assertFalse(Files.exists(fileOf(round)));
    }

    @Test
    void aStoppedFederationsRoundFileIsRemoved() {
        FederationFixture f = median(2, 1.0);
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, randomDelta(51), 1).status());
        assertTrue(Files.exists(fileOf(round)));
        assertEquals(200, api.post("/api/v1/admin/federations/" + f.federationId + "/stop", ADMIN, null).status());
        assertEquals("CANCELLED", f.rounds().getFirst().get("state").asString());
        assertFalse(Files.exists(fileOf(round)), "a cancelled round's file is deleted");
    }

    @Test
    void aFailedRoundsFileIsRemoved() {
        FederationFixture f = median(2, 1.0);
        String round = f.roundIdOf(f.clients.get(0));
        assertEquals(202, put(f, 0, randomDelta(61), 1).status());
        assertTrue(Files.exists(fileOf(round)));
        clock.advance(Duration.ofSeconds(61));
        orchestrator.tick();
        assertEquals("FAILED", f.rounds().getFirst().get("state").asString());
        assertFalse(Files.exists(fileOf(round)), "a failed round's file is deleted");
    }

    @Test
    void aFullDiskRefusesTheUploadWith507AndKeepsNothingOfIt() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full, a device whose every write fails with ENOSPC");
        FederationFixture f = median(2, 1.0);
        String round = f.roundIdOf(f.clients.get(0));
        Files.createSymbolicLink(fileOf(round), full); // the round's file lands on a full disk
        Api.Reply refused = put(f, 0, randomDelta(71), 1);
        assertEquals(507, refused.status());
        assertEquals("insufficient-storage", refused.reason());
        assertTrue(refused.json().get("detail").asString().contains("retry later"), refused.json().toString());
        Map<String, Object> row = jdbc.sql("SELECT state, rejection_reason, rejections FROM round_participants "
                + "WHERE client_id = CAST(:c AS uuid)").param("c", f.clients.get(0).id()).query().singleRow();
        assertEquals("ASSIGNED", row.get("state"), "the upload was not accepted");
        assertEquals("insufficient-storage", row.get("rejection_reason"));
        assertEquals(0, storedUpdates(round), "nothing of the upload is stored");
        assertEquals(200, api.post("/api/v1/admin/federations/" + f.federationId + "/stop", ADMIN, null).status());
        assertFalse(Files.exists(fileOf(round), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
