package dev.hansa.privacy.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * When DP-FTRL starts a new tree, by round count (TF-Privacy {@code PeriodicRoundRestartIndicator(period, warmup)}):
 * rounds are counted from 1 and a new tree starts after each round c with {@code c mod period == warmup}. With
 * warmup 0 every tree has {@code period} rounds; with warmup in [1, period - 1] the first tree has {@code warmup}
 * rounds and the later ones {@code period}. {@link #NONE}: one tree for the whole run.
 *
 * @param period rounds per tree (after the first), >= 1; 0 for no restarts
 * @param warmup the first tree's rounds when not 0, in [0, period - 1]
 */
public record RestartSchedule(long period, long warmup) {

    /** One tree, never restarted. */
    public static final RestartSchedule NONE = new RestartSchedule(0, 0);

    /** Where a round's leaf lies: tree {@code tree} (from 1), leaf {@code leaf} of it (from 1). */
    public record Position(int tree, long leaf) {
    }

    public RestartSchedule {
        if (period < 0) {
            throw new IllegalArgumentException("restart period must be >= 0 (0: never), got " + period);
        }
        if (warmup < 0 || warmup > 0 && warmup >= period) {
            throw new IllegalArgumentException("restart warmup must be in [0, period - 1], got " + warmup
                    + " with period " + period);
        }
    }

    /** Restarted every {@code period} rounds, the first tree after {@code warmup} rounds when warmup is not 0. */
    public static RestartSchedule every(long period, long warmup) {
        if (period < 1) {
            throw new IllegalArgumentException("restart period must be >= 1, got " + period);
        }
        return new RestartSchedule(period, warmup);
    }

    /** The tree and leaf of round {@code round} (from 1). */
    public Position position(long round) {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (period == 0) {
            return new Position(1, round);
        }
        if (warmup > 0) {
            if (round <= warmup) {
                return new Position(1, round);
            }
            long after = round - warmup - 1;
            return new Position(Math.toIntExact(2 + after / period), after % period + 1);
        }
        return new Position(Math.toIntExact(1 + (round - 1) / period), (round - 1) % period + 1);
    }

    /** Whether a new tree starts after round {@code round}: the indicator's {@code c mod period == warmup}. */
    public boolean restartsAfter(long round) {
        return period > 0 && round % period == warmup;
    }

    /** The leaves of each tree the first {@code rounds} rounds touch, in order; the last may be partial. */
    public List<Long> treeSizes(long rounds) {
        List<Long> sizes = new ArrayList<>();
        if (rounds < 1) {
            return sizes;
        }
        Position last = position(rounds);
        for (int tree = 1; tree < last.tree(); tree++) {
            sizes.add(warmup > 0 && tree == 1 ? warmup : period);
        }
        sizes.add(last.leaf());
        return sizes;
    }
}
