package dev.hansa.server.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** A stored global model: safetensors bytes, their SHA-256, and the strategy's server state after it. */
public record ModelVersion(UUID id, UUID federationId, int version, String contentHash, byte[] blob,
                           byte[] strategyState, UUID producedByRound, OffsetDateTime createdAt) {

    /** The safetensors metadata model versions are written with (PyTorch's loader checks {@code format}). */
    public static final Map<String, String> METADATA = Map.of("format", "pt");
}
