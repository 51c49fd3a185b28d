/**
 * Client-level DP-FedAvg's mechanisms (McMahan et al. 2018; Andrew et al. 2021): L2 clipping of each update, the
 * denominator of the noised mean, adaptive clipping with its noised clipped count, and the {@code privacy} section
 * of a federation's config.
 */
package dev.hansa.privacy.mechanism;
