package dev.hansa.client;

import dev.hansa.aggregation.state.State;
import dev.hansa.aggregation.strategy.LocalResult;
import dev.hansa.aggregation.strategy.Objective;
import dev.hansa.aggregation.strategy.TrainingPlan;
import dev.hansa.aggregation.strategy.registry.Strategies;
import dev.hansa.aggregation.tensor.Tensors;
import dev.hansa.client.data.Dataset;
import dev.hansa.client.privacy.LocalDpConfig;
import dev.hansa.client.privacy.LocalDpSgd;
import dev.hansa.client.privacy.LocalPrivacyAccount;
import dev.hansa.client.training.Evaluation;
import dev.hansa.client.training.TrainableModel;
import dev.hansa.compute.Backend;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in {@link LocalTrainer}: one of Hansa's trainable models bound to local data, trained by the client
 * optimizer of whatever strategy the plan names, on the given backend; or, with a {@link LocalDpConfig}, by local
 * DP-SGD ({@link LocalDpSgd}) under the client's own example-level budget: its account is kept for the trainer's
 * lifetime, and in the client's state directory once a {@link HansaClient} runs it.
 */
public final class BuiltInTrainer implements LocalTrainer {

    private final TrainableModel model;
    private final Dataset train;
    private final Dataset heldOut;
    private final Backend backend;
    private final Objective objective;
    private final LocalDpConfig localDp;
    private final LocalPrivacyAccount account;

    /** @param heldOut local evaluation data, or null */
    public BuiltInTrainer(TrainableModel model, Dataset train, Dataset heldOut, Backend backend) {
        this(model, train, heldOut, backend, null);
    }

    /** A trainer that trains by local DP-SGD under {@code localDp} (null: the strategy's own optimizer). */
    public BuiltInTrainer(TrainableModel model, Dataset train, Dataset heldOut, Backend backend,
                          LocalDpConfig localDp) {
        this(model, train, heldOut, backend, localDp,
                localDp == null ? null : new LocalPrivacyAccount(localDp.delta(), localDp.epsilon()));
    }

    private BuiltInTrainer(TrainableModel model, Dataset train, Dataset heldOut, Backend backend, LocalDpConfig localDp,
                           LocalPrivacyAccount account) {
        if (localDp != null) {
            localDp.checkExamples(train.size());
        }
        this.model = model;
        this.train = train;
        this.heldOut = heldOut;
        this.backend = backend;
        this.objective = model.bind(train, backend);
        this.localDp = localDp;
        this.account = account;
    }

    /**
     * The same trainer with its local DP-SGD account kept in {@code file} ({@link LocalPrivacyAccount#storedIn}),
     * so that what it spent survives a restart of the client; this trainer itself when it trains without local DP.
     *
     * @throws IllegalStateException naming the file when the stored account cannot be read
     */
    BuiltInTrainer withPrivacyAccountIn(Path file) {
        if (localDp == null) {
            return this;
        }
        return new BuiltInTrainer(model, train, heldOut, backend, localDp,
                LocalPrivacyAccount.storedIn(file, localDp.delta(), localDp.epsilon()));
    }

    /**
     * The same trainer on its training data with every label y replaced by C - 1 - y (a label-flipping client); it
     * shares this trainer's privacy account.
     */
    BuiltInTrainer withFlippedLabels() {
        return new BuiltInTrainer(model, train.withFlippedLabels(), heldOut, backend, localDp, account);
    }

    @Override
    public LocalResult train(Tensors global, TrainingPlan plan, Optional<Tensors> broadcast, State state) {
        if (localDp != null) {
            return new LocalDpSgd(plan.strategy(), localDp, account).train(objective, global, plan, broadcast, state);
        }
        return Strategies.clientOptimizer(plan.strategy()).train(objective, global, plan, broadcast, state);
    }

    @Override
    public Map<String, Double> evaluate(Tensors global) {
        if (heldOut == null || heldOut.size() == 0) {
            return Map.of();
        }
        Evaluation e = model.evaluate(global, heldOut, backend);
        return Map.of("test_accuracy", e.accuracy(), "test_loss", e.loss());
    }

    @Override
    public long numSamples() {
        return train.size();
    }
}
