#!/usr/bin/env bash
# Offline demo: serve the replica on loopback, crawl it, and compare the crawl with its truth.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/scrapy ] || ./setup.sh
PORT=${PORT:-8800}
OUT=${OUT:-demo}
mkdir -p "$OUT"
rm -f "$OUT"/articles.jsonl "$OUT"/weather.jsonl "$OUT"/rejects.jsonl "$OUT"/store.sqlite*
.venv/bin/python -m replica serve --port "$PORT" "$@" > "$OUT/replica.url" &
REPLICA_PID=$!
trap 'kill $REPLICA_PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/replica.url" ] && break; sleep 0.1; done
SITE=$(head -n1 "$OUT/replica.url")
echo "replica serving at $SITE"
.venv/bin/scrapy crawl articles -s YDD_SITE_URL="$SITE" -s YDD_POLITE=0 \
  -s YDD_STORE="$OUT/store.sqlite" -s YDD_WEATHER_FEED="$OUT/weather.jsonl" \
  -s YDD_REJECTS_FEED="$OUT/rejects.jsonl" -O "$OUT/articles.jsonl" 2>&1 \
  | sed -n '/yddnews summary/,/outputs/p'
.venv/bin/python -m replica truth --site "$SITE" "$@" -o "$OUT/truth.jsonl"
.venv/bin/python -m replica compare --truth "$OUT/truth.jsonl" \
  --articles "$OUT/articles.jsonl" --weather "$OUT/weather.jsonl" --rejects "$OUT/rejects.jsonl"
