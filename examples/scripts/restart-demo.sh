#!/usr/bin/env bash
# restart-demo.sh <target> — a harmless stand-in for restarting a service (used by plugin-ping's
# Restart button through `run restart-demo <target>`). It changes nothing; it says what it would do.
set -euo pipefail

target="${1:?usage: restart-demo.sh <target>}"
# The bot already checked the argument against the declaration; a script should not rely on that alone.
case "$target" in
  uat | staging | demo) ;;
  *)
    echo "unknown target: $target" >&2
    exit 2
    ;;
esac

echo "restarting the ${target} service (demo: nothing is touched)"
sleep 1
echo "requested by ${CHATOPS_USER:-unknown}; ${target} is back up"
