"""Watch: poll feeds and URL lists, ingest what is new, raise alerts from rules.

- `config`: the feed list file and durations ("15m");
- `state`: what is remembered of each feed between polls (validators, seen items, backoff);
- `poll`: one poll of one feed (conditional GET through sitroom.ingest.fetch, new items
  only) and the `Watcher` loop (per-host delay, backoff, survives any one feed failing);
- `rules`: alert rules from YAML, evaluated over the documents a poll stored;
- `alerts`: stored alerts (listed by `sitroom alerts`, the Alerts page, its live stream)
  and the optional webhook.

The CLI (`sitroom/cli/watch.py`) and the web page (`sitroom/web/alerts.py`) only call these.
Documentation: docs/watch.md.
"""
