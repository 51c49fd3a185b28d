package dev.hansa.aggregation.strategy.fedamd;

import dev.hansa.aggregation.config.Hyperparameters;
import java.util.List;

/**
 * How likely a FedAMD participant is to be an anchor in a round: the options of the official code
 * ({@code main_emnist.py}, HarliWu/FedAMD @73596d5). Rounds are 1-based here; the code's t is {@code round - 1}.
 */
public sealed interface AnchorSchedule {

    /** Parameter names and values of the options, as in a federation's strategy params. */
    String SCHEDULE = "anchorSchedule";
    String PROBABILITY = "anchorProbability";
    String PERIOD = "anchorPeriod";

    /**
     * Reads {@value #SCHEDULE} (constant, period, sequential, optb or optc; default constant) and the parameter that
     * schedule takes: {@value #PROBABILITY} (constant, default 0.2) or {@value #PERIOD} (period, required).
     */
    static AnchorSchedule from(Hyperparameters h) {
        String kind = h.choice(SCHEDULE, "constant", List.of("constant", "period", "sequential", "optb", "optc"));
        if (h.has(PROBABILITY) && !kind.equals("constant")) {
            throw new IllegalArgumentException(h.field(PROBABILITY) + " applies only to " + h.field(SCHEDULE)
                    + " = constant");
        }
        if (h.has(PERIOD) != kind.equals("period")) {
            throw new IllegalArgumentException(h.field(PERIOD) + " is required with, and only with, "
                    + h.field(SCHEDULE) + " = period");
        }
        return switch (kind) {
            case "constant" -> new Constant(h.real(PROBABILITY, 0.2, 0, false, 1, false));
            case "period" -> new Period(h.integer(PERIOD, 0, 2, Long.MAX_VALUE));
            case "sequential" -> new Sequential();
            case "optb" -> new OptB();
            default -> new OptC();
        };
    }

    /** Probability that each participant of round {@code round} is an anchor, given N and A. */
    double probability(long round, int totalClients, int participants);

    /** Constant p ({@code --pr}, 0.2 by default). */
    record Constant(double p) implements AnchorSchedule {
        public Constant {
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("fedamd: anchorProbability must be in (0, 1), got " + p);
            }
        }

        @Override
        public double probability(long round, int totalClients, int participants) {
            return p;
        }
    }

    /** Integer {@code --pr P}: every participant is an anchor in rounds with {@code (round - 1) mod P == 0}, else a miner. */
    record Period(long period) implements AnchorSchedule {
        public Period {
            if (period < 2) {
                throw new IllegalArgumentException("fedamd: anchorPeriod must be >= 2, got " + period);
            }
        }

        @Override
        public double probability(long round, int totalClients, int participants) {
            return (round - 1) % period == 0 ? 1 : 0;
        }
    }

    /** {@code --ts}: {@code p_t = min(1 / ln(max((t + 14) / 5, e)), 1)}, 1 at first and decaying. */
    record Sequential() implements AnchorSchedule {
        @Override
        public double probability(long round, int totalClients, int participants) {
            double t = round - 1;
            return Math.min(1 / Math.log(Math.max((t + 14) / 5, Math.E)), 1);
        }
    }

    /** {@code --optb}: {@code p = sqrt(4 (N/A)^2 + 2 N/A) - 2 N/A}. */
    record OptB() implements AnchorSchedule {
        @Override
        public double probability(long round, int totalClients, int participants) {
            double r = (double) totalClients / participants;
            return Math.sqrt(4 * r * r + 2 * r) - 2 * r;
        }
    }

    /** {@code --optc}: {@code p = (2 / (A + 2))^(1/A)}. */
    record OptC() implements AnchorSchedule {
        @Override
        public double probability(long round, int totalClients, int participants) {
            return Math.pow(2.0 / (participants + 2), 1.0 / participants);
        }
    }
}
