package dev.hansa.server.client;

import dev.hansa.server.system.InvalidField;
import dev.hansa.server.system.JsonShape;
import dev.hansa.server.system.StorableText;
import java.util.Map;

/** Bounds on what a client tells the server about itself and its evaluations, checked before anything is stored. */
public final class ClientFields {

    static final int MAX_NAME = 200;
    /** Device info is free-form (OS, backend, cores, memory, accelerator): small, shallow, short strings. */
    static final JsonShape DEVICE = new JsonShape(4, 64, 64, 256, true);
    /** An evaluation report: a flat object of at most 64 named numbers. */
    static final JsonShape METRICS = new JsonShape(1, 64, 64, 0, false);

    private ClientFields() {
    }

    /** The display name, stripped; "client" when absent. */
    static String name(String name) {
        if (name == null || name.isBlank()) {
            return "client";
        }
        return StorableText.require("name", name.strip(), MAX_NAME);
    }

    public static void count(String field, Long value) {
        if (value != null && value < 0) {
            throw new InvalidField(field, "must be >= 0: " + value);
        }
    }

    static void device(Map<String, Object> device) {
        DEVICE.check("device", device);
    }

    public static void metrics(Map<String, Double> metrics) {
        if (metrics == null) {
            throw new InvalidField("metrics", "is required: an object of finite numbers");
        }
        METRICS.check("metrics", metrics);
        metrics.forEach((key, value) -> {
            if (key.isEmpty()) {
                throw new InvalidField("metrics", "a metric name is empty");
            }
            if (value == null) {
                throw new InvalidField("metrics." + key, "must be a finite number");
            }
        });
    }
}
