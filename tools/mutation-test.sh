#!/usr/bin/env bash
# Mutation testing with Stryker.NET (the dotnet-stryker local tool, .config/dotnet-tools.json): each src/ project is
# mutated and tested against its own test project only, so a guarantee counts as tested where it lives.
# Not part of CI: a whole project takes tens of minutes (Core a few minutes, Environments and Agents much longer).
#
# Usage: tools/mutation-test.sh PROJECT [stryker options...]
#   PROJECT is a folder under src/ with a tests/PROJECT.Tests project: Core, Environments, Agents, Tensors, ...
#   Extra options go to Stryker unchanged, e.g. to mutate only some files while writing tests:
#     tools/mutation-test.sh Core --mutate '**/Rng.cs'
#     tools/mutation-test.sh Agents --mutate '**/Buffers/**/*.cs'
# Reports (HTML, JSON, and a per-file table on the console) go to StrykerOutput/PROJECT/<timestamp>/ (git-ignored).
# Runs under `nice -n 5` with one test process (--concurrency 1) so that it can share a machine; set
# STRYKER_CONCURRENCY to use more cores on a machine of your own.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

if [[ $# -lt 1 ]]; then
  echo "Usage: $0 PROJECT [stryker options...]   (PROJECT: one of $(ls src | tr '\n' ' '))" >&2
  exit 2
fi
project="$1"
shift
source_csproj="src/$project/RlExperiments.$project.csproj"
test_dir="tests/$project.Tests"
if [[ ! -f "$source_csproj" ]]; then
  echo "No project $source_csproj (PROJECT must be one of: $(ls src | tr '\n' ' '))" >&2
  exit 2
fi
if [[ ! -d "$test_dir" ]]; then
  echo "No test project $test_dir for $project: mutation testing runs each project against its own tests." >&2
  exit 2
fi

dotnet tool restore >/dev/null
cd "$test_dir"
exec nice -n 5 dotnet tool run dotnet-stryker \
  --project "RlExperiments.$project.csproj" \
  --concurrency "${STRYKER_CONCURRENCY:-1}" \
  --configuration Release \
  --reporter dots --reporter cleartext --reporter html --reporter json \
  --output "$repo/StrykerOutput/$project/$(date -u +%Y%m%dT%H%M%SZ)" \
  --skip-version-check \
  "$@"
