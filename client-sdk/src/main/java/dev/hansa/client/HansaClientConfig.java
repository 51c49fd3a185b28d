package dev.hansa.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link HansaClient} needs, validated in one place; every error names the property.
 *
 * @param serverUrl       the server's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param enrollmentToken one-time enrollment token; may be null when {@code stateDir} already holds a credential
 * @param stateDir        where the credential, strategy state and model cache are kept across restarts
 * @param name            a human-readable client name shown to operators
 * @param device          device facts reported with heartbeats (backend, cores, ...)
 * @param pollWait        how long one assignment long-poll may wait on the server (at most 60 s)
 * @param requestTimeout  timeout of one HTTP request (long-polls get pollWait on top)
 * @param maxAttempts     attempts per request on transient failures (connection errors, 5xx, 429)
 * @param initialBackoff  first retry delay; doubles per attempt with jitter up to {@code maxBackoff}
 * @param maxBackoff      largest retry delay
 * @param misbehaviour    {@link Misbehaviour#NONE} (null means it), or an attack for live robustness tests
 */
public record HansaClientConfig(URI serverUrl, String enrollmentToken, Path stateDir, String name,
                                Map<String, Object> device, Duration pollWait, Duration requestTimeout,
                                int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                Misbehaviour misbehaviour) {

    public HansaClientConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        if (!"http".equals(serverUrl.getScheme()) && !"https".equals(serverUrl.getScheme())) {
            throw new IllegalArgumentException("serverUrl must be an http(s) URL: " + serverUrl);
        }
        Objects.requireNonNull(stateDir, "stateDir");
        if (enrollmentToken != null && !enrollmentToken.startsWith("he_")) {
            throw new IllegalArgumentException("enrollmentToken must start with he_");
        }
        name = name == null || name.isBlank() ? "client" : name;
        device = device == null ? Map.of() : Map.copyOf(device);
        pollWait = pollWait == null ? Duration.ofSeconds(30) : pollWait;
        if (pollWait.isNegative() || pollWait.toSeconds() > 60) {
            throw new IllegalArgumentException("pollWait must be within [0, 60] seconds: " + pollWait);
        }
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        initialBackoff = initialBackoff == null ? Duration.ofMillis(200) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(10) : maxBackoff;
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("initialBackoff must be >= 0 and <= maxBackoff");
        }
        misbehaviour = misbehaviour == null ? Misbehaviour.NONE : misbehaviour;
    }

    /** An honest client's configuration. */
    public HansaClientConfig(URI serverUrl, String enrollmentToken, Path stateDir, String name,
                             Map<String, Object> device, Duration pollWait, Duration requestTimeout,
                             int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(serverUrl, enrollmentToken, stateDir, name, device, pollWait, requestTimeout, maxAttempts, initialBackoff,
                maxBackoff, Misbehaviour.NONE);
    }

    /** This configuration for a client that misbehaves as {@code misbehaviour} says (live robustness tests only). */
    public HansaClientConfig withMisbehaviour(Misbehaviour misbehaviour) {
        return new HansaClientConfig(serverUrl, enrollmentToken, stateDir, name, device, pollWait, requestTimeout,
                maxAttempts, initialBackoff, maxBackoff, misbehaviour);
    }

    /** A configuration with defaults for everything but the essentials. */
    public static HansaClientConfig of(URI serverUrl, String enrollmentToken, Path stateDir, String name) {
        return new HansaClientConfig(serverUrl, enrollmentToken, stateDir, name, Map.of(), null, null, 8, null, null);
    }
}
