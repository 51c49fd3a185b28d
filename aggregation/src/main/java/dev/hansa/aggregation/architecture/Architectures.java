package dev.hansa.aggregation.architecture;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in architectures by name, created from JSON-shaped parameters (a federation's {@code model} section):
 * <ul>
 *   <li>{@code softmax}: multinomial logistic regression; params {@code inputSize}, {@code numClasses}</li>
 *   <li>{@code mlp}: ReLU multilayer perceptron; params {@code inputSize}, {@code hiddenLayers} (list), {@code numClasses}</li>
 *   <li>{@code cnn}: conv blocks then dense layers ({@link ConvArchitecture}); params {@code inputChannels},
 *       {@code inputHeight}, {@code inputWidth}, {@code convChannels} (list, one per block), {@code kernelSize},
 *       {@code hiddenLayers} (list), {@code numClasses}</li>
 * </ul>
 * Parameters are checked, and the model's size computed exactly, before anything is allocated: a configuration whose
 * model could not be held is refused by {@link #parameterCount} and {@link #create} with a message naming the field.
 */
public final class Architectures {

    /** Largest layer width (and input size, and class count). */
    public static final int MAX_WIDTH = 1 << 20;
    /** Most entries of a list of widths: an {@code mlp}'s hidden layers, a {@code cnn}'s blocks or hidden layers. */
    public static final int MAX_HIDDEN_LAYERS = 1000;
    /**
     * Most parameters of a built-in model: its float32 values (2 GB) and its safetensors file must each fit one Java
     * array.
     */
    public static final long MAX_PARAMETERS = 500_000_000;

    private Architectures() {
    }

    public static List<String> names() {
        return List.of("mlp", "softmax", ConvArchitecture.NAME);
    }

    /**
     * The number of float parameters the architecture would have, computed exactly without building it.
     *
     * @throws IllegalArgumentException naming the field, for an unknown architecture or parameter, a value out of
     *                                  range, or a model above {@link #MAX_PARAMETERS}
     */
    public static long parameterCount(String name, Map<String, ?> params) {
        if (ConvArchitecture.NAME.equals(name)) {
            return cnn(params).spec().parameterCount();
        }
        return count(checkedWidths(name, params));
    }

    /** The architecture, after {@link #parameterCount}'s checks. */
    public static Architecture create(String name, Map<String, ?> params) {
        if (ConvArchitecture.NAME.equals(name)) {
            return cnn(params);
        }
        int[] widths = checkedWidths(name, params);
        int classes = widths[widths.length - 1];
        return switch (name) {
            case "softmax" -> DenseArchitecture.softmaxRegression(widths[0], classes);
            default -> DenseArchitecture.mlp(widths[0], Arrays.copyOfRange(widths, 1, widths.length - 1), classes);
        };
    }

    /** A {@code cnn} from its params, each checked; its constructor checks that the blocks fit and its size. */
    private static ConvArchitecture cnn(Map<String, ?> params) {
        checkKeys(ConvArchitecture.NAME, params, Set.of("inputChannels", "inputHeight", "inputWidth", "convChannels",
                "kernelSize", "hiddenLayers", "numClasses"));
        int channels = positiveInt(params, "inputChannels");
        int height = positiveInt(params, "inputHeight");
        int width = positiveInt(params, "inputWidth");
        long features = (long) channels * height * width;
        if (features > MAX_WIDTH) {
            throw new IllegalArgumentException("model.params: inputChannels x inputHeight x inputWidth is " + features
                    + " input values, more than the " + MAX_WIDTH + " a model may read");
        }
        int[] blocks = widthList(params.get("convChannels"), "convChannels");
        if (blocks.length == 0) {
            throw new IllegalArgumentException("model.params.convChannels must list at least one block");
        }
        int kernel = positiveInt(params, "kernelSize");
        int[] hidden = widthList(params.get("hiddenLayers"), "hiddenLayers");
        return new ConvArchitecture(channels, height, width, blocks, kernel, hidden, classes(params));
    }

    private static int[] checkedWidths(String name, Map<String, ?> params) {
        int[] widths = widths(name, params);
        long count = count(widths);
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("model.params: a " + name + " with layer widths " + describe(widths)
                    + " has " + count + " parameters, more than the " + MAX_PARAMETERS + " a model may have");
        }
        return widths;
    }

    /** Weights and biases of the dense layers; exact, as widths are at most 2^20 and layers at most 1001. */
    private static long count(int[] widths) {
        long count = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            count += (long) widths[l] * widths[l + 1] + widths[l + 1];
        }
        return count;
    }

    /** Layer widths from input to output, validated. */
    private static int[] widths(String name, Map<String, ?> params) {
        if (name == null || !names().contains(name)) {
            throw new IllegalArgumentException("model.architecture: unknown '" + name + "'; known: " + names());
        }
        Set<String> allowed = new HashSet<>(List.of("inputSize", "numClasses"));
        if ("mlp".equals(name)) {
            allowed.add("hiddenLayers");
        }
        checkKeys(name, params, allowed);
        int input = positiveInt(params, "inputSize");
        int classes = classes(params);
        int[] hidden = "mlp".equals(name) ? widthList(params.get("hiddenLayers"), "hiddenLayers") : new int[0];
        int[] widths = new int[hidden.length + 2];
        widths[0] = input;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        return widths;
    }

    private static void checkKeys(String name, Map<String, ?> params, Set<String> allowed) {
        for (String key : params.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("model.params." + key + ": unknown parameter for architecture '"
                        + name + "'; allowed: " + allowed.stream().sorted().toList());
            }
        }
    }

    private static int classes(Map<String, ?> params) {
        int classes = positiveInt(params, "numClasses");
        if (classes < 2) {
            throw new IllegalArgumentException("model.params.numClasses must be >= 2: " + classes);
        }
        return classes;
    }

    private static int positiveInt(Map<String, ?> params, String key) {
        Object value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("model.params." + key + " is required");
        }
        return toPositiveInt(value, "model.params." + key);
    }

    /** A list of layer widths (hidden layers, conv channels), each in [1, {@link #MAX_WIDTH}]. */
    private static int[] widthList(Object value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("model.params." + key + " is required (a list of layer widths)");
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("model.params." + key + " must be a list of positive integers");
        }
        if (list.size() > MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("model.params." + key + " holds " + list.size()
                    + " layers, more than the " + MAX_HIDDEN_LAYERS + " a model may have");
        }
        int[] widths = new int[list.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = toPositiveInt(list.get(i), "model.params." + key + "[" + i + "]");
        }
        return widths;
    }

    private static int toPositiveInt(Object value, String field) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= 1 && n.doubleValue() <= MAX_WIDTH) {
            return n.intValue();
        }
        throw new IllegalArgumentException(field + " must be an integer in [1, " + MAX_WIDTH + "]: " + value);
    }

    /** Widths for a message: all of them when few, else the first and last few. */
    private static String describe(int[] widths) {
        if (widths.length <= 8) {
            return Arrays.toString(widths);
        }
        return "[" + widths[0] + ", " + widths[1] + ", " + widths[2] + ", ... (" + widths.length + " layers) ..., "
                + widths[widths.length - 2] + ", " + widths[widths.length - 1] + "]";
    }
}
