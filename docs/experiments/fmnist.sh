#!/usr/bin/env bash
# Fashion-MNIST experiments of docs/experiments.md: FedAvg, FedProx, FedAdam, FedSpeed and FedAMD on 100 clients,
# 10 per round, Dirichlet 0.1 and 0.5, MLP 784-200-10.
#
#   docs/experiments/fmnist.sh grid    every run of the page (2 partitions x 5 methods x 3 seeds), then the plots
#   docs/experiments/fmnist.sh tune    the learning-rate sweep that chose each method's rates (one seed, fewer rounds)
#   docs/experiments/fmnist.sh plot    plots and table from the CSVs already there
#
# Runs whose CSV is complete are skipped, so an interrupted grid resumes. Every run's exact command is appended to
# <results>/commands.txt next to its CSV; `server/bin/hansa simulate <same options>` reproduces it.
# Environment: ROUNDS, SEEDS, ALPHAS, METHODS, THREADS, RESULTS, EVAL_EVERY override the defaults below.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

mode="${1:-grid}"
# The sweep runs half as many rounds, on a seed the grid does not use (its partition and initialisation differ).
if [ "$mode" = tune ]; then rounds="${ROUNDS:-100}"; else rounds="${ROUNDS:-200}"; fi
tune_seed=101
seeds="${SEEDS:-1 2 3}"
alphas="${ALPHAS:-0.1 0.5}"
methods="${METHODS:-fedavg fedprox fedadam fedspeed fedamd}"
threads="${THREADS:-$(nproc)}"
eval_every="${EVAL_EVERY:-2}"
results="${RESULTS:-docs/experiments/results}"
# The page's plots go to docs/img; a grid written elsewhere keeps its plots beside its results.
if [ -z "${RESULTS:-}" ]; then images=docs/img; else images="$results/img"; fi

# The shared protocol: the same local work for every method (K local steps of batch B), the same data, model, client
# sampling and seeds. Per-method settings below come from the sweep (`tune`), see docs/experiments.md.
common=(--dataset fashion-mnist --clients 100 --per-round 10 --model mlp --hidden 200 --steps 20 --batch 32)

# Per-method options chosen by the sweep.
method_args() {
  case "$1" in
    fedavg)   echo "--strategy fedavg --lr 0.05" ;;
    fedprox)  echo "--strategy fedprox --lr 0.05 --strategy-param mu=0.01" ;;
    fedadam)  echo "--strategy fedadam --lr 0.05 --strategy-param serverLearningRate=0.01" ;;
    fedspeed) echo "--strategy fedspeed --lr 0.05" ;;
    fedamd)   echo "--strategy fedamd --lr 0.05" ;;
    *) echo "unknown method $1" >&2; return 1 ;;
  esac
}

# The sweep: method -> candidate option sets (one per line). FedProx and FedAdam keep FedAvg's local learning rate
# (BASE_LR, FedAvg's pick) and sweep only their own parameter, so they differ from FedAvg in that term alone.
base_lr="${BASE_LR:-0.05}"
sweep_args() {
  case "$1" in
    fedavg)   printf -- '--lr %s\n' 0.02 0.05 0.1 0.2 ;;
    fedprox)  printf -- "--lr $base_lr --strategy-param mu=%s\n" 0.001 0.01 0.1 ;;
    fedadam)  printf -- "--lr $base_lr --strategy-param serverLearningRate=%s\n" 0.003 0.01 0.03 0.1 ;;
    fedspeed) printf -- '--lr %s\n' 0.02 0.05 0.1 0.2 ;;
    fedamd)   printf -- '--lr %s\n' 0.005 0.01 0.02 0.05 ;;
  esac
}

jar=""
build() {
  if [ -z "$jar" ]; then
    echo "building Hansa ..." >&2
    ./mvnw -q -B -ntp -o package -DskipTests -pl server -am >&2 || ./mvnw -q -B -ntp package -DskipTests -pl server -am >&2
    # A private copy, so that editing sources while the grid runs cannot change the binary under it.
    jar="$(mktemp -d)/hansa.jar"
    cp "$(ls server/target/hansa-server-*.jar | grep -v original | head -n 1)" "$jar"
  fi
}

# run <csv> <options...>: one simulation unless its CSV already holds every round.
run() {
  local csv="$1"; shift
  if [ -f "$csv" ] && [ "$(tail -n 1 "$csv" | cut -d, -f1)" = "$rounds" ]; then
    echo "done already: $csv" >&2
    return
  fi
  build
  mkdir -p "$(dirname "$csv")"
  local options=("$@" --rounds "$rounds" --eval-every "$eval_every" --threads "$threads" --csv "$csv")
  echo "hansa simulate ${options[*]}" >> "$(dirname "$csv")/commands.txt"
  echo "== $csv" >&2
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -jar "$jar" simulate "${options[@]}" > "${csv%.csv}.log" 2>&1 || { echo "FAILED: $csv (see ${csv%.csv}.log)" >&2; return 1; }
  tail -n 1 "${csv%.csv}.log" >&2
}

case "$mode" in
  grid)
    for alpha in $alphas; do
      for seed in $seeds; do
        for m in $methods; do
          # shellcheck disable=SC2046
          run "$results/dir$alpha/$m-seed$seed.csv" "${common[@]}" --partition "dirichlet:$alpha" --seed "$seed" $(method_args "$m")
        done
      done
    done
    /usr/bin/python3 docs/experiments/plot.py "$results" "$images"
    ;;
  tune)
    for alpha in $alphas; do
      for m in $methods; do
        while read -r candidate; do
          tag="$(echo "$candidate" | sed 's/--strategy-param //g; s/--//g; s/ /_/g; s/=/-/g')"
          # shellcheck disable=SC2086
          run "$results/tune/dir$alpha/$m-$tag.csv" "${common[@]}" --partition "dirichlet:$alpha" --seed "$tune_seed" --strategy "$m" $candidate
        done < <(sweep_args "$m")
      done
    done
    /usr/bin/python3 docs/experiments/plot.py --tune "$results"
    ;;
  plot)
    /usr/bin/python3 docs/experiments/plot.py "$results" "$images"
    ;;
  *)
    echo "usage: $0 grid|tune|plot" >&2
    exit 2
    ;;
esac
