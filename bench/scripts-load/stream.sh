#!/bin/sh
# Prints <mb> megabytes of log lines as fast as the reader takes them.
yes "2026-01-01T00:00:00Z INFO worker: processed item, status ok, payload 0123456789abcdef" | head -c "$(($1 * 1000000))"
