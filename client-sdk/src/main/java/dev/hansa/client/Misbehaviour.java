package dev.hansa.client;

import dev.hansa.aggregation.attack.GaussianAttack;
import dev.hansa.aggregation.random.Seeds;
import dev.hansa.aggregation.tensor.Tensors;

/**
 * A deliberately misbehaving client, for live tests of a federation's robust aggregation (docs/robustness.md,
 * "Attacks"); {@link #NONE} everywhere else. Set in {@link HansaClientConfig}: the client then uploads the attacked
 * update in place of its honest one, after its update transforms (an attacker does not clip itself) and through the
 * plan's codec, and otherwise follows the protocol (its state advances as an honest client's would).
 *
 * <p>Only local attacks exist here: a live client sees no other client's update, so the omniscient attacks of the
 * simulation (ALIE, IPM, mimic, their line-searched forms, and sign flipping of the honest mean) have no live
 * counterpart. {@code Scaled(-1)} is Karimireddy et al.'s bit flipping, which negates the client's own update.
 */
public sealed interface Misbehaviour {

    /** An honest client. */
    Misbehaviour NONE = new Honest();

    /** The honest client. */
    record Honest() implements Misbehaviour {
        @Override
        public Tensors apply(Tensors update, long seed) {
            return update;
        }
    }

    /** Uploads {@code factor} times its update: -1 flips its sign, a large factor tries to dominate the mean. */
    record Scaled(double factor) implements Misbehaviour {
        public Scaled {
            if (!Double.isFinite(factor)) {
                throw new IllegalArgumentException("misbehaviour Scaled needs a finite factor, got " + factor);
            }
        }

        @Override
        public Tensors apply(Tensors update, long seed) {
            float[] v = update.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (factor * v[i]);
            }
            return new Tensors(update.spec(), v);
        }
    }

    /**
     * Uploads independent N(mean, sigma^2) values in place of its update (the simulation's {@code gaussian} attack),
     * drawn from {@code Seeds.forClient(planSeed, "misbehaviour")}.
     */
    record Gaussian(double mean, double sigma) implements Misbehaviour {
        public Gaussian {
            if (!Double.isFinite(mean) || !(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("misbehaviour Gaussian needs a finite mean and a finite sigma "
                        + ">= 0, got " + mean + ", " + sigma);
            }
        }

        @Override
        public Tensors apply(Tensors update, long seed) {
            return new Tensors(update.spec(), GaussianAttack.draw(update.values().length, mean, sigma,
                    Seeds.forClient(seed, "misbehaviour")));
        }
    }

    /**
     * Trains on its data with every label y replaced by {@code C - 1 - y} and uploads what that gives, unchanged. Needs
     * the {@link BuiltInTrainer}, whose data the SDK holds; an app's own trainer flips its own labels.
     */
    record LabelFlipped() implements Misbehaviour {
        @Override
        public Tensors apply(Tensors update, long seed) {
            return update;
        }
    }

    /** Bit flipping: {@code Scaled(-1)}. */
    static Misbehaviour signFlipped() {
        return new Scaled(-1);
    }

    /** What the client uploads in place of {@code update} (its update transforms' output); {@code seed}: the plan's. */
    Tensors apply(Tensors update, long seed);
}
