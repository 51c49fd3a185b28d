/**
 * Differential privacy for Hansa's federations, framework-free. {@link dev.hansa.privacy.accounting} holds the
 * Renyi-DP accountant of the sampled Gaussian mechanism and the planner that inverts it.
 */
package dev.hansa.privacy;
