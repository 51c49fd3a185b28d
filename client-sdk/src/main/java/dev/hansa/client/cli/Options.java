package dev.hansa.client.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options with defaults, typed access and errors that name the option. */
public final class Options {

    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new HashMap<>();

    public Options option(String name, String defaultValue, String description) {
        defaults.put(name, defaultValue);
        help.put(name, description);
        return this;
    }

    /** Parses {@code args}; returns false when --help was asked for. */
    public boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return false;
            }
            if (!arg.startsWith("--") || !defaults.containsKey(arg.substring(2))) {
                throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + arg + " needs a value");
            }
            values.computeIfAbsent(arg.substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return true;
    }

    public String string(String name) {
        List<String> v = values.get(name);
        return v == null ? defaults.get(name) : v.getLast();
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name) {
        try {
            return Integer.parseInt(string(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + string(name));
        }
    }

    public long longValue(String name) {
        try {
            return Long.parseLong(string(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + string(name));
        }
    }

    public double real(String name) {
        try {
            return Double.parseDouble(string(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number: " + string(name));
        }
    }

    public String usage(String command) {
        StringBuilder b = new StringBuilder("usage: " + command + " [options]\n");
        help.forEach((name, text) -> b.append(String.format("  --%-18s %s%s%n", name, text,
                defaults.get(name).isEmpty() ? "" : " (default: " + defaults.get(name) + ")")));
        return b.toString();
    }
}
