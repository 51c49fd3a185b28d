#!/usr/bin/env bash
# The first accuracy-versus-uploaded-bytes runs of docs/communication.md: FedAvg on Fashion-MNIST, 100 clients, 10 per
# round, Dirichlet 0.5, MLP 784-200-10 (the protocol of docs/experiments.md), dense against every codec with error
# feedback and the biased ones (top-k, sign, rand-k, count sketch, e3m0) and qsgd also without, and FetchSGD (strategy
# fetchsgd, its sketches merged on the server) at the bytes of countsketch and of topk, one seed. Then the plot and
# table (plot_communication.py). Runs in order of interest, so an interrupted run has the important ones.
#
#   docs/experiments/communication.sh          every run (skipping those whose CSV is complete), then the plot
#   docs/experiments/communication.sh plot     the plot and table from the CSVs already there
#   docs/experiments/communication.sh fetchsgd only dense, FetchSGD's runs, topk-1pct-ef and countsketch-5x3200
#
# Needs JDK 25 (JAVA_HOME), Debian's dataset-fashion-mnist and python3-matplotlib. Environment: ROUNDS (50),
# SEED (1), ALPHA (0.5), PER_ROUND (10), EVAL_EVERY (5), RESULTS (docs/experiments/results/communication), JAR (else
# server/target's, built if absent), ONLY (space-separated run labels, e.g. "dense sparseloco-decayed": only those
# runs; default every run), PLOT (the PNG to draw, docs/img/communication.png).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds="${ROUNDS:-50}"
seed="${SEED:-1}"
alpha="${ALPHA:-0.5}"
per_round="${PER_ROUND:-10}"
eval_every="${EVAL_EVERY:-5}"
results="${RESULTS:-docs/experiments/results/communication}"
mode="${1:-run}"

# label|codec options|with error feedback only (1) or also without (0). k = 1% for the sparse codecs; qsgd with
# s = 1 (2-bit codes); sparseloco at SparseLoCo's settings; a 5 x 3200 count sketch (64 KB, a tenth of the dense
# upload) unsketched to 1%; e3m0 (4-bit floats, Streaming DiLoCo's exchange) with scales per 512 values.
codecs=(
  "topk-1pct|--codec topk --codec-k 0.01|0"
  "sparseloco|--codec sparseloco|1"
  "sign|--codec sign|0"
  "qsgd-s1|--codec qsgd --codec-params levels=1|0"
  "countsketch-5x3200|--codec countsketch --codec-k 0.01 --codec-params rows=5,columns=3200|0"
  "randk-1pct|--codec randk --codec-k 0.01|0"
  "bf16|--codec bf16|1"
  "fp16|--codec fp16|1"
  "e3m0|--codec e3m0|0"
)
# FetchSGD (strategy fetchsgd, docs/algorithms.md): the server sums the clients' count sketches and unsketches once per
# round, with momentum (rho = 0.9) and error in sketch space. label|options; the later --strategy wins over common's
# fedavg. 5 x 3200 cells is countsketch-5x3200's upload (64 KB), k = 1% as there; 5 x 560 cells is topk-1pct's
# upload (11.2 KB), k = 0.1% (159 heavy hitters in 560 columns).
fetchsgd=(
  "fetchsgd-5x3200|--codec-params rows=5,columns=3200 --strategy-param k=0.01"
  "fetchsgd-5x560|--codec-params rows=5,columns=560 --strategy-param k=0.001"
)
# Seed 1 only: no server momentum, the paper's subtraction instead of the code's zeroing, k = 0.2% (FetchSGD's own
# ratio of columns to k, 10), and two more sizes: 5 x 1600 cells (32 KB) with k = 0.2%, 5 x 6400 (128 KB) with k = 1%.
fetchsgd_seed1=(
  "fetchsgd-5x1600|--codec-params rows=5,columns=1600 --strategy-param k=0.002"
  "fetchsgd-5x6400|--codec-params rows=5,columns=6400 --strategy-param k=0.01"
  "fetchsgd-5x3200-rho0|--codec-params rows=5,columns=3200 --strategy-param k=0.01 --strategy-param serverMomentum=0"
  "fetchsgd-5x3200-subtract|--codec-params rows=5,columns=3200 --strategy-param k=0.01 --strategy-param errorReset=subtract"
  "fetchsgd-5x3200-k0.2pct|--codec-params rows=5,columns=3200 --strategy-param k=0.002"
)
common=(--dataset fashion-mnist --clients 100 --per-round "$per_round" --model mlp --hidden 200 --steps 20 --batch 32
        --backend cpu --strategy fedavg --lr 0.2 --partition "dirichlet:$alpha" --seed "$seed" --rounds "$rounds"
        --eval-every "$eval_every" --threads 2)

# shellcheck source=simulate_run.sh
source "$root/docs/experiments/simulate_run.sh"
# With ONLY set, only the runs it names (a run's name is its CSV's without .csv).
run() {
  if [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $(basename "$1" .csv) "* ]]; then
    simulate_run "$@"
  fi
}

fetchsgd_runs() {
  local extra=()
  [ "$seed" != 1 ] || [ "$per_round" != 10 ] || extra=("${fetchsgd_seed1[@]}")
  for entry in "${fetchsgd[@]}" "${extra[@]}"; do
    IFS='|' read -r label options <<< "$entry"
    # shellcheck disable=SC2086
    run "$results/$label.csv" --strategy fetchsgd $options
  done
}

if [ "$mode" = fetchsgd ]; then
  run "$results/dense.csv"
  run "$results/fetchsgd-5x3200.csv" --strategy fetchsgd --codec-params rows=5,columns=3200 --strategy-param k=0.01
  run "$results/topk-1pct-ef.csv" --codec topk --codec-k 0.01 --error-feedback true
  fetchsgd_runs
  run "$results/countsketch-5x3200.csv" --codec countsketch --codec-k 0.01 --codec-params rows=5,columns=3200
elif [ "$mode" != plot ]; then
  run "$results/dense.csv"
  for entry in "${codecs[@]}"; do
    IFS='|' read -r label options ef_only <<< "$entry"
    # shellcheck disable=SC2086
    run "$results/$label-ef.csv" $options --error-feedback true
  done
  for entry in "${codecs[@]}"; do
    IFS='|' read -r label options ef_only <<< "$entry"
    # shellcheck disable=SC2086
    [ "$ef_only" = 1 ] || run "$results/$label.csv" $options
  done
  # SparseLoCo proper: its decayed error feedback (beta = 0.95) instead of the classic one.
  run "$results/sparseloco-decayed.csv" --codec sparseloco --error-feedback true --error-feedback-rule decayed
  fetchsgd_runs
fi
/usr/bin/python3 docs/experiments/plot_communication.py "$results" "${PLOT:-docs/img/communication.png}"
