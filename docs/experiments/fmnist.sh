#!/usr/bin/env bash
# Fashion-MNIST experiments of docs/experiments.md: FedAvg, FedProx, FedAdam, FedSpeed and FedAMD on 100 clients,
# 10 per round, Dirichlet 0.1 and 0.5, MLP 784-200-10.
#
#   docs/experiments/fmnist.sh grid    every run of the page (2 partitions x 5 methods x 5 seeds), then the plots
#   docs/experiments/fmnist.sh tune    the learning-rate sweep that chose each method's rates (one seed, fewer rounds)
#   docs/experiments/fmnist.sh fedamd  the runs that explain FedAMD's result (official regime, anchor probability)
#   docs/experiments/fmnist.sh compute FedSpeed at FedAvg's gradient budget (K = 10: two gradients per step)
#   docs/experiments/fmnist.sh baseline FedAvg as the foundation issue accepts it (5 local epochs, 100 rounds, 3 seeds)
#   docs/experiments/fmnist.sh plot    plots and table from the CSVs already there
#
# Needs JDK 25 (JAVA_HOME), and from Debian: dataset-fashion-mnist for the runs, python3-matplotlib for the plots
# (every mode but tune). Each mode checks what it needs before it starts.
# Runs whose CSV is complete are skipped, so an interrupted grid resumes. Every run's exact command is appended to
# <results>/commands.txt next to its CSV; `server/bin/hansa simulate <same options>` reproduces it.
# Environment: ROUNDS, SEEDS, ALPHAS, METHODS, THREADS, RESULTS, EVAL_EVERY override the defaults below.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

mode="${1:-grid}"
case "$mode" in
  grid|tune|fedamd|compute|baseline|plot) ;;
  *) echo "usage: $0 grid|tune|fedamd|compute|baseline|plot" >&2; exit 2 ;;
esac

# Checked up front: without matplotlib a grid would end in a traceback after hours of runs, and without the data
# every run would quietly train on simulate's synthetic fallback instead of Fashion-MNIST.
missing=()
if [ "$mode" != plot ]; then
  [ -x "$JAVA_HOME/bin/java" ] || missing+=("JDK 25 at JAVA_HOME=$JAVA_HOME: set JAVA_HOME")
  data_dir="${HANSA_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
  compgen -G "$data_dir/train-images-idx3-ubyte*" >/dev/null \
    || missing+=("Fashion-MNIST in $data_dir: apt-get install dataset-fashion-mnist (or set HANSA_FASHION_MNIST_DIR)")
fi
if [ "$mode" != tune ] && ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  missing+=("matplotlib for /usr/bin/python3 (the plots): apt-get install python3-matplotlib")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "fmnist.sh $mode cannot start; it needs:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

# The sweep and the FedAMD runs take 100 rounds evaluated every 5, on a seed the grid does not use (its partition and
# initialisation differ); the grid takes 200 rounds evaluated every 2.
if [ "$mode" = grid ] || [ "$mode" = plot ] || [ "$mode" = compute ]; then
  rounds="${ROUNDS:-200}"; eval_every="${EVAL_EVERY:-2}"
elif [ "$mode" = baseline ]; then
  rounds="${ROUNDS:-100}"; eval_every="${EVAL_EVERY:-1}"
else
  rounds="${ROUNDS:-100}"; eval_every="${EVAL_EVERY:-5}"
fi
tune_seed=101
seeds="${SEEDS:-1 2 3 4 5}"
alphas="${ALPHAS:-0.1 0.5}"
methods="${METHODS:-fedavg fedprox fedadam fedspeed fedamd}"
threads="${THREADS:-$(nproc)}"
results="${RESULTS:-docs/experiments/results}"
# The page's plots go to docs/img; a grid written elsewhere keeps its plots beside its results.
if [ -z "${RESULTS:-}" ]; then images=docs/img; else images="$results/img"; fi

# The shared protocol: the same local work for every method (K local steps of batch B), the same data, model, client
# sampling and seeds (the seed fixes the data split, the initial model and the client sampling). Per-method settings
# come from the sweep (`tune`), see docs/experiments.md.
# The backend is pinned: `auto` would pick CUDA where there is a GPU, whose sums differ in the last bits.
common=(--dataset fashion-mnist --clients 100 --per-round 10 --model mlp --hidden 200 --steps 20 --batch 32 --backend cpu)

# Per-method options chosen by the sweep (`tune`, results/tune/summary.md): for each method the candidate with the
# highest final accuracy averaged over the two partitions.
method_args() {
  case "$1" in
    fedavg)   echo "--strategy fedavg --lr 0.2" ;;
    fedprox)  echo "--strategy fedprox --lr 0.2 --strategy-param mu=0.1" ;;
    fedadam)  echo "--strategy fedadam --lr 0.2 --strategy-param serverLearningRate=0.01" ;;
    fedspeed) echo "--strategy fedspeed --lr 0.1" ;;
    fedamd)   echo "--strategy fedamd --lr 0.01" ;;
    *) echo "unknown method $1" >&2; return 1 ;;
  esac
}

