#!/usr/bin/env bash
# Build, test, benchmark and pack Aicmo.Sdk.
#
#   ./build.sh build        restore and build everything (warnings are errors)
#   ./build.sh test         build, start what the tests need, run every test project and the smoke checks (the benchmarks'
#                           checked short mode, the quickstart sample, and .ci/consumer-test.sh: the packed packages in a new
#                           console app running the README's quick start), print "tests: N passed, N failed"
#   ./build.sh bench-smoke  run every benchmark once with a tiny N, checking its own output (no timing)
#   ./build.sh pack         create the NuGet packages under artifacts/packages
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

build() {
  log "restore"
  dotnet restore Aicmo.Sdk.sln
  log "build ($configuration, warnings as errors)"
  dotnet build Aicmo.Sdk.sln -c "$configuration" --no-restore -warnaserror -nologo
}

# Services the tests need are started by scripts in .ci/services.d, each sourced in order; each may export connection
# settings for the tests and register a cleanup with add_cleanup.
cleanups=()
add_cleanup() { cleanups+=("$1"); }
run_cleanups() { local c; for c in "${cleanups[@]+"${cleanups[@]}"}"; do eval "$c" || true; done; }

start_services() {
  local script
  for script in "$root"/.ci/services.d/*.sh; do
    [ -e "$script" ] || continue
    log "service: $(basename "$script")"
    # shellcheck disable=SC1090
    source "$script"
  done
}

smoke() {
  local name="$1"
  shift
  log "smoke: $name"
  if "$@" > "$results/smoke-${name// /-}.log" 2>&1; then
    passed=$((passed + 1))
  else
    log "smoke check '$name' failed; its output:"
    tail -n 40 "$results/smoke-${name// /-}.log" >&2
    failed=$((failed + 1))
    status=1
  fi
  total=$((total + 1))
}

run_tests() {
  local results="$root/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  local status=0 project name
  for project in tests/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    log "test: $name"
    if ! dotnet test "$project" -c "$configuration" --no-build --nologo \
         --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
         --logger "console;verbosity=minimal"; then
      status=1
    fi
  done

  local passed=0 failed=0 skipped=0 total=0 executed=0 trx counters value
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
    for field in total executed passed failed error timeout aborted notExecuted; do
      value="$(printf '%s' "$counters" | grep -o " $field=\"[0-9]*\"" | grep -o '[0-9]*' || true)"
      value="${value:-0}"
      case "$field" in
        total) total=$((total + value)) ;;
        executed) executed=$((executed + value)) ;;
        passed) passed=$((passed + value)) ;;
        failed|error|timeout|aborted) failed=$((failed + value)) ;;
        notExecuted) skipped=$((skipped + value)) ;;
      esac
    done
  done

  # A project that crashed before writing its report still fails the run.
  local reports
  reports="$(find "$results" -name '*.trx' | wc -l)"
  local projects
  projects="$(ls tests/*/*.csproj | wc -l)"
  if [ "$reports" -lt "$projects" ]; then
    log "only $reports of $projects test projects wrote a report"
    status=1
  fi
  # Smoke checks of the programs users run, each counted as one test: the benchmark suite's checked short mode
  # (every scenario once, tiny N, no timing), the quickstart on a few thousand leads, the worker sample, and the README's quick start in a new app.
  smoke "benchmarks --smoke" dotnet run -c "$configuration" --no-build --project benchmarks/Aicmo.Sdk.Benchmarks -- --smoke
  smoke "quickstart 3000" dotnet run -c "$configuration" --no-build --project samples/Aicmo.Samples.Quickstart -- 3000 1 --db "$results/quickstart-smoke.db"
  # The packages as a user installs them: packed with a version unique to this run, added to a new console app that runs the
  # README's quick start as written, built with warnings as errors.
  smoke "consumer quick start" "$root/.ci/consumer-test.sh" "$configuration"
  # The worker sample for 15 seconds with its schedules every 5 seconds (instead of hourly and every minute): at least two jobs
  # must complete, and it must stop cleanly.
  smoke "worker 15s" dotnet run -c "$configuration" --no-build --project samples/Aicmo.Samples.Worker -- --run-for 15 --expect-jobs 2 \
    "--Aicmo:ConnectionString=Data Source=$results/worker-smoke.db" \
    "--Aicmo:Scheduler:Schedules:0:Cron=*/5 * * * * *" "--Aicmo:Scheduler:NurturePassCron=*/5 * * * * *"
  # The web sample on a free loopback port: /health/live answers, an anonymous caller is refused, a campaign is created and run
  # over HTTP with the development key it prints, and /metrics shows the pipeline's counters; then it stops.
  smoke "web api sample" dotnet run -c "$configuration" --no-build --project samples/Aicmo.Samples.WebApi -- --smoke \
    "--Aicmo:ConnectionString=Data Source=$results/webapi-smoke.db"

  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  if [ "$total" -eq 0 ]; then log "no test ran"; status=1; fi

  if [ "$skipped" -gt 0 ]; then
    echo "tests: $passed passed, $failed failed, $skipped skipped"
  else
    echo "tests: $passed passed, $failed failed"
  fi
  return "$status"
}

cmd="${1:-test}"
case "$cmd" in
  build)
    build
    ;;
  test)
    build
    trap run_cleanups EXIT
    start_services
    run_tests
    ;;
  bench-smoke)
    build
    dotnet run -c "$configuration" --no-build --project benchmarks/Aicmo.Sdk.Benchmarks -- --smoke
    ;;
  pack)
    build
    dotnet pack Aicmo.Sdk.sln -c "$configuration" --no-build -o artifacts/packages
    ;;
  *)
    echo "usage: ./build.sh [build|test|bench-smoke|pack]" >&2
    exit 2
    ;;
esac
