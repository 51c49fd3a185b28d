package dev.hansa.client.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Synthetic(alpha, beta) benchmark of FedProx (Li et al., MLSys 2020; generator in the FedProx repository's
 * data/synthetic_*): each user k draws u_k ~ N(0, alpha^2), B_k ~ N(0, beta^2), a feature mean v_k ~ N(B_k, 1)^60,
 * its own softmax model W_k ~ N(u_k, 1)^(60x10), b_k ~ N(u_k, 1)^10, holds floor(LogNormal(4, 2)) + 50 samples
 * x ~ N(v_k, diag(j^-1.2)) labelled y = argmax(x W_k + b_k), and splits them 90/10 into train and test.
 * The IID variant uses v_k = 0 and one global model. alpha controls model heterogeneity, beta data heterogeneity.
 */
public final class SyntheticDataset {

    public static final int FEATURES = 60;
    public static final int CLASSES = 10;

    /** One user's data. */
    public record UserData(Dataset train, Dataset test) {
    }

    private SyntheticDataset() {
    }

    public static List<UserData> generate(double alpha, double beta, int users, boolean iid, long seed) {
        if (!(alpha >= 0) || !(beta >= 0)) {
            throw new IllegalArgumentException("alpha and beta must be >= 0: " + alpha + ", " + beta);
        }
        if (users < 1) {
            throw new IllegalArgumentException("users must be >= 1: " + users);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] sigmaStd = new double[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            sigmaStd[j] = Math.sqrt(Math.pow(j + 1, -1.2));
        }
        double[] globalW = iid ? gaussians(FEATURES * CLASSES, 0, random) : null;
        double[] globalB = iid ? gaussians(CLASSES, 0, random) : null;
        List<UserData> out = new ArrayList<>(users);
        for (int k = 0; k < users; k++) {
            int n = (int) Math.floor(Math.exp(4 + 2 * GammaSampler.gaussian(random))) + 50;
            n = Math.min(n, 20_000); // the log-normal tail reaches millions; cap it to keep memory bounded
            double u = alpha * GammaSampler.gaussian(random);
            double bMean = beta * GammaSampler.gaussian(random);
            double[] v = new double[FEATURES];
            if (!iid) {
                for (int j = 0; j < FEATURES; j++) {
                    v[j] = bMean + GammaSampler.gaussian(random);
                }
            }
            double[] w = iid ? globalW : gaussians(FEATURES * CLASSES, u, random);
            double[] b = iid ? globalB : gaussians(CLASSES, u, random);
            float[] x = new float[n * FEATURES];
            int[] y = new int[n];
            double[] row = new double[FEATURES];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    row[j] = v[j] + sigmaStd[j] * GammaSampler.gaussian(random);
                    x[i * FEATURES + j] = (float) row[j];
                }
                y[i] = argmaxLogits(row, w, b);
            }
            Dataset all = new Dataset(x, y, FEATURES, CLASSES);
            int trainSize = (int) (0.9 * n);
            int[] order = Shuffle.permutation(n, random);
            out.add(new UserData(all.subset(java.util.Arrays.copyOfRange(order, 0, trainSize)),
                    all.subset(java.util.Arrays.copyOfRange(order, trainSize, n))));
        }
        return out;
    }

    /** All users' test splits in one dataset, for evaluating a global model. */
    public static Dataset pooledTest(List<UserData> users) {
        int total = users.stream().mapToInt(u -> u.test().size()).sum();
        float[] x = new float[total * FEATURES];
        int[] y = new int[total];
        int at = 0;
        for (UserData u : users) {
            for (int i = 0; i < u.test().size(); i++, at++) {
                u.test().copyFeatures(i, x, at * FEATURES);
                y[at] = u.test().label(i);
            }
        }
        return new Dataset(x, y, FEATURES, CLASSES);
    }

    private static int argmaxLogits(double[] x, double[] w, double[] b) {
        int best = 0;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            double logit = b[c];
            for (int j = 0; j < FEATURES; j++) {
                logit += x[j] * w[j * CLASSES + c];
            }
            if (logit > bestLogit) {
                bestLogit = logit;
                best = c;
            }
        }
        return best;
    }

    private static double[] gaussians(int n, double mean, SplittableRandom random) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + GammaSampler.gaussian(random);
        }
        return out;
    }
}
