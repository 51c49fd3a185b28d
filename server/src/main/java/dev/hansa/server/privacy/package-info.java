/**
 * The privacy ledger of DP federations: what each closed round spent, in PostgreSQL, and the budget check before a
 * round opens (docs/privacy.md).
 */
package dev.hansa.server.privacy;
