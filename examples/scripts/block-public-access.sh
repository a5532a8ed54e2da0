#!/usr/bin/env bash
# block-public-access.sh <bucket> — turns on all four Block Public Access settings of one bucket
# (the remediation for list-public-buckets.sh's "Block public access" button). Changes the bucket.
set -euo pipefail
. "$(dirname "$0")/aws-lib.sh"

bucket="${1:?usage: block-public-access.sh <bucket>}"

aws_call s3api put-public-access-block --bucket "$bucket" \
  --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true ||
  { echo "could not block public access on $bucket: $AWS_ERROR" >&2; exit 1; }

aws_call s3api get-public-access-block --bucket "$bucket" ||
  { echo "blocked, but could not read the settings back: $AWS_ERROR" >&2; exit 1; }
echo "Block Public Access on $bucket is now:"
jq -r '.PublicAccessBlockConfiguration | to_entries[] | "  \(.key) = \(.value)"' <<<"$AWS_OUT"
