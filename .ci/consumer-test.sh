#!/usr/bin/env bash
# Installs the packages as a new user would and runs the README's quick start, as written, in a fresh console app:
#   1. packs every package under src/ with a version unique to this run (0.1.0-ci.<UTC time>.<pid>) into a temporary feed, so
#      no copy of an earlier pack in the NuGet cache can stand in for it;
#   2. creates an app from the `dotnet new console` template in a temporary folder (outside the repository, so none of its
#      build settings apply), with a nuget.config that adds the temporary feed to the sources NuGet is configured with;
#   3. runs the README's `dotnet add package` lines (the Aicmo packages at the packed version), replaces Program.cs with the
#      README's C# quick-start block, builds with warnings as errors, runs it, and checks that it printed a balanced result.
# Usage: .ci/consumer-test.sh [configuration]   (expects the solution built in that configuration; build.sh test runs it)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${1:-Release}"
version="0.1.0-ci.$(date -u +%Y%m%d%H%M%S).$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/aicmo-consumer.XXXXXX")"
global_packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"

cleanup() {
  rm -rf "$work"
  # The packed version is unique to this run: drop it from the NuGet cache again.
  local dir
  for dir in "$global_packages"/aicmo.sdk*/"$version"; do
    [ -e "$dir" ] && rm -rf "$dir" && rmdir --ignore-fail-on-non-empty "$(dirname "$dir")"
  done
  return 0
}
trap cleanup EXIT

log() { printf '==> consumer: %s\n' "$*" >&2; }

# The README's quick-start section: its first bash block (the install lines) and its first C# block (Program.cs).
section() {
  awk '/^## /{ inside = ($0 ~ /^## Quick start for host applications/) } inside' "$root/README.md"
}
block() {
  section | awk -v lang="$1" '
    done { next }
    !found && $0 == "```" lang { found = 1; next }
    found && $0 == "```" { done = 1; next }
    found { print }'
}

log "packing $version into $work/feed"
dotnet pack "$root/Aicmo.Sdk.sln" -c "$configuration" --no-build -nologo -warnaserror -p:VersionSuffix="${version#0.1.0-}" -o "$work/feed" >&2
packed="$(ls "$work/feed"/*.nupkg | wc -l)"
projects="$(find "$root/src" -name '*.csproj' | wc -l)"
if [ "$packed" -lt "$projects" ]; then
  log "only $packed packages for $projects projects under src/"
  exit 1
fi

app="$work/MyHost"
log "creating a console app in $app"
dotnet new console -o "$app" -n MyHost --framework net10.0 >&2
cat > "$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="aicmo-packed" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG

installs="$(block bash | sed -n 's/^\(dotnet add package [^ #]*\).*/\1/p')"
if [ -z "$installs" ]; then
  log "README.md: no 'dotnet add package' line in the quick-start section"
  exit 1
fi
while IFS= read -r line; do
  package="${line#dotnet add package }"
  log "$line"
  case "$package" in
    Aicmo.*) (cd "$app" && dotnet add package "$package" --version "$version") >&2 ;;
    *) (cd "$app" && dotnet add package "$package") >&2 ;;
  esac
done <<< "$installs"

block csharp > "$app/Program.cs"
if [ ! -s "$app/Program.cs" ]; then
  log "README.md: no C# block in the quick-start section"
  exit 1
fi

log "building with warnings as errors"
dotnet build "$app" -c Release -nologo -warnaserror -p:TreatWarningsAsErrors=true >&2

log "running the quick start"
output="$(cd "$app" && dotnet run -c Release --no-build)"
printf '%s\n' "$output"
if ! printf '%s\n' "$output" | grep -q '^Completed: .*balanced: True$'; then
  log "the quick start did not print a completed, balanced run"
  exit 1
fi
log "ok: $(printf '%s\n' "$output" | tail -n 1)"
