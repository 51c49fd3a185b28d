package dev.hansa.server.console;

import dev.hansa.aggregation.sampling.Samplers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.validation.Errors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The create-federation form: every section of a federation config (docs/protocol.md), as text the person typed.
 * {@link #toConfig} turns it into the same JSON body the REST API takes, so one parser
 * ({@code FederationConfig.parse}) validates both; an empty box leaves its field out and the config's default
 * applies. Free-form sections (model, strategy and training parameters, aggregator parameters, pre-aggregators)
 * are JSON boxes. The form has no id, state or budget: those are not the creator's to set.
 */
class FederationForm {

    /** A form field and where it lands in the config, in the order the config's error messages name them. */
    record Binding(String field, String path, Kind kind, Function<FederationForm, String> value) {
    }

    enum Kind { TEXT, NUMBER, JSON, FLAG }

    static final List<Binding> BINDINGS = List.of(
            new Binding("name", "name", Kind.TEXT, FederationForm::getName),
            new Binding("architecture", "model.architecture", Kind.TEXT, FederationForm::getArchitecture),
            new Binding("modelParams", "model.params", Kind.JSON, FederationForm::getModelParams),
            new Binding("modelSeed", "model.seed", Kind.NUMBER, FederationForm::getModelSeed),
            new Binding("strategy", "strategy.name", Kind.TEXT, FederationForm::getStrategy),
            new Binding("strategyParams", "strategy.params", Kind.JSON, FederationForm::getStrategyParams),
            new Binding("learningRate", "training.learningRate", Kind.NUMBER, FederationForm::getLearningRate),
            new Binding("batchSize", "training.batchSize", Kind.NUMBER, FederationForm::getBatchSize),
            new Binding("localEpochs", "training.localEpochs", Kind.NUMBER, FederationForm::getLocalEpochs),
            new Binding("localSteps", "training.localSteps", Kind.NUMBER, FederationForm::getLocalSteps),
            new Binding("trainingParams", "training.params", Kind.JSON, FederationForm::getTrainingParams),
            new Binding("codec", "update.codec", Kind.TEXT, FederationForm::getCodec),
            new Binding("k", "update.k", Kind.NUMBER, FederationForm::getK),
            new Binding("clipNorm", "update.clipNorm", Kind.NUMBER, FederationForm::getClipNorm),
            new Binding("errorFeedback", "update.errorFeedback", Kind.FLAG, FederationForm::getErrorFeedback),
            new Binding("aggregator", "robustness.aggregator", Kind.TEXT, FederationForm::getAggregator),
            new Binding("f", "robustness.f", Kind.NUMBER, FederationForm::getF),
            new Binding("aggregatorParams", "robustness.aggregatorParams", Kind.JSON,
                    FederationForm::getAggregatorParams),
            new Binding("preAggregators", "robustness.preAggregators", Kind.JSON, FederationForm::getPreAggregators),
            new Binding("maxUpdateNorm", "robustness.maxUpdateNorm", Kind.NUMBER, FederationForm::getMaxUpdateNorm),
            new Binding("onNormExceeded", "robustness.onNormExceeded", Kind.TEXT, FederationForm::getOnNormExceeded),
            new Binding("maxSamplesPerUpdate", "robustness.maxSamplesPerUpdate", Kind.NUMBER,
                    FederationForm::getMaxSamplesPerUpdate),
            new Binding("rounds", "schedule.rounds", Kind.NUMBER, FederationForm::getRounds),
            new Binding("sampler", "schedule.sampler", Kind.TEXT, FederationForm::getSampler),
            new Binding("clientFraction", "schedule.clientFraction", Kind.NUMBER, FederationForm::getClientFraction),
            new Binding("minClients", "schedule.minClients", Kind.NUMBER, FederationForm::getMinClients),
            new Binding("maxClients", "schedule.maxClients", Kind.NUMBER, FederationForm::getMaxClients),
            new Binding("roundDeadlineSeconds", "schedule.roundDeadlineSeconds", Kind.NUMBER,
                    FederationForm::getRoundDeadlineSeconds),
            new Binding("quorumFraction", "schedule.quorumFraction", Kind.NUMBER, FederationForm::getQuorumFraction),
            new Binding("maxAttempts", "schedule.maxAttempts", Kind.NUMBER, FederationForm::getMaxAttempts),
            new Binding("seed", "seed", Kind.NUMBER, FederationForm::getSeed));

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

    /**
     * The config as JSON-shaped maps, or empty when a box does not even parse (a number that is not one, JSON that
     * is not JSON): then {@code errors} names that field.
     */
    Optional<Map<String, Object>> toConfig(ObjectMapper json, Errors errors) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Binding b : BINDINGS) {
            String text = b.value().apply(this);
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

    private static Object number(String text) {
        try {
            return text.matches("[-+]?\\d+") ? Long.parseLong(text) : Double.parseDouble(text);
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
}
