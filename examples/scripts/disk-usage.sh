#!/usr/bin/env bash
# disk-usage.sh <host> — disk usage of the bot's own host ("local") or of a host reachable by ssh.
# Read only. Prints df's report and a warning line for filesystems at or above 90% used.
set -euo pipefail

host="${1:?usage: disk-usage.sh <host>}"
threshold=90

if [ "$host" = "local" ]; then
  report=$(df -hP -x tmpfs -x devtmpfs -x overlay 2>/dev/null || df -hP)
else
  # BatchMode: never prompt; `--` so the host can never be read as an ssh option.
  report=$(ssh -o BatchMode=yes -o ConnectTimeout=10 -- "$host" df -hP)
fi

printf '%s\n' "$report"
fullest=$(printf '%s\n' "$report" | awk 'NR > 1 { gsub("%", "", $5); if ($5 + 0 >= max) { max = $5 + 0; at = $6 } } END { print max " " at }')
read -r percent mount <<<"$fullest"
echo "fullest: ${percent}% used on ${mount}"
[ "$percent" -lt "$threshold" ] || echo "WARNING: ${mount} is ${percent}% full (threshold ${threshold}%)"
