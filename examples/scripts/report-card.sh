#!/usr/bin/env bash
# report-card.sh — prints a status card as JSON for the bot to render (see plugin-shell's README for
# the shape). Its buttons run other commands as whoever clicks them.
set -euo pipefail

# JSON string escaping for values we print (backslash, quote, control characters dropped).
json_string() {
  local value="${1//\\/\\\\}"
  value="${value//\"/\\\"}"
  printf '"%s"' "$(printf '%s' "$value" | tr -d '\000-\037')"
}

host=$(uname -n)
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown)
root_use=$(df -P / | awk 'NR == 2 { print $5 }')
uptime_s=$(cut -d. -f1 /proc/uptime 2>/dev/null || echo 0)
status=ok
[ "${root_use%\%}" -lt 80 ] || status=warn

# The whole of stdout is the card (it may span lines); anything else would go to stderr.
cat <<JSON
{"chatops": {
  "title": $(json_string "Host report: $host"),
  "status": "$status",
  "text": "Facts about the bot's host, collected by report-card.sh.",
  "fields": [
    {"label": "Load (1 min)", "value": $(json_string "$load"), "short": true},
    {"label": "Root filesystem used", "value": $(json_string "$root_use"), "short": true},
    {"label": "Up for", "value": "$((uptime_s / 3600))h", "short": true}
  ],
  "table": {"columns": ["Check", "Result"], "rows": [["disk /", $(json_string "$root_use")], ["load", $(json_string "$load")]]},
  "actions": [
    {"label": "Disk usage", "command": "run disk-usage local"},
    {"label": "Restart demo", "command": "run restart-demo demo", "style": "danger", "confirm": "Restart the demo service?"}
  ]
}}
JSON
