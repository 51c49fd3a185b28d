/**
 * Differential privacy for Hansa's federations, framework-free. {@link dev.hansa.privacy.accounting} holds the
 * Renyi-DP accountant of the sampled Gaussian mechanism and the planner that inverts it;
 * {@link dev.hansa.privacy.noise} the floating-point-safe Gaussian noise from a secure source;
 * {@link dev.hansa.privacy.mechanism} the parts of client-level DP-FedAvg: clipping, adaptive clipping, the
 * denominator, and the validated privacy settings.
 */
package dev.hansa.privacy;
