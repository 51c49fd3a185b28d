package dev.hansa.client.training;

/** Mean loss and accuracy of a model on a dataset. */
public record Evaluation(double loss, double accuracy, int samples) {
}
