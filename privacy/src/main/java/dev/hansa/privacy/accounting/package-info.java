/**
 * Privacy accounting: Renyi differential privacy (RDP) and privacy loss distributions (PLD) of the sampled Gaussian
 * mechanism, their composition over rounds and phases, the conversion to (epsilon, delta), and the noise planner.
 * Formulas as in Opacus ({@code opacus/accountants/analysis/rdp.py}) and Google's dp_accounting
 * ({@code rdp_privacy_accountant.py}, {@code pld/}); see docs/privacy.md, section "Accounting".
 */
package dev.hansa.privacy.accounting;
