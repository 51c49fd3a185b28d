package dev.hansa.server.console;

import java.util.ArrayList;
import java.util.List;

/**
 * What the federation page plots, one point per closed round: the participants' test accuracy and loss of the model
 * the round started from, the mean training loss, the megabytes uploaded, the seconds the round took
 * and, for a DP federation, the cumulative epsilon spent after it (null otherwise). Failed and
 * cancelled attempts are left out (they changed no model); a metric nobody reported is null, a gap in its curve.
 */
record RoundSeries(List<Integer> rounds, List<Double> testAccuracy, List<Double> testLoss, List<Double> trainLoss,
                   List<Double> megabytes, List<Double> seconds, List<Double> epsilon) {

    static RoundSeries of(List<ConsoleQueries.RoundSummary> attempts) {
        RoundSeries series = new RoundSeries(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (ConsoleQueries.RoundSummary r : attempts) {
            if ("CLOSED".equals(r.state())) {
                series.rounds.add(r.number());
                series.testAccuracy.add(r.testAccuracy());
                series.testLoss.add(r.testLoss());
                series.trainLoss.add(r.trainLoss());
                series.megabytes.add(r.bytesUp() / 1e6);
                series.seconds.add(r.seconds());
                series.epsilon.add(r.epsilonSpent());
            }
        }
        return series;
    }
}