# The sweep: method -> candidate option sets (one per line). FedProx and FedAdam keep FedAvg's local learning rate
# (BASE_LR, FedAvg's pick) and sweep only their own parameter, so they differ from FedAvg in that term alone.
base_lr="${BASE_LR:-0.2}"
sweep_args() {
  case "$1" in
    fedavg)   printf -- '--lr %s\n' 0.02 0.05 0.1 0.2 0.5 ;;
    fedprox)  printf -- "--lr $base_lr --strategy-param mu=%s\n" 0.001 0.01 0.1 1 ;;
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
    jar_dir="$(mktemp -d)"
    trap 'rm -rf "$jar_dir"' EXIT
    jar="$jar_dir/hansa.jar"
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
  # The log keeps what the run printed (its settings, notes, errors, final accuracy) without the progress lines.
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -jar "$jar" simulate "${options[@]}" 2>&1 | grep -v '^\[[#.]*\] ' > "${csv%.csv}.log" \
    || { echo "FAILED: $csv (see ${csv%.csv}.log)" >&2; return 1; }
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
  fedamd)
    # FedAMD against FedAvg in the official code's regime (20 clients, 10 per round, K = 10, B = 64, lr 0.01 for
    # both, as main_emnist.py runs them), and FedAMD in this page's regime with fresher bullseyes.
    official=(--dataset fashion-mnist --clients 20 --per-round 10 --model mlp --hidden 200 --steps 10 --batch 64 --lr 0.01
      --backend cpu)
    for alpha in $alphas; do
      for m in fedavg fedamd; do
        run "$results/fedamd/official-dir$alpha/$m.csv" "${official[@]}" --partition "dirichlet:$alpha" --seed "$tune_seed" --strategy "$m"
      done
      # This page's regime on the sweep's seed: FedAvg and FedAMD as picked, then FedAMD with fresher bullseyes (more
      # anchors, or the decaying schedule that starts at p = 1) and with its own local budget (K = 10, B = 64).
      run "$results/fedamd/dir$alpha/fedavg.csv" "${common[@]}" --partition "dirichlet:$alpha" --seed "$tune_seed" \
        $(method_args fedavg)
      run "$results/fedamd/dir$alpha/fedamd.csv" "${common[@]}" --partition "dirichlet:$alpha" --seed "$tune_seed" \
        $(method_args fedamd)
      for variant in "anchorProbability=0.5" "anchorSchedule=sequential"; do
        run "$results/fedamd/dir$alpha/fedamd-${variant//=/-}.csv" "${common[@]}" --partition "dirichlet:$alpha" \
          --seed "$tune_seed" $(method_args fedamd) --strategy-param "$variant"
      done
      run "$results/fedamd/dir$alpha/fedamd-steps10-batch64.csv" "${common[@]}" --partition "dirichlet:$alpha" \
        --seed "$tune_seed" $(method_args fedamd) --steps 10 --batch 64
    done
    # Full participation (10 clients, all in every round) with every other round an anchor round: the bullseye is
    # then the exact mean gradient at the previous model, so FedAMD runs with its least stale bullseye.
    full=(--dataset fashion-mnist --clients 10 --per-round 10 --model mlp --hidden 200 --steps 20 --batch 32 --backend cpu)
    for alpha in $alphas; do
      run "$results/fedamd/full-dir$alpha/fedavg-lr0.01.csv" "${full[@]}" --partition "dirichlet:$alpha" --seed "$tune_seed" \
        --strategy fedavg --lr 0.01
      run "$results/fedamd/full-dir$alpha/fedamd-lr0.01-period2.csv" "${full[@]}" --partition "dirichlet:$alpha" \
        --seed "$tune_seed" --strategy fedamd --lr 0.01 --strategy-param anchorSchedule=period --strategy-param anchorPeriod=2
    done
    /usr/bin/python3 docs/experiments/plot.py --runs "$results/fedamd" "$images"
    ;;
  compute)
    # The grid gives every method K = 20 steps; FedSpeed's step takes two gradients, so K = 10 matches FedAvg's
    # 20 gradient evaluations per round.
    for alpha in $alphas; do
      for seed in $seeds; do
        # shellcheck disable=SC2046
        run "$results/equal-compute/dir$alpha/fedspeed-seed$seed.csv" "${common[@]}" --partition "dirichlet:$alpha" \
          --seed "$seed" $(method_args fedspeed) --steps 10
      done
    done
    /usr/bin/python3 docs/experiments/plot.py "$results/equal-compute" "$results/equal-compute/img"
    ;;
  baseline)
    # FedAvg in the setting the foundation issue accepts (>= 84% test accuracy within 100 rounds at Dirichlet 0.5):
    # five local epochs of batch 32 at lr 0.05 instead of the grid's 20 steps.
    baseline=(--dataset fashion-mnist --clients 100 --per-round 10 --model mlp --hidden 200 --epochs 5 --batch 32
      --lr 0.05 --strategy fedavg --backend cpu)
    for seed in 1 2 3; do
      run "$results/baseline/e5-dir0.5/fedavg-seed$seed.csv" "${baseline[@]}" --partition dirichlet:0.5 --seed "$seed"
    done
    /usr/bin/python3 docs/experiments/plot.py --runs "$results/baseline" "$images"
    ;;
  plot)
    /usr/bin/python3 docs/experiments/plot.py "$results" "$images"
    ;;
esac
