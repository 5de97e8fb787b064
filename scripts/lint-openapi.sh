#!/usr/bin/env bash
# Lints the served API document with Redocly's recommended rules, as a client's tooling would see it.
#
#   scripts/lint-openapi.sh            # build, start Hustle on a free port in a temp dir, lint /openapi/v1.json
#
# The app runs on its own throwaway SQLite file and is stopped by its PID. The test suite checks the same rules
# (tests/Hustle.Web.Tests/Infrastructure/OpenApiDocumentTests.cs); this runs the real linter.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=lib/services.sh
source "$SCRIPT_DIR/lib/services.sh"
REDOCLY=${REDOCLY:-@redocly/cli@2.77.0}

dotnet build "$ROOT/src/Hustle.Web" -v q -nologo >/dev/null
work=$(mktemp -d)
port=$(svc_free_port)
(cd "$work" && exec dotnet "$ROOT/src/Hustle.Web/bin/Debug/net10.0/Hustle.Web.dll" --urls "http://127.0.0.1:$port" >"$work/app.log" 2>&1) &
app=$!
trap 'kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/openapi/v1.json" -o "$work/openapi.json" && break
    kill -0 "$app" 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }
    sleep 0.5
done
[[ -s $work/openapi.json ]] || { cat "$work/app.log" >&2; echo "no /openapi/v1.json within 2 minutes" >&2; exit 1; }

npx -y "$REDOCLY" lint --extends recommended --format=summary --max-problems 1000 "$work/openapi.json"
