#!/usr/bin/env bash
# The DiLoCo family against FedAvg at equal uploaded bytes (docs/communication.md): Fashion-MNIST, 100 clients, 10 per
# round, Dirichlet 0.5, MLP 784-200-10, 20 local steps of batch 32 per round for every method, 50 rounds, seeds 1 to
# 3. Then the plot and table (plot_diloco.py), and the CPU time of every run (times.txt, from the runs' logs).
#
#   docs/experiments/diloco.sh          every run (skipping those whose CSV is complete), then the plot
#   docs/experiments/diloco.sh plot     the plot and table from the CSVs already there
#
# Needs JDK 25 (JAVA_HOME), Debian's dataset-fashion-mnist and python3-matplotlib. Environment: ROUNDS (50),
# SEEDS ("1 2 3"), RESULTS (docs/experiments/results/diloco), JAR (else server/target's, built if absent).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds="${ROUNDS:-50}"
seeds="${SEEDS:-1 2 3}"
results="${RESULTS:-docs/experiments/results/diloco}"
mode="${1:-run}"

# label|options. SGD runs take FedAvg's local rate 0.2 (docs/experiments.md); the AdamW runs the inner rate 3e-3 with
# the papers' betas (0.9, 0.95), weight decay 0.1 and gradient clip 1 (the strategies' defaults). Outer optimisers
# at their published defaults: DiLoCo and Streaming DiLoCo Nesterov 0.7 / 0.9, SparseLoCo SGD 1.0. Streaming DiLoCo
# also with mixing 0 (a merged fragment takes the global value), against the staleness of sampled clients' weights,
# and with the paper's 4-bit exchange (e3m0, scales per 512 values, no error feedback) at both mixings. Both SparseLoCo
# runs also with L-GreCo re-planning each tensor's kPerChunk every 5 rounds (docs/algorithms.md).
sgd_sparseloco="--strategy fedavg --lr 0.2 --codec sparseloco --error-feedback true --error-feedback-rule decayed"
runs=(
  "fedavg|--strategy fedavg --lr 0.2"
  "diloco|--strategy diloco --lr 3e-3"
  "diloco-sgd|--strategy fedavgm --lr 0.2 --strategy-param nesterov=true --strategy-param serverLearningRate=0.7"
  "streamingdiloco|--strategy streamingdiloco --lr 3e-3"
  "streamingdiloco-bf16|--strategy streamingdiloco --lr 3e-3 --codec bf16"
  "streamingdiloco-alpha0|--strategy streamingdiloco --lr 3e-3 --strategy-param mixing=0"
  "streamingdiloco-e3m0|--strategy streamingdiloco --lr 3e-3 --codec e3m0"
  "streamingdiloco-e3m0-alpha0|--strategy streamingdiloco --lr 3e-3 --codec e3m0 --strategy-param mixing=0"
  "sparseloco|--strategy sparseloco --lr 3e-3"
  "sparseloco-sgd|$sgd_sparseloco"
  "sparseloco-lgreco|--strategy sparseloco --lr 3e-3 --lgreco-every 5"
  "sparseloco-sgd-lgreco|$sgd_sparseloco --lgreco-every 5"
)
common=(--dataset fashion-mnist --clients 100 --per-round 10 --model mlp --hidden 200 --steps 20 --batch 32
        --backend cpu --partition dirichlet:0.5 --rounds "$rounds" --eval-every 2 --threads 2)

# shellcheck source=simulate_run.sh
source "$root/docs/experiments/simulate_run.sh"

if [ "$mode" != plot ]; then
  for seed in $seeds; do
    for entry in "${runs[@]}"; do
      IFS='|' read -r label options <<< "$entry"
      # shellcheck disable=SC2086
      run "$results/$label-seed$seed.csv" $options --seed "$seed"
    done
  done
fi
/usr/bin/python3 docs/experiments/plot_diloco.py "$results" docs/img/diloco.png
# Each log's last line is /usr/bin/time's; a run whose log is not here (logs are not committed) keeps its line from
# the times.txt already there. The total is the runs' user + system CPU time.
times="$(mktemp)"
{ grep -H '^time ' "$results"/*.log | sed "s|^$results/||" || true
  grep -v '^total' "$results/times.txt" 2>/dev/null || true; } | sort -s -t: -k1,1 -u > "$times"
awk '{cpu += $5 + $8} END {printf "total %.1f CPU-minutes\n", cpu / 60}' "$times" >> "$times"
mv "$times" "$results/times.txt"
