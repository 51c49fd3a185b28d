package dev.hansa.aggregation.aggregate.robust;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The top of the spectrum of a weighted covariance of rows, {@code Sigma_c = (1/s) sum_i c_i (x_i - mu_c)(x_i -
 * mu_c)^T} with {@code mu_c = (1/s) sum_i c_i x_i}, {@code s = sum_i c_i}, from their Gram matrix alone: Sigma_c is d
 * x d but lives in the span of the rows, and shares its non-zero eigenvalues with the n x n matrix {@code M = D^(1/2)
 * K D^(1/2) / s}, K the Gram matrix of the rows {@code x_i - mu_c} and {@code D = diag(c)}. If u is M's top unit
 * eigenvector, Sigma_c's is {@code v = Y^T D^(1/2) u / sqrt(lambda s)} (Y the rows {@code x_i - mu_c}), so the
 * projections {@code (x_i - mu_c)^T v} are {@code (K D^(1/2) u)_i / sqrt(lambda s)}. The symmetric eigenproblem is
 * solved by Commons Math (Householder tridiagonalisation and implicit QL).
 */
final class WeightedCovariance {

    /**
     * Sigma_c's largest eigenvalue and every row's projection on its eigenvector (sign arbitrary; all 0 when Sigma_c
     * is 0, as when the weighted rows coincide).
     */
    record Top(double eigenvalue, double[] projections) {
    }

    private WeightedCovariance() {
    }

    /**
     * @param gram    {@code <x_i - b, x_j - b>} for any fixed b (the covariance does not see it), n x n
     * @param weights {@code c_i >= 0}, not all 0
     */
    static Top top(double[][] gram, double[] weights) {
        int n = weights.length;
        double s = 0;
        for (double c : weights) {
            s += c;
        }
        double[][] k = aroundMean(gram, weights);
        double[] root = new double[n];
        for (int i = 0; i < n; i++) {
            root[i] = Math.sqrt(weights[i]);
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                m[i][j] = root[i] * k[i][j] * root[j] / s;
                m[j][i] = m[i][j];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
        double[] values = eigen.getRealEigenvalues();
        int top = 0;
        for (int i = 1; i < n; i++) {
            if (values[i] > values[top]) {
                top = i;
            }
        }
        double lambda = Math.max(0, values[top]);
        double[] projections = new double[n];
        if (lambda > 0) {
            double[] u = eigen.getEigenvector(top).toArray();
            double norm = Math.sqrt(lambda * s);
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int j = 0; j < n; j++) {
                    v += k[i][j] * root[j] * u[j];
                }
                projections[i] = v / norm;
            }
        }
        return new Top(lambda, projections);
    }

    /**
     * The Gram matrix of the rows {@code x_i - mu_c}, {@code mu_c} their mean with weights {@code c}: {@code G_ij - (G
     * w)_i - (G w)_j + w^T G w} with {@code w = c / sum c}, whatever point the rows of {@code gram} were taken from;
     * made exactly symmetric (the eigen solver takes its symmetric path only for a symmetric matrix).
     */
    static double[][] aroundMean(double[][] gram, double[] weights) {
        int n = weights.length;
        double s = 0;
        for (double c : weights) {
            s += c;
        }
        double[] gw = new double[n];
        double wgw = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                gw[i] += gram[i][j] * weights[j] / s;
            }
            wgw += weights[i] / s * gw[i];
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = (gram[i][j] + gram[j][i]) / 2 - gw[i] - gw[j] + wgw;
                k[i][j] = v;
                k[j][i] = v;
            }
        }
        return k;
    }
}
