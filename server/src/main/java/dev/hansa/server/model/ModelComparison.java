package dev.hansa.server.model;

import dev.hansa.aggregation.tensor.Safetensors;
import dev.hansa.aggregation.tensor.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Two model versions of a federation side by side: the metrics of the rounds that produced them, metric by metric
 * with the difference {@code b - a}, and how far apart their weights are (L2 norm and largest absolute value of the
 * difference, in double precision).
 */
public final class ModelComparison {

    private ModelComparison() {
    }

    /**
     * @param a       version a as listed (its {@code metrics} a JSON object or null)
     * @param b       version b as listed
     * @param blobA   version a's safetensors bytes
     * @param blobB   version b's safetensors bytes
     */
    public static Map<String, Object> of(Map<String, Object> a, Map<String, Object> b, byte[] blobA, byte[] blobB) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("a", a);
        out.put("b", b);
        out.put("metrics", metrics(numbers(a.get("metrics")), numbers(b.get("metrics"))));
        out.put("weights", distance(Safetensors.read(blobA).tensors(), Safetensors.read(blobB).tensors()));
        return out;
    }

    private static List<Map<String, Object>> metrics(Map<String, Double> a, Map<String, Double> b) {
        List<Map<String, Object>> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String name : names) {
            Double va = a.get(name);
            Double vb = b.get(name);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("a", va);
            row.put("b", vb);
            row.put("difference", va == null || vb == null ? null : vb - va);
            out.add(row);
        }
        return out;
    }

    /** The numeric members of a metrics object (a JSON node as {@code RowViews} gives it, or null). */
    private static Map<String, Double> numbers(Object metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (metrics instanceof JsonNode node && node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isNumber()) {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            });
        }
        return out;
    }

    private static Map<String, Object> distance(Tensors a, Tensors b) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean comparable = a.spec().equals(b.spec());
        out.put("sameSpec", comparable);
        if (comparable) {
            float[] x = a.values();
            float[] y = b.values();
            double sum = 0;
            double max = 0;
            for (int i = 0; i < x.length; i++) {
                double d = (double) y[i] - x[i];
                sum += d * d;
                max = Math.max(max, Math.abs(d));
            }
            out.put("l2Distance", Math.sqrt(sum));
            out.put("maxAbsDifference", max);
        }
        return out;
    }
}
