package dev.hansa.aggregation.architecture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in architectures by name, created from JSON-shaped parameters (a federation's {@code model} section):
 * <ul>
 *   <li>{@code softmax}: multinomial logistic regression; params {@code inputSize}, {@code numClasses}</li>
 *   <li>{@code mlp}: ReLU multilayer perceptron; params {@code inputSize}, {@code hiddenLayers} (list), {@code numClasses}</li>
 * </ul>
 */
public final class Architectures {

    private Architectures() {
    }

    public static List<String> names() {
        return List.of("mlp", "softmax");
    }

    public static Architecture create(String name, Map<String, ?> params) {
        Set<String> allowed = new HashSet<>(List.of("inputSize", "numClasses"));
        if ("mlp".equals(name)) {
            allowed.add("hiddenLayers");
        }
        for (String key : params.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("model.params." + key + ": unknown parameter for architecture '"
                        + name + "'; allowed: " + allowed);
            }
        }
        int input = positiveInt(params, "inputSize");
        int classes = positiveInt(params, "numClasses");
        if (classes < 2) {
            throw new IllegalArgumentException("model.params.numClasses must be >= 2: " + classes);
        }
        return switch (name) {
            case "softmax" -> DenseArchitecture.softmaxRegression(input, classes);
            case "mlp" -> DenseArchitecture.mlp(input, hidden(params.get("hiddenLayers")), classes);
            case null, default -> throw new IllegalArgumentException("model.architecture: unknown '" + name
                    + "'; known: " + names());
        };
    }

    private static int positiveInt(Map<String, ?> params, String key) {
        Object value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("model.params." + key + " is required");
        }
        return toPositiveInt(value, "model.params." + key);
    }

    private static int[] hidden(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("model.params.hiddenLayers is required (a list of layer widths)");
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("model.params.hiddenLayers must be a list of positive integers");
        }
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            widths.add(toPositiveInt(list.get(i), "model.params.hiddenLayers[" + i + "]"));
        }
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int toPositiveInt(Object value, String field) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= 1 && n.doubleValue() <= 1 << 20) {
            return n.intValue();
        }
        throw new IllegalArgumentException(field + " must be an integer in [1, 1048576]: " + value);
    }
}
