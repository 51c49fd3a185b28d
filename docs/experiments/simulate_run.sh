# Sourced by the experiment scripts (communication.sh, diloco.sh, lgreco.sh): `simulate_run CSV [OPTION...]` runs one
# `hansa simulate` with the caller's `common` options and OPTION..., its per-round CSV written to CSV, its command
# appended to commands.txt beside it and its output (less the progress bars) to CSV's .log, whose last line is
# /usr/bin/time's: wall seconds, then user + system CPU seconds. A run whose CSV already reaches round `rounds` is
# skipped, so an interrupted script resumes. The jar is JAR, else server/target's, built if absent. `run` is
# simulate_run unless the script redefines it (communication.sh filters by ONLY first).
simulate_run() {
  local csv="$1"; shift
  if [ -f "$csv" ] && [ "$(tail -n 1 "$csv" | cut -d, -f1)" = "$rounds" ]; then
    echo "done already: $csv" >&2
    return
  fi
  if [ -z "${JAR:-}" ]; then
    [ -f server/target/hansa-server-0.1.0-SNAPSHOT.jar ] || ./mvnw -q -B -ntp -o package -DskipTests -pl server -am
    JAR=server/target/hansa-server-0.1.0-SNAPSHOT.jar
  fi
  mkdir -p "$(dirname "$csv")"
  echo "hansa simulate ${common[*]} $* --csv $csv" >> "$(dirname "$csv")/commands.txt"
  echo "== $csv" >&2
  /usr/bin/time -f "time %e s wall, %U s user, %S s system" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -jar "$JAR" simulate "${common[@]}" "$@" --csv "$csv" 2>&1 \
    | grep -v '^\[[#.]*\] ' > "${csv%.csv}.log" || { echo "FAILED: $csv (see ${csv%.csv}.log)" >&2; return 1; }
  tail -n 2 "${csv%.csv}.log" >&2
}

run() { simulate_run "$@"; }
