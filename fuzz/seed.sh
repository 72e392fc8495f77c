#!/usr/bin/env bash
# Seeds the fuzz corpora from the test fixtures: every YAML file of tests/fixtures, prefixed
# with the byte that makes the `check` target put it in place of the base file of the same
# kind, and NDJSON records built from the example workspace for `validate_events`.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/check corpus/validate_events
index=0
while IFS= read -r -d '' file; do
  case "$(basename "$file")" in
    trailmap.yaml) selector=0 ;;
    teams.yaml) selector=1 ;;
    policies.yaml) selector=2 ;;
    fields.yaml) selector=3 ;;
    touchpoints.yaml) selector=4 ;;
    events.yaml) selector=5 ;;
    *) case "$file" in */journeys/*) selector=6 ;; *) selector=$((index % 7)) ;; esac ;;
  esac
  { printf "\\$(printf '%03o' "$selector")"; cat "$file"; } > "corpus/check/seed-$index"
  index=$((index + 1))
done < <(find ../tests/fixtures ../catalog ../journeys -name '*.yaml' -type f -print0 | sort -z)
cat > corpus/validate_events/seed-records <<'NDJSON'
{"event":"add_to_cart","sku":"SKU-1234","quantity":1,"price":19.95,"currency":"NOK"}
{"event":"purchase","order_id":"NW1","properties":{"order_id":"NW240001234"}}
{"event":"visit","timestamp":"2026-02-30T10:00:00Z","session_id":"x"}
{"event":"unknown_event"}
["not", "an", "object"]
{"no_event": true}
{"event":"page_view","properties":[]}
not json at all
NDJSON
printf '{"event":"visit"}\r\n\r\n{"event":"visit","country":"NO"}' > corpus/validate_events/seed-crlf
printf '{"event":"caf\xe9"}\n' > corpus/validate_events/seed-latin1
echo "seeded $index check inputs"
