#!/usr/bin/env bash
# list-public-buckets.sh — finds S3 buckets that are public, the way AWS decides it:
#   public = (bucket policy is public AND RestrictPublicBuckets is off)
#         OR (an ACL grants AllUsers/AuthenticatedUsers AND IgnorePublicAcls is off)
# where the Block Public Access flags are those of the account OR the bucket. Read only.
# A bucket whose settings cannot be read (AccessDenied…) is reported as unknown, never as private.
# Prints one line per bucket, then a card (JSON, last line) with a "Block" button per public bucket.
# Exit 0 when the scan ran (the card says what it found); 2 when it could not scan at all.
set -euo pipefail
. "$(dirname "$0")/aws-lib.sh"

ALL_USERS='http://acs.amazonaws.com/groups/global/AllUsers'
AUTHENTICATED='http://acs.amazonaws.com/groups/global/AuthenticatedUsers'
NO_BLOCK='{"BlockPublicAcls":false,"IgnorePublicAcls":false,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}'

aws_call sts get-caller-identity || { echo "cannot identify the account: $AWS_ERROR" >&2; exit 2; }
account=$(jq -r .Account <<<"$AWS_OUT")

account_note=""
if aws_call s3control get-public-access-block --account-id "$account"; then
  account_bpa=$(jq -c .PublicAccessBlockConfiguration <<<"$AWS_OUT")
elif [ "$AWS_ERROR" = "NoSuchPublicAccessBlockConfiguration" ]; then
  account_bpa=$NO_BLOCK
else
  account_bpa=$NO_BLOCK
  account_note="account-level Block Public Access unreadable ($AWS_ERROR); assumed off"
  echo "$account_note" >&2
fi

if jq -e '.IgnorePublicAcls and .RestrictPublicBuckets' <<<"$account_bpa" >/dev/null; then
  echo "account-level Block Public Access makes every bucket private"
  jq -cn --arg account "$account" '{chatops: {title: "No public S3 buckets", status: "ok",
    text: "Account-level Block Public Access (IgnorePublicAcls and RestrictPublicBuckets) makes every bucket in \($account) private."}}'
  exit 0
fi

aws_call s3api list-buckets --query 'Buckets[].Name' || { echo "cannot list buckets: $AWS_ERROR" >&2; exit 2; }
buckets=$AWS_OUT

# bucket_verdict <bucket>: prints {"bucket","verdict":"public|private|unknown","why"} as one JSON line.
bucket_verdict() {
  local bucket=$1 bpa policy_public=false acl_public=false ownership=""
  if aws_call s3api get-public-access-block --bucket "$bucket"; then
    bpa=$(jq -c .PublicAccessBlockConfiguration <<<"$AWS_OUT")
  elif [ "$AWS_ERROR" = "NoSuchPublicAccessBlockConfiguration" ]; then
    bpa=$NO_BLOCK
  else
    jq -cn --arg b "$bucket" --arg why "GetPublicAccessBlock: $AWS_ERROR" '{bucket: $b, verdict: "unknown", why: $why}'
    return
  fi
  local effective
  effective=$(jq -c --argjson account "$account_bpa" \
    '{ignore: (.IgnorePublicAcls or $account.IgnorePublicAcls), restrict: (.RestrictPublicBuckets or $account.RestrictPublicBuckets)}' <<<"$bpa")

  if aws_call s3api get-bucket-policy-status --bucket "$bucket"; then
    policy_public=$(jq '.PolicyStatus.IsPublic == true' <<<"$AWS_OUT")
  elif [ "$AWS_ERROR" != "NoSuchBucketPolicy" ]; then
    jq -cn --arg b "$bucket" --arg why "GetBucketPolicyStatus: $AWS_ERROR" '{bucket: $b, verdict: "unknown", why: $why}'
    return
  fi

  if aws_call s3api get-bucket-ownership-controls --bucket "$bucket"; then
    ownership=$(jq -r '.OwnershipControls.Rules[0].ObjectOwnership // ""' <<<"$AWS_OUT")
  elif [ "$AWS_ERROR" != "OwnershipControlsNotFoundError" ]; then
    jq -cn --arg b "$bucket" --arg why "GetBucketOwnershipControls: $AWS_ERROR" '{bucket: $b, verdict: "unknown", why: $why}'
    return
  fi
  if [ "$ownership" != "BucketOwnerEnforced" ]; then
    if aws_call s3api get-bucket-acl --bucket "$bucket"; then
      acl_public=$(jq --arg all "$ALL_USERS" --arg auth "$AUTHENTICATED" \
        '[.Grants[]? | select(.Grantee.Type == "Group" and (.Grantee.URI == $all or .Grantee.URI == $auth))] | length > 0' <<<"$AWS_OUT")
    else
      jq -cn --arg b "$bucket" --arg why "GetBucketAcl: $AWS_ERROR" '{bucket: $b, verdict: "unknown", why: $why}'
      return
    fi
  fi

  jq -cn --arg b "$bucket" --argjson policy "$policy_public" --argjson acl "$acl_public" --argjson eff "$effective" '
    [ (if $policy and ($eff.restrict | not) then "bucket policy" else empty end),
      (if $acl and ($eff.ignore | not) then "ACL grants everyone" else empty end) ] as $why
    | {bucket: $b, verdict: (if ($why | length) > 0 then "public" else "private" end), why: ($why | join(", "))}'
}

verdicts=$(jq -r '.[]' <<<"$buckets" | while IFS= read -r bucket; do
  verdict=$(bucket_verdict "$bucket")
  jq -r '"\(.bucket): \(.verdict)\(if .why != "" then " (\(.why))" else "" end)"' <<<"$verdict" >&2
  printf '%s\n' "$verdict"
done)

printf '%s\n' "$verdicts" | jq -cs --arg note "$account_note" '
  map(select(. != null)) as $all
  | ($all | map(select(.verdict == "public"))) as $public
  | ($all | map(select(.verdict == "unknown"))) as $unknown
  | {chatops: ({
      title: (if ($public | length) > 0 then "Public S3 buckets: \($public | length)" else "No public S3 buckets" end),
      status: (if ($public | length) > 0 then "danger" elif ($unknown | length) > 0 then "warn" else "ok" end),
      text: ("Checked \($all | length) buckets" + (if ($unknown | length) > 0 then "; \($unknown | length) could not be read" else "" end)
             + (if $note != "" then ". Note: \($note)" else "" end) + "."),
      table: (if ($public + $unknown | length) > 0
        then {columns: ["Bucket", "Verdict", "Why"], rows: [($public + $unknown)[] | [.bucket, .verdict, .why]]}
        else null end),
      actions: [$public[:5][] | {label: "Block public access: \(.bucket)", command: "run block-public-access \(.bucket)",
                                  style: "danger", confirm: "Turn on all four Block Public Access settings for \(.bucket)?"}]
    } | with_entries(select(.value != null)))}'
