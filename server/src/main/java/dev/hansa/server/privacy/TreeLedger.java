package dev.hansa.server.privacy;

import dev.hansa.aggregation.dp.Contributions;
import dev.hansa.privacy.accounting.TreeAccountant;
import dev.hansa.privacy.accounting.TreeAggregationEvent;
import dev.hansa.privacy.mechanism.DpFtrlSettings;
import dev.hansa.privacy.tree.RestartSchedule;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a DP-FTRL federation keeps in PostgreSQL (V10): its rounds in the privacy ledger (mechanism
 * {@value #TREE_AGGREGATION}, with tree, leaf and the participation limit), the secret its node noise is derived from,
 * and, read from the rounds, which client's update entered which closed round, for the participation limit. Each
 * round's epsilon comes from the finished trees as the ledger rows hold them plus the running tree, so a restarted
 * server continues the same ledger and, from the same secret, the same tree noise.
 */
@Repository
public class TreeLedger {

    /** The ledger's mechanism name for a DP-FTRL round. */
    public static final String TREE_AGGREGATION = "tree_aggregation";

    private static final int SECRET_BYTES = 32;
    private static final String SQL_TREES = """
            SELECT tree, max(leaf) AS leaves, max(noise_multiplier) AS sigma,
                   max(max_participations) AS k, max(min_separation) AS b
            FROM privacy_ledger WHERE federation_id = :federation AND mechanism = 'tree_aggregation' AND tree < :tree
            GROUP BY tree ORDER BY tree
            """;
    private static final String SQL_APPEND = """
            INSERT INTO privacy_ledger (federation_id, round_number, round_id, mechanism, noise_multiplier, steps,
                                        clip_norm, sampler, delta, epsilon_rdp, recorded_at, tree, leaf,
                                        max_participations, min_separation)
            VALUES (:federation, :number, :round, 'tree_aggregation', :sigma, 1, :clip, :sampler, :delta, :epsilon,
                    :at, :tree, :leaf, :k, :b)
            """;
    private static final String SQL_CONTRIBUTIONS = """
            SELECT p.client_id, r.number FROM round_participants p JOIN rounds r ON r.id = p.round_id
            WHERE r.federation_id = :federation AND r.state = 'CLOSED' AND p.state = 'ACCEPTED'
              AND r.number >= :from
            ORDER BY r.number
            """;

    private final JdbcClient jdbc;
    private final SecureRandom random = new SecureRandom();

    TreeLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The federation's secret, created from the operating system's entropy the first time it is asked for, in a
     * transaction of its own: a caller's rollback must not discard a secret whose noise a cached protocol uses.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public byte[] secret(UUID federation) {
        byte[] fresh = new byte[SECRET_BYTES];
        random.nextBytes(fresh);
        jdbc.sql("""
                INSERT INTO privacy_tree_secrets (federation_id, secret, created_at) VALUES (:f, :s, now())
                ON CONFLICT (federation_id) DO NOTHING
                """).param("f", federation).param("s", fresh).update();
        return jdbc.sql("SELECT secret FROM privacy_tree_secrets WHERE federation_id = :f").param("f", federation)
                .query(byte[].class).single();
    }

    /** The rounds from {@code fromRound} on whose aggregate each client's update entered. */
    public Contributions contributions(UUID federation, int fromRound) {
        Map<String, List<Integer>> rounds = new HashMap<>();
        jdbc.sql(SQL_CONTRIBUTIONS).param("federation", federation).param("from", fromRound).query(rs -> {
            rounds.computeIfAbsent(rs.getObject(1, UUID.class).toString(), c -> new ArrayList<>()).add(rs.getInt(2));
        });
        return client -> rounds.getOrDefault(client, List.of());
    }

    /**
     * The accountant after a round at {@code position}: the finished trees as the ledger holds them, and the
     * position's tree with as many leaves as its leaf.
     */
    private TreeAccountant spentAt(UUID federation, RestartSchedule.Position position, DpFtrlSettings settings) {
        TreeAccountant accountant = TreeAccountant.empty();
        for (TreeAggregationEvent tree : jdbc.sql(SQL_TREES).param("federation", federation)
                .param("tree", position.tree()).query((rs, i) -> new TreeAggregationEvent(rs.getDouble("sigma"),
                        rs.getLong("leaves"), rs.getInt("k"), rs.getInt("b"))).list()) {
            accountant = accountant.compose(tree);
        }
        return accountant.compose(new TreeAggregationEvent(settings.noiseMultiplier(), position.leaf(),
                settings.maxParticipations(), settings.minSeparation()));
    }

    /**
     * Records closed round {@code number} (call inside the transaction that stores its model version).
     *
     * @return the cumulative epsilon after it, at the settings' delta
     */
    public double append(UUID federation, int number, UUID round, DpFtrlSettings settings, String sampler,
                         OffsetDateTime at) {
        RestartSchedule.Position position = settings.restarts().position(number);
        double epsilon = spentAt(federation, position, settings).epsilon(settings.delta());
        jdbc.sql(SQL_APPEND).param("federation", federation).param("number", number).param("round", round)
                .param("sigma", settings.noiseMultiplier()).param("clip", settings.clipNorm())
                .param("sampler", sampler).param("delta", settings.delta()).param("epsilon", epsilon).param("at", at)
                .param("tree", position.tree()).param("leaf", position.leaf())
                .param("k", settings.maxParticipations()).param("b", settings.minSeparation()).update();
        return epsilon;
    }
}
