#!/bin/bash
# DP-FedAvg, DP-GD and DIFF2 at the same epsilon on Fashion-MNIST (docs/privacy.md, "DIFF2 against DP-FedAvg"):
# 1000 clients (Dirichlet 0.5), softmax, Poisson sampling q = 0.1 (about 100 clients per round), 100 rounds,
# delta 1e-5, noise multiplier 1 in every round of every method, so all spend the same epsilon (7.90 RDP, 7.05 PLD).
# DP-FedAvg: the strategy's defaults (1 local epoch, batch 32, lr 0.05), clip 1. DP-GD: diff2 with restart period 1
# (a clipped full local gradient from every sampled client every round), clip 1. DIFF2: restart period T, gradient
# clip C1 = 1, difference clip C2 times the last step.
# Usage: docs/experiments/diff2-fmnist.sh sweep OUT_DIR     the one-seed tuning runs (eta, T, C2)
#        docs/experiments/diff2-fmnist.sh compare OUT_DIR   the three methods at seeds 1, 2, 3
# (needs server/target/hansa-server-0.1.0-SNAPSHOT.jar)
set -euo pipefail
mode=${1:?sweep or compare}
out=${2:?output directory}
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java --add-modules jdk.incubator.vector"
java="$java --enable-native-access=ALL-UNNAMED -jar server/target/hansa-server-0.1.0-SNAPSHOT.jar"
common="simulate --clients 1000 --rounds 100 --per-round 100 --model softmax --sampler poisson --eval-every 10
        --threads 2 --dp-noise-multiplier 1 --dp-clip 1"
run() {
    local name=$1
    shift
    local start=$SECONDS
    nice -n 19 $java $common --csv "$out/$name.csv" "$@" > "$out/$name.log" 2>&1
    echo "$name $((SECONDS - start)) s" >> "$out/times.txt"
}
fedavg() { run "$1" --strategy-param weighting=uniform "${@:2}"; }
diff2() {  # name eta T C2 [flags]
    run "$1" --strategy diff2 --strategy-param serverLearningRate="$2" --strategy-param restartPeriod="$3" \
        --dp-difference-clip-factor "$4" "${@:5}"
}
case $mode in
sweep)
    fedavg fedavg
    for eta in 0.1 0.3 1; do
        diff2 "dpgd-eta$eta" "$eta" 1 1
    done
    for eta in 0.1 0.3; do
        for c2 in 1 10; do
            diff2 "diff2-eta$eta-T10-c$c2" "$eta" 10 "$c2"
        done
    done
    diff2 diff2-eta0.3-T10-c0.3 0.3 10 0.3
    diff2 diff2-eta0.3-T3-c1 0.3 3 1
    diff2 diff2-eta1-T10-c0.3 1 10 0.3
    ;;
compare)
    for seed in 1 2 3; do
        fedavg "fedavg-s$seed" --seed "$seed"
        diff2 "dpgd-s$seed" 0.3 1 1 --seed "$seed"
        diff2 "diff2-s$seed" 0.3 3 1 --seed "$seed"
    done
    ;;
*)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
