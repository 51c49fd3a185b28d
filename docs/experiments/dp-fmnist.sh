#!/bin/bash
# Client-level DP-FedAvg on Fashion-MNIST (docs/privacy.md, "Experiment"): 1000 clients (Dirichlet 0.5), softmax,
# Poisson sampling q = 0.1 (about 100 clients per round), 100 rounds, delta 1e-5, fixed clip 1 at noise multipliers
# 0.7, 1, 2, 4, adaptive clipping at 1, and the non-private baseline with the same sampling and uniform weights.
# Usage: docs/experiments/dp-fmnist.sh OUT_DIR   (needs server/target/hansa-server-0.1.0-SNAPSHOT.jar)
set -euo pipefail
out=${1:?output directory}
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java --add-modules jdk.incubator.vector"
java="$java --enable-native-access=ALL-UNNAMED -jar server/target/hansa-server-0.1.0-SNAPSHOT.jar"
common="simulate --clients 1000 --rounds 100 --per-round 100 --model softmax --sampler poisson
        --strategy-param weighting=uniform --eval-every 10 --threads 2"
run() {
    local name=$1
    shift
    local start=$SECONDS
    nice -n 19 $java $common --csv "$out/$name.csv" "$@" > "$out/$name.log" 2>&1
    echo "$name $((SECONDS - start)) s" >> "$out/times.txt"
}
run baseline
for z in 0.7 1 2 4; do
    run "z$z" --dp-noise-multiplier "$z" --dp-clip 1
done
run adaptive-z1 --dp-noise-multiplier 1 --dp-adaptive-clip true
