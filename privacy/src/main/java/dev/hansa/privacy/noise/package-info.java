/**
 * Noise for differentially private releases: {@link dev.hansa.privacy.noise.SecureBits} (a ChaCha20 fast-key-erasure
 * generator seeded by the operating system), the exact discrete Gaussian and {@link
 * dev.hansa.privacy.noise.GaussianNoise}, Gaussian noise on a power-of-two grid as Google's DP library defends
 * against Mironov's floating-point attack.
 */
package dev.hansa.privacy.noise;
