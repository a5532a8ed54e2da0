#!/usr/bin/env bash
# users-without-mfa.sh — IAM users without an MFA device, from the credential report (2–3 API calls
# however many users there are), each re-checked with ListMFADevices because the report can be up to
# four hours old. Users with a console password come first: they are the CIS finding. Read only.
# Prints one line per user, then a card (JSON, last line). Exit 0 when the check ran, 2 when it could not.
set -euo pipefail
. "$(dirname "$0")/aws-lib.sh"

# Generating a report takes a few seconds; IAM answers STARTED / INPROGRESS until it is COMPLETE.
state=""
for _ in $(seq 1 15); do
  aws_call iam generate-credential-report || { echo "cannot generate the credential report: $AWS_ERROR" >&2; exit 2; }
  state=$(jq -r .State <<<"$AWS_OUT")
  [ "$state" = "COMPLETE" ] && break
  sleep 2
done
[ "$state" = "COMPLETE" ] || { echo "the credential report is still not ready ($state); try again shortly" >&2; exit 2; }

aws_call iam get-credential-report || { echo "cannot read the credential report: $AWS_ERROR" >&2; exit 2; }
# Content is base64 in JSON output. Parse the CSV by header names (IAM user names may contain commas,
# so quoted fields are handled), case-insensitively for true/false.
candidates=$(jq -r .Content <<<"$AWS_OUT" | base64 -d | awk '
  function split_csv(line, fields,    n, i, c, field, quoted) {
    n = 0; field = ""; quoted = 0
    for (i = 1; i <= length(line); i++) {
      c = substr(line, i, 1)
      if (quoted) {
        if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
        else if (c == "\"") quoted = 0
        else field = field c
      } else if (c == "\"") quoted = 1
      else if (c == ",") { fields[++n] = field; field = "" }
      else field = field c
    }
    fields[++n] = field
    return n
  }
  { sub(/\r$/, "") }
  NR == 1 { n = split_csv($0, header); for (i = 1; i <= n; i++) column[header[i]] = i; next }
  {
    split_csv($0, row)
    user = row[column["user"]]
    if (user == "<root_account>") next
    if (tolower(row[column["mfa_active"]]) != "false") next
    print user "\t" (tolower(row[column["password_enabled"]]) == "true" ? "yes" : "no")
  }')

results=""
while IFS=$'\t' read -r user console; do
  [ -n "$user" ] || continue
  if aws_call iam list-mfa-devices --user-name "$user"; then
    [ "$(jq '.MFADevices | length' <<<"$AWS_OUT")" = "0" ] || { echo "$user: has MFA now" >&2; continue; }
    verdict="no MFA"
  elif [ "$AWS_ERROR" = "NoSuchEntity" ]; then
    echo "$user: deleted since the report" >&2
    continue
  else
    verdict="unknown ($AWS_ERROR)"
  fi
  echo "$user: $verdict, console password: $console" >&2
  results+=$(jq -cn --arg u "$user" --arg c "$console" --arg v "$verdict" '{user: $u, console: $c, verdict: $v}')$'\n'
done <<<"$candidates"

printf '%s' "$results" | jq -cs '
  (map(select(.console == "yes")) + map(select(.console != "yes"))) as $users
  | ($users | map(select(.console == "yes")) | length) as $console
  | {chatops: ({
      title: (if ($users | length) > 0 then "IAM users without MFA: \($users | length)" else "Every IAM user has MFA" end),
      status: (if $console > 0 then "danger" elif ($users | length) > 0 then "warn" else "ok" end),
      text: (if $console > 0 then "\($console) of them can sign in to the console with a password: fix those first." else null end),
      table: (if ($users | length) > 0
        then {columns: ["User", "Console password", "MFA"], rows: [$users[] | [.user, .console, .verdict]]}
        else null end),
      actions: [{label: "Check again", command: "run users-without-mfa"}]
    } | with_entries(select(.value != null)))}'
