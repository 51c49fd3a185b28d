/**
 * Tree aggregation of Gaussian noise for DP-FTRL (Kairouz et al. 2021): the dyadic nodes of each prefix, the node
 * noise (plain binary tree and Honaker's efficient variant), and the restart schedules that start new trees.
 */
package dev.hansa.privacy.tree;
