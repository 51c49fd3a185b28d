#!/bin/bash
# DP-FTRL against DP-FedAvg at the same epsilon on Fashion-MNIST (docs/privacy.md, "DP-FTRL"): 1000 clients
# (Dirichlet 0.5), softmax, 100 rounds, 100 clients per round, delta 1e-5, clip 1, FedAvg with uniform weights.
# DP-FedAvg: Poisson q = 0.1, z = 1 (epsilon 7.90, the z = 1 run of dp-fmnist.sh). DP-FTRL: no sampling, every client
# at most once per tree, a new tree every 10 rounds (each tree is one pass over the 1000 clients), the noise
# multiplier planned for epsilon 7.90 over the 100 rounds; plain server SGD (DP-FTRL) and server momentum 0.9
# (DP-FTRLM).
# Usage: docs/experiments/dp-ftrl-fmnist.sh OUT_DIR   (needs server/target/hansa-server-0.1.0-SNAPSHOT.jar)
set -euo pipefail
out=${1:?output directory}
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java --add-modules jdk.incubator.vector"
java="$java --enable-native-access=ALL-UNNAMED -jar server/target/hansa-server-0.1.0-SNAPSHOT.jar"
common="simulate --clients 1000 --rounds 100 --per-round 100 --model softmax --strategy-param weighting=uniform
        --eval-every 10 --threads 2 --dp-clip 1"
ftrl="--dp-mechanism dp-ftrl --dp-target-epsilon 7.90 --dp-restart-every 10"
run() {
    local name=$1
    shift
    local start=$SECONDS
    nice -n 19 $java $common --csv "$out/$name.csv" "$@" > "$out/$name.log" 2>&1
    echo "$name $((SECONDS - start)) s" >> "$out/times.txt"
}
run dpfedavg-z1 --sampler poisson --dp-noise-multiplier 1
run dpftrl $ftrl
run dpftrlm --strategy fedavgm --strategy-param serverMomentum=0.9 --strategy-param serverLearningRate=0.1 $ftrl
