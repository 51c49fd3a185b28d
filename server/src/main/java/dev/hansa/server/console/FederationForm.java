package dev.hansa.server.console;

import dev.hansa.aggregation.sampling.Samplers;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.validation.Errors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The federation config form, for creating a federation and for editing one that has not started: every section of
 * a federation config (docs/protocol.md), as text the person typed: privacy with either mechanism (DP-FedAvg with
 * DIFF2's difference fields, or DP-FTRL's tree), L-GreCo's {@code update.lgreco}. {@link #toConfig} turns it
 * into the same JSON body the REST API takes, so one parser ({@code FederationConfig.parse}) validates both; an
 * empty box leaves its field out and the config's default applies, and a section whose boxes are all empty is left
 * out (a federation without a {@code privacy} section is not private). {@link #of} fills the form from a stored
 * config. Free-form parts (model, strategy, training, codec, error feedback and aggregator parameters,
 * pre-aggregators) are JSON boxes. The form has no id, state or owner: those are not the creator's to set; the
 * privacy budget ({@code privacy.epsilon}) is.
 */
class FederationForm {

    /** A form field (a bean property of the form) and where it lands in the config. */
    record Binding(String field, String path, Kind kind) {
    }

    enum Kind { TEXT, NUMBER, JSON, FLAG }

    static final List<Binding> BINDINGS = List.of(
            new Binding("name", "name", Kind.TEXT),
            new Binding("architecture", "model.architecture", Kind.TEXT),
            new Binding("modelParams", "model.params", Kind.JSON),
            new Binding("modelSeed", "model.seed", Kind.NUMBER),
            new Binding("strategy", "strategy.name", Kind.TEXT),
            new Binding("strategyParams", "strategy.params", Kind.JSON),
            new Binding("learningRate", "training.learningRate", Kind.NUMBER),
            new Binding("batchSize", "training.batchSize", Kind.NUMBER),
            new Binding("localEpochs", "training.localEpochs", Kind.NUMBER),
            new Binding("localSteps", "training.localSteps", Kind.NUMBER),
            new Binding("trainingParams", "training.params", Kind.JSON),
            new Binding("codec", "update.codec", Kind.TEXT),
            new Binding("k", "update.k", Kind.NUMBER),
            new Binding("clipNorm", "update.clipNorm", Kind.NUMBER),
            new Binding("errorFeedback", "update.errorFeedback", Kind.FLAG),
            new Binding("codecParams", "update.params", Kind.JSON),
            new Binding("errorFeedbackRule", "update.errorFeedbackRule", Kind.TEXT),
            new Binding("errorFeedbackParams", "update.errorFeedbackParams", Kind.JSON),
            new Binding("lgrecoEvery", "update.lgreco.every", Kind.NUMBER),
            new Binding("lgrecoOptions", "update.lgreco.options", Kind.NUMBER),
            new Binding("aggregator", "robustness.aggregator", Kind.TEXT),
            new Binding("f", "robustness.f", Kind.NUMBER),
            new Binding("aggregatorParams", "robustness.aggregatorParams", Kind.JSON),
            new Binding("preAggregators", "robustness.preAggregators", Kind.JSON),
            new Binding("maxUpdateNorm", "robustness.maxUpdateNorm", Kind.NUMBER),
            new Binding("onNormExceeded", "robustness.onNormExceeded", Kind.TEXT),
            new Binding("maxSamplesPerUpdate", "robustness.maxSamplesPerUpdate", Kind.NUMBER),
            new Binding("rounds", "schedule.rounds", Kind.NUMBER),
            new Binding("sampler", "schedule.sampler", Kind.TEXT),
            new Binding("clientFraction", "schedule.clientFraction", Kind.NUMBER),
            new Binding("minClients", "schedule.minClients", Kind.NUMBER),
            new Binding("maxClients", "schedule.maxClients", Kind.NUMBER),
            new Binding("roundDeadlineSeconds", "schedule.roundDeadlineSeconds", Kind.NUMBER),
            new Binding("quorumFraction", "schedule.quorumFraction", Kind.NUMBER),
            new Binding("maxAttempts", "schedule.maxAttempts", Kind.NUMBER),
            new Binding("dpMechanism", "privacy.mechanism", Kind.TEXT),
            new Binding("dpNoiseMultiplier", "privacy.noiseMultiplier", Kind.NUMBER),
            new Binding("dpTargetEpsilon", "privacy.targetEpsilon", Kind.NUMBER),
            new Binding("dpClipNorm", "privacy.clipNorm", Kind.NUMBER),
            new Binding("dpAdaptiveClipping", "privacy.adaptiveClipping", Kind.FLAG),
            new Binding("dpTargetQuantile", "privacy.targetQuantile", Kind.NUMBER),
            new Binding("dpClipLearningRate", "privacy.clipLearningRate", Kind.NUMBER),
            new Binding("dpClippedCountStddev", "privacy.clippedCountStddev", Kind.NUMBER),
            new Binding("dpSamplingRate", "privacy.samplingRate", Kind.NUMBER),
            new Binding("dpEpsilon", "privacy.epsilon", Kind.NUMBER),
            new Binding("dpDelta", "privacy.delta", Kind.NUMBER),
            new Binding("dpDenominator", "privacy.denominator", Kind.TEXT),
            new Binding("dpDifferenceClipFactor", "privacy.differenceClipFactor", Kind.NUMBER),
            new Binding("dpDifferenceNoiseMultiplier", "privacy.differenceNoiseMultiplier", Kind.NUMBER),
            new Binding("dpClientsPerRound", "privacy.clientsPerRound", Kind.NUMBER),
            new Binding("dpTree", "privacy.tree", Kind.TEXT),
            new Binding("dpRestartEvery", "privacy.restartEvery", Kind.NUMBER),
            new Binding("dpRestartWarmup", "privacy.restartWarmup", Kind.NUMBER),
            new Binding("dpMaxParticipations", "privacy.maxParticipations", Kind.NUMBER),
            new Binding("dpMinSeparation", "privacy.minSeparation", Kind.NUMBER),
            new Binding("seed", "seed", Kind.NUMBER));

    private String name = "";
    private String architecture = "mlp";
    private String modelParams = "{\"inputSize\": 784, \"hiddenLayers\": [200], \"numClasses\": 10}";
    private String modelSeed = "";
    private String strategy = "fedavg";
    private String strategyParams = "";
    private String learningRate = "0.03";
    private String batchSize = "32";
    private String localEpochs = "1";
    private String localSteps = "";
    private String trainingParams = "";
    private String codec = "dense";
    private String k = "";
    private String clipNorm = "";
    private String errorFeedback = "";
    private String codecParams = "";
    private String errorFeedbackRule = "";
    private String errorFeedbackParams = "";
    private String aggregator = "mean";
    private String f = "";
    private String aggregatorParams = "";
    private String preAggregators = "";
    private String maxUpdateNorm = "";
    private String onNormExceeded = "reject";
    private String maxSamplesPerUpdate = "";
    private String rounds = "20";
    private String sampler = Samplers.UNIFORM;
    private String clientFraction = "1.0";
    private String minClients = "2";
    private String maxClients = "";
    private String roundDeadlineSeconds = "600";
    private String quorumFraction = "0.8";
    private String maxAttempts = "3";
    private String seed = "";
    private String dpNoiseMultiplier = "";
    private String dpTargetEpsilon = "";
    private String dpClipNorm = "";
    private String dpAdaptiveClipping = "";
    private String dpTargetQuantile = "";
    private String dpClipLearningRate = "";
    private String dpClippedCountStddev = "";
    private String dpSamplingRate = "";
    private String dpEpsilon = "";
    private String dpDelta = "";
    private String dpDenominator = "";
    private String lgrecoEvery = "";
    private String lgrecoOptions = "";
    private String dpMechanism = "";
    private String dpDifferenceClipFactor = "";
    private String dpDifferenceNoiseMultiplier = "";
    private String dpClientsPerRound = "";
    private String dpTree = "";
    private String dpRestartEvery = "";
    private String dpRestartWarmup = "";
    private String dpMaxParticipations = "";
    private String dpMinSeparation = "";

    /**
     * The config as JSON-shaped maps, or empty when a box does not even parse (a number that is not one, JSON that
     * is not JSON): then {@code errors} names that field.
     */
    Optional<Map<String, Object>> toConfig(ObjectMapper json, Errors errors) {
        Map<String, Object> config = new LinkedHashMap<>();
        BeanWrapper fields = new BeanWrapperImpl(this);
        for (Binding b : BINDINGS) {
            String text = (String) fields.getPropertyValue(b.field());
            if (text == null || text.isBlank()) {
                continue;
            }
            Object value = switch (b.kind()) {
                case TEXT -> text.strip();
                case FLAG -> Boolean.parseBoolean(text.strip());
                case NUMBER -> number(text.strip());
                case JSON -> json(json, text);
            };
            if (value == null) {
                errors.rejectValue(b.field(), "invalid", b.kind() == Kind.NUMBER
                        ? b.path() + " must be a number: " + text.strip()
                        : b.path() + " is not valid JSON: " + text.strip());
                continue;
            }
            put(config, b.path(), value);
        }
        return errors.hasErrors() ? Optional.empty() : Optional.of(config);
    }

    /**
     * The form filled from a stored config (JSON-shaped, as {@code FederationConfig.toMap} gives it): each field
     * shows its value, a box whose field the config does not hold (or holds as an empty object or list) stays empty.
     */
    static FederationForm of(Map<String, Object> config, ObjectMapper json) {
        FederationForm form = new FederationForm();
        BeanWrapper fields = new BeanWrapperImpl(form);
        for (Binding b : BINDINGS) {
            fields.setPropertyValue(b.field(), text(b.kind(), at(config, b.path()), json));
        }
        return form;
    }

    private static String text(Kind kind, Object value, ObjectMapper json) {
        if (value == null || (value instanceof Map<?, ?> m && m.isEmpty())
                || (value instanceof Collection<?> c && c.isEmpty())) {
            return "";
        }
        return switch (kind) {
            case TEXT -> value.toString();
            // unchecked is the same as absent: error feedback and adaptive clipping are off by default
            case FLAG -> Boolean.TRUE.equals(value) ? "true" : "";
            case NUMBER -> numberText(value);
            case JSON -> json.writeValueAsString(value);
        };
    }

    /**
     * A number as a person would type it: 1e-5 reads 0.00001. A real keeps its point (1.0, not 1), so that a config
     * saved unchanged is stored unchanged.
     */
    private static String numberText(Object value) {
        String text = new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        boolean real = value instanceof Double || value instanceof Float;
        return real && !text.contains(".") ? text + ".0" : text;
    }

    /** The value at a dotted path of nested maps, or null where a part of the path is missing. */
    private static Object at(Map<String, Object> config, String path) {
        Object value = config;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> section)) {
                return null;
            }
            value = section.get(part);
        }
        return value;
    }

    /**
     * The form field an error message of the config parser is about: the binding whose path is the longest prefix
     * of the path the message starts with ({@code schedule.minClients (3) must not exceed ...} is about
     * {@code minClients}), or empty for a message about the config as a whole.
     */
    static Optional<String> fieldOf(String message) {
        String path = message.split("[\\s:(]", 2)[0];
        Binding best = null;
        for (Binding b : BINDINGS) {
            boolean covers = path.equals(b.path()) || path.startsWith(b.path() + ".")
                    || path.startsWith(b.path() + "[");
            if (covers && (best == null || b.path().length() > best.path().length())) {
                best = b;
            }
        }
        return Optional.ofNullable(best).map(Binding::field);
    }

    /** An integer as a Long, anything else as a Double (a conditional expression would make both a double). */
    private static Object number(String text) {
        try {
            if (text.matches("[-+]?\\d+")) {
                return Long.parseLong(text);
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object json(ObjectMapper json, String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> config, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> section = config;
        for (int i = 0; i < parts.length - 1; i++) {
            section = (Map<String, Object>) section.computeIfAbsent(parts[i], key -> new LinkedHashMap<>());
        }
        section.put(parts[parts.length - 1], value);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getArchitecture() {
        return architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public String getModelParams() {
        return modelParams;
    }

    public void setModelParams(String modelParams) {
        this.modelParams = modelParams;
    }

    public String getModelSeed() {
        return modelSeed;
    }

    public void setModelSeed(String modelSeed) {
        this.modelSeed = modelSeed;
    }

    public String getStrategy() {
        return strategy;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }

    public String getStrategyParams() {
        return strategyParams;
    }

    public void setStrategyParams(String strategyParams) {
        this.strategyParams = strategyParams;
    }

    public String getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(String learningRate) {
        this.learningRate = learningRate;
    }

    public String getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(String batchSize) {
        this.batchSize = batchSize;
    }

    public String getLocalEpochs() {
        return localEpochs;
    }

    public void setLocalEpochs(String localEpochs) {
        this.localEpochs = localEpochs;
    }

    public String getLocalSteps() {
        return localSteps;
    }

    public void setLocalSteps(String localSteps) {
        this.localSteps = localSteps;
    }

    public String getTrainingParams() {
        return trainingParams;
    }

    public void setTrainingParams(String trainingParams) {
        this.trainingParams = trainingParams;
    }

    public String getCodec() {
        return codec;
    }

    public void setCodec(String codec) {
        this.codec = codec;
    }

    public String getK() {
        return k;
    }

    public void setK(String k) {
        this.k = k;
    }

    public String getClipNorm() {
        return clipNorm;
    }

    public void setClipNorm(String clipNorm) {
        this.clipNorm = clipNorm;
    }

    public String getErrorFeedback() {
        return errorFeedback;
    }

    public void setErrorFeedback(String errorFeedback) {
        this.errorFeedback = errorFeedback;
    }

    public String getAggregator() {
        return aggregator;
    }

    public void setAggregator(String aggregator) {
        this.aggregator = aggregator;
    }

    public String getF() {
        return f;
    }

    public void setF(String f) {
        this.f = f;
    }

    public String getAggregatorParams() {
        return aggregatorParams;
    }

    public void setAggregatorParams(String aggregatorParams) {
        this.aggregatorParams = aggregatorParams;
    }

    public String getPreAggregators() {
        return preAggregators;
    }

    public void setPreAggregators(String preAggregators) {
        this.preAggregators = preAggregators;
    }

    public String getMaxUpdateNorm() {
        return maxUpdateNorm;
    }

    public void setMaxUpdateNorm(String maxUpdateNorm) {
        this.maxUpdateNorm = maxUpdateNorm;
    }

    public String getOnNormExceeded() {
        return onNormExceeded;
    }

    public void setOnNormExceeded(String onNormExceeded) {
        this.onNormExceeded = onNormExceeded;
    }

    public String getMaxSamplesPerUpdate() {
        return maxSamplesPerUpdate;
    }

    public void setMaxSamplesPerUpdate(String maxSamplesPerUpdate) {
        this.maxSamplesPerUpdate = maxSamplesPerUpdate;
    }

    public String getRounds() {
        return rounds;
    }

    public void setRounds(String rounds) {
        this.rounds = rounds;
    }

    public String getSampler() {
        return sampler;
    }

    public void setSampler(String sampler) {
        this.sampler = sampler;
    }

    public String getClientFraction() {
        return clientFraction;
    }

    public void setClientFraction(String clientFraction) {
        this.clientFraction = clientFraction;
    }

    public String getMinClients() {
        return minClients;
    }

    public void setMinClients(String minClients) {
        this.minClients = minClients;
    }

    public String getMaxClients() {
        return maxClients;
    }

    public void setMaxClients(String maxClients) {
        this.maxClients = maxClients;
    }

    public String getRoundDeadlineSeconds() {
        return roundDeadlineSeconds;
    }

    public void setRoundDeadlineSeconds(String roundDeadlineSeconds) {
        this.roundDeadlineSeconds = roundDeadlineSeconds;
    }

    public String getQuorumFraction() {
        return quorumFraction;
    }

    public void setQuorumFraction(String quorumFraction) {
        this.quorumFraction = quorumFraction;
    }

    public String getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(String maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getSeed() {
        return seed;
    }

    public void setSeed(String seed) {
        this.seed = seed;
    }

    public String getCodecParams() {
        return codecParams;
    }

    public void setCodecParams(String codecParams) {
        this.codecParams = codecParams;
    }

    public String getErrorFeedbackRule() {
        return errorFeedbackRule;
    }

    public void setErrorFeedbackRule(String errorFeedbackRule) {
        this.errorFeedbackRule = errorFeedbackRule;
    }

    public String getErrorFeedbackParams() {
        return errorFeedbackParams;
    }

    public void setErrorFeedbackParams(String errorFeedbackParams) {
        this.errorFeedbackParams = errorFeedbackParams;
    }

    public String getDpNoiseMultiplier() {
        return dpNoiseMultiplier;
    }

    public void setDpNoiseMultiplier(String dpNoiseMultiplier) {
        this.dpNoiseMultiplier = dpNoiseMultiplier;
    }

    public String getDpTargetEpsilon() {
        return dpTargetEpsilon;
    }

    public void setDpTargetEpsilon(String dpTargetEpsilon) {
        this.dpTargetEpsilon = dpTargetEpsilon;
    }

    public String getDpClipNorm() {
        return dpClipNorm;
    }

    public void setDpClipNorm(String dpClipNorm) {
        this.dpClipNorm = dpClipNorm;
    }

    public String getDpAdaptiveClipping() {
        return dpAdaptiveClipping;
    }

    public void setDpAdaptiveClipping(String dpAdaptiveClipping) {
        this.dpAdaptiveClipping = dpAdaptiveClipping;
    }

    public String getDpTargetQuantile() {
        return dpTargetQuantile;
    }

    public void setDpTargetQuantile(String dpTargetQuantile) {
        this.dpTargetQuantile = dpTargetQuantile;
    }

    public String getDpClipLearningRate() {
        return dpClipLearningRate;
    }

    public void setDpClipLearningRate(String dpClipLearningRate) {
        this.dpClipLearningRate = dpClipLearningRate;
    }

    public String getDpClippedCountStddev() {
        return dpClippedCountStddev;
    }

    public void setDpClippedCountStddev(String dpClippedCountStddev) {
        this.dpClippedCountStddev = dpClippedCountStddev;
    }

    public String getDpSamplingRate() {
        return dpSamplingRate;
    }

    public void setDpSamplingRate(String dpSamplingRate) {
        this.dpSamplingRate = dpSamplingRate;
    }

    public String getDpEpsilon() {
        return dpEpsilon;
    }

    public void setDpEpsilon(String dpEpsilon) {
        this.dpEpsilon = dpEpsilon;
    }

    public String getDpDelta() {
        return dpDelta;
    }

    public void setDpDelta(String dpDelta) {
        this.dpDelta = dpDelta;
    }

    public String getDpDenominator() {
        return dpDenominator;
    }

    public void setDpDenominator(String dpDenominator) {
        this.dpDenominator = dpDenominator;
    }

    public String getLgrecoEvery() {
        return lgrecoEvery;
    }

    public void setLgrecoEvery(String lgrecoEvery) {
        this.lgrecoEvery = lgrecoEvery;
    }

    public String getLgrecoOptions() {
        return lgrecoOptions;
    }

    public void setLgrecoOptions(String lgrecoOptions) {
        this.lgrecoOptions = lgrecoOptions;
    }

    public String getDpMechanism() {
        return dpMechanism;
    }

    public void setDpMechanism(String dpMechanism) {
        this.dpMechanism = dpMechanism;
    }

    public String getDpDifferenceClipFactor() {
        return dpDifferenceClipFactor;
    }

    public void setDpDifferenceClipFactor(String dpDifferenceClipFactor) {
        this.dpDifferenceClipFactor = dpDifferenceClipFactor;
    }

    public String getDpDifferenceNoiseMultiplier() {
        return dpDifferenceNoiseMultiplier;
    }

    public void setDpDifferenceNoiseMultiplier(String dpDifferenceNoiseMultiplier) {
        this.dpDifferenceNoiseMultiplier = dpDifferenceNoiseMultiplier;
    }

    public String getDpClientsPerRound() {
        return dpClientsPerRound;
    }

    public void setDpClientsPerRound(String dpClientsPerRound) {
        this.dpClientsPerRound = dpClientsPerRound;
    }

    public String getDpTree() {
        return dpTree;
    }

    public void setDpTree(String dpTree) {
        this.dpTree = dpTree;
    }

    public String getDpRestartEvery() {
        return dpRestartEvery;
    }

    public void setDpRestartEvery(String dpRestartEvery) {
        this.dpRestartEvery = dpRestartEvery;
    }

    public String getDpRestartWarmup() {
        return dpRestartWarmup;
    }

    public void setDpRestartWarmup(String dpRestartWarmup) {
        this.dpRestartWarmup = dpRestartWarmup;
    }

    public String getDpMaxParticipations() {
        return dpMaxParticipations;
    }

    public void setDpMaxParticipations(String dpMaxParticipations) {
        this.dpMaxParticipations = dpMaxParticipations;
    }

    public String getDpMinSeparation() {
        return dpMinSeparation;
    }

    public void setDpMinSeparation(String dpMinSeparation) {
        this.dpMinSeparation = dpMinSeparation;
    }
}
