#!/bin/bash
# One local DP-SGD run, naive against ghost clipping (docs/privacy.md, "One local DP-SGD run"): Fashion-MNIST split
# into 100 clients (Dirichlet 0.5), the MLP 784-200-10, FedAvg, 10 clients per round, 4 rounds, every client
# training by local DP-SGD (sigma 1, clip 1, batch 32, 1 epoch, seeded noise). Same seed for both, so the two runs
# must reach the same model; wall time and peak RSS from /usr/bin/time -v.
# Usage: docs/experiments/local-dpsgd.sh OUT_DIR   (after
#   ./mvnw -q -B -o -ntp -pl client-sdk -am test-compile dependency:build-classpath \
#       -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test)
set -euo pipefail
out=${1:?output directory}
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
cp="client-sdk/target/classes:$(cat client-sdk/target/bench.classpath)"
for mode in ghost naive; do
    start=$SECONDS
    /usr/bin/time -v -o "$out/$mode.time" nice -n 19 $java --add-modules jdk.incubator.vector \
        --enable-native-access=ALL-UNNAMED -cp "$cp" dev.hansa.client.cli.SimulateCommand \
        --clients 100 --per-round 10 --rounds 4 --model mlp --eval-every 4 --threads 1 --seed 1 \
        --local-dp-noise-multiplier 1.0 --local-dp-clip 1.0 --local-dp-clipping "$mode" \
        --csv "$out/$mode.csv" > "$out/$mode.out" 2> "$out/$mode.log"
    echo "$mode $((SECONDS - start)) s" >> "$out/times.txt"
done
