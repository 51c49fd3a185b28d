package dev.hansa.aggregation.algorithm;

import dev.hansa.aggregation.model.ModelSpec;
import dev.hansa.aggregation.strategy.ClientUpdate;
import dev.hansa.aggregation.strategy.RoundAggregator;

/**
 * FedAMD's round fold: miners' model deltas into an unweighted mean, anchors' gradient changes into a sum, and the
 * number of anchors reporting for the first time. O(model) memory.
 */
final class FedAmdAggregator implements RoundAggregator {

    final WeightedMeanAggregator miners;
    final WeightedMeanAggregator anchors;
    int firstAnchorReports;

    FedAmdAggregator(ModelSpec spec) {
        this.miners = new WeightedMeanAggregator(spec, false);
        this.anchors = new WeightedMeanAggregator(spec, false);
    }

    @Override
    public void add(ClientUpdate update) {
        switch (update.role()) {
            case FedAmdLocal.MINER -> miners.add(update);
            case FedAmdLocal.ANCHOR -> {
                anchors.add(update);
                if (update.metrics().getOrDefault(FedAmdLocal.FIRST_REPORT, 0.0) > 0.5) {
                    firstAnchorReports++;
                }
            }
            default -> throw new IllegalArgumentException("fedamd update from " + update.clientId()
                    + " has role '" + update.role() + "', expected anchor or miner");
        }
    }

    @Override
    public int count() {
        return miners.count() + anchors.count();
    }

    static FedAmdAggregator of(RoundAggregator aggregate) {
        if (aggregate instanceof FedAmdAggregator a) {
            return a;
        }
        throw new IllegalArgumentException("aggregate must come from FedAmd.newAggregator, got "
                + aggregate.getClass().getName());
    }
}
