package dev.hansa.privacy.accounting;

/**
 * The exact hockey-stick divergence of one round of the Poisson-subsampled Gaussian mechanism with sensitivity 1:
 * delta(epsilon) = integral of (P - e^epsilon Q)_+ for the two directions of add-or-remove adjacency, with
 * N_m = N(m, sigma^2) and the mixture M = (1 - q) N_0 + q N_1:
 * <ul>
 *   <li>{@link #REMOVE}: P = M, Q = N_0 (the privacy loss ln(M/N_0)(x) increases with x);</li>
 *   <li>{@link #ADD}: P = N_0, Q = M.</li>
 * </ul>
 * Both are closed forms in the normal CDF at the single point x* where P = e^epsilon Q (the same pair dp_accounting's
 * {@code GaussianPrivacyLoss} with {@code sampling_prob} uses). At q = 1 both reduce to the Gaussian mechanism's
 * Phi(1/(2 sigma) - sigma epsilon) - e^epsilon Phi(-1/(2 sigma) - sigma epsilon) (Balle and Wang 2018).
 */
enum SampledGaussianHockeyStick {

    REMOVE {
        @Override
        double delta(double q, double sigma, double epsilon) {
            double c = Math.expm1(epsilon) + q;
            if (c <= 0) {
                return -Math.expm1(epsilon);
            }
            double x = sigma * sigma * (Math.log(c) - Math.log(q)) + 0.5;
            return clamp(q * upperTail((x - 1) / sigma) - c * upperTail(x / sigma));
        }

        @Override
        double loss(double q, double sigma, double x) {
            return logMixtureRatio(q, sigma, x);
        }
    },

    ADD {
        @Override
        double delta(double q, double sigma, double epsilon) {
            double qe = q * Math.exp(epsilon);
            double c = qe - Math.expm1(epsilon);
            if (c <= 0) {
                return 0;
            }
            double x = sigma * sigma * (Math.log(c) - Math.log(qe)) + 0.5;
            return clamp(c * lowerTail(x / sigma) - qe * lowerTail((x - 1) / sigma));
        }

        @Override
        double loss(double q, double sigma, double x) {
            return -logMixtureRatio(q, sigma, x);
        }
    };

    /** Outputs x beyond this many sigmas of N_0 or N_1 carry less than 1e-16 of the mass (Phi(-8.3) = 5e-17). */
    private static final double TAIL_SIGMAS = 8.3;

    /**
     * One round's grid is kept below 128 MiB of doubles (2^24 points); sigma = 0.05 at q = 1 and the default interval
     * needs 7 million.
     */
    private static final long MAX_GRID_POINTS = 1 << 24;

    /** delta(epsilon) for sampling rate q in (0, 1] and noise multiplier sigma &gt; 0, clamped into [0, 1]. */
    abstract double delta(double q, double sigma, double epsilon);

    /** The privacy loss ln(P/Q) at output x. */
    abstract double loss(double q, double sigma, double x);

    /**
     * The smallest and the largest privacy loss over outputs x in [-8.3 sigma, 1 + 8.3 sigma]: outside it the loss
     * distribution has no mass worth a grid point, and the connect-the-dots construction puts what is beyond on the
     * end points or at infinity anyway.
     */
    double[] lossRange(double q, double sigma) {
        double low = loss(q, sigma, -TAIL_SIGMAS * sigma);
        double high = loss(q, sigma, 1 + TAIL_SIGMAS * sigma);
        return new double[] {Math.min(low, high), Math.max(low, high)};
    }

    /**
     * One round's loss distribution on the multiples of {@code interval}: pessimistic connect-the-dots through the
     * exact divergence at every grid point that covers {@link #lossRange}.
     */
    PrivacyLossPmf discretise(double q, double sigma, double interval) {
        double[] range = lossRange(q, sigma);
        long low = (long) Math.floor(range[0] / interval);
        long high = (long) Math.ceil(range[1] / interval);
        if (high - low >= MAX_GRID_POINTS) {
            throw new IllegalArgumentException("sigma " + sigma + " spreads one round's privacy loss over more than "
                    + MAX_GRID_POINTS + " grid points of interval " + interval + "; use a coarser interval");
        }
        double[] deltas = new double[(int) (high - low + 1)];
        for (int k = 0; k < deltas.length; k++) {
            deltas[k] = delta(q, sigma, (low + k) * interval);
        }
        return PrivacyLossPmf.connectTheDots(interval, low, deltas);
    }

    /** ln(M/N_0)(x) = ln(1 - q + q e^((2x - 1)/(2 sigma^2))), in log space so that neither term overflows. */
    private static double logMixtureRatio(double q, double sigma, double x) {
        return LogSpace.add(Math.log1p(-q), Math.log(q) + (2 * x - 1) / (2 * sigma * sigma));
    }

    private static double upperTail(double z) {
        return Math.exp(LogNdtr.logNdtr(-z));
    }

    private static double lowerTail(double z) {
        return Math.exp(LogNdtr.logNdtr(z));
    }

    private static double clamp(double delta) {
        return Math.min(1, Math.max(0, delta));
    }
}
