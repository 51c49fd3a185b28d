#!/usr/bin/env bash
# L-GreCo over three seeds (docs/communication.md, "L-GreCo"): the federation of communication.sh (FedAvg,
# Fashion-MNIST, 100 clients, 10 per round, Dirichlet 0.5, MLP 784-200-10, 50 rounds, evaluated every 5) with
# L-GreCo re-planning every 5 rounds on each codec that has a knob: topk's density, sparseloco's kept entries per
# chunk, qsgd's levels.
# Beside them the settings it starts from, where communication.sh has not run them already (dense, global topk-1pct-ef
# and sparseloco-decayed are there), and global top-k at the density whose bytes match L-GreCo's (0.71%: L-GreCo's
# 3.97 MB over 50 rounds against global top-k 1%'s 5.60 MB, seed 1). Then the plot and table
# (plot_communication_seeds.py over these runs and communication.sh's).
#
#   docs/experiments/lgreco.sh          every run (skipping those whose CSV is complete), then the plot
#   docs/experiments/lgreco.sh plot     the plot and table from the CSVs already there
#
# Needs JDK 25 (JAVA_HOME), Debian's dataset-fashion-mnist and python3-matplotlib. Environment: ROUNDS (50),
# SEEDS ("1 2 3"), ONLY (a regex on the run labels, default all), RESULTS (docs/experiments/results/communication),
# JAR (else server/target's, built if absent).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds="${ROUNDS:-50}"
seeds="${SEEDS:-1 2 3}"
only="${ONLY:-.}"
results="${RESULTS:-docs/experiments/results/communication}"
mode="${1:-run}"

# label|options. "pertensor" is L-GreCo's uniform setting (top-k within each tensor at 1%, reports sent, never
# re-planned in 50 rounds); qsgd runs without error feedback (with it, an unbiased quantiser of this variance
# diverges: docs/communication.md) at s = 7 (4-bit codes), so that the grid reaches 2 to 6 bits.
runs=(
  "topk-1pct-ef-pertensor|--codec topk --codec-k 0.01 --error-feedback true --lgreco-every 1000000"
  "topk-1pct-ef-lgreco5|--codec topk --codec-k 0.01 --error-feedback true --lgreco-every 5"
  "topk-0.71pct-ef|--codec topk --codec-k 0.0071 --error-feedback true"
  "sparseloco-decayed-lgreco5|--codec sparseloco --error-feedback true --error-feedback-rule decayed --lgreco-every 5"
  "qsgd-s7|--codec qsgd --codec-params levels=7"
  "qsgd-s7-lgreco5|--codec qsgd --codec-params levels=7 --lgreco-every 5"
)
common=(--dataset fashion-mnist --clients 100 --per-round 10 --model mlp --hidden 200 --steps 20 --batch 32
        --backend cpu --strategy fedavg --lr 0.2 --partition dirichlet:0.5 --rounds "$rounds" --eval-every 5
        --threads 2)

# shellcheck source=simulate_run.sh
source "$root/docs/experiments/simulate_run.sh"

if [ "$mode" != plot ]; then
  for seed in $seeds; do
    for entry in "${runs[@]}"; do
      IFS='|' read -r label options <<< "$entry"
      if [[ "$label" =~ $only ]]; then
        # shellcheck disable=SC2086
        run "$results/lgreco/seed$seed/$label.csv" $options --seed "$seed"
      fi
    done
  done
fi
# Seed 1 of communication.sh is in $results itself, seeds 2 and 3 in dirichlet0.5-seed<n>/.
r="$results"
keep='^(topk-1pct-ef|topk-0\.71pct-ef|sparseloco-decayed|qsgd-s7|qsgd-s1$)'
/usr/bin/python3 docs/experiments/plot_communication_seeds.py --runs="$keep" docs/img/lgreco.png \
  "$r/lgreco/summary.md" \
  "Dirichlet 0.5=$r+$r/lgreco/seed1,$r/dirichlet0.5-seed2+$r/lgreco/seed2,$r/dirichlet0.5-seed3+$r/lgreco/seed3"
