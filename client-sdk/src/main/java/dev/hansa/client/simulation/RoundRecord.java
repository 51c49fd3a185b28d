package dev.hansa.client.simulation;

/**
 * Metrics of one simulated round. Test metrics are NaN in rounds without evaluation. Bytes are the sizes of the
 * safetensors payloads the HTTP protocol would move for the same round.
 *
 * @param byzantine participants that were Byzantine
 * @param rejected  updates the server's admission refused
 * @param epsilon    a DP federation's epsilon spent after this round, at its delta (RDP accountant); NaN otherwise
 * @param epsilonPld the same from the tighter PLD accountant, in rounds that evaluated the model (it costs up to a
 *                   second, so not every round); NaN otherwise
 * @param localEpsilon under local DP-SGD, the largest example-level epsilon a client has spent at its own delta;
 *                     NaN otherwise
 */
public record RoundRecord(int round, int participants, double testAccuracy, double testLoss, double trainLoss,
                          long bytesUp, long bytesDown, double seconds, int byzantine, int rejected, double epsilon,
                          double epsilonPld, double localEpsilon) {
}
