# Shared helpers for the aws-cli example scripts (sourced, not run).
# Needs: aws (CLI v1 or v2), jq. AWS_ENDPOINT_URL / AWS_PROFILE / AWS_REGION work as usual.

for tool in aws jq; do
  command -v "$tool" >/dev/null || { echo "this script needs $tool on PATH" >&2; exit 2; }
done

AWS_STDERR=$(mktemp)
trap 'rm -f "$AWS_STDERR"' EXIT

# aws_call <aws args…>: runs aws with JSON output into AWS_OUT. On failure it returns 1 and sets
# AWS_ERROR to the service's error code (NoSuchBucketPolicy, AccessDenied…) or the CLI's message, so
# callers tell "not configured" from "not allowed" instead of hiding every error.
aws_call() {
  AWS_OUT=""
  AWS_ERROR=""
  # Older CLIs ignore AWS_ENDPOINT_URL (LocalStack, S3-compatible stores): pass it explicitly.
  local endpoint=()
  [ -n "${AWS_ENDPOINT_URL:-}" ] && endpoint=(--endpoint-url "$AWS_ENDPOINT_URL")
  if AWS_OUT=$(aws "$@" "${endpoint[@]}" --output json 2>"$AWS_STDERR"); then return 0; fi
  AWS_ERROR=$(sed -n 's/.*An error occurred (\([^)]*\)).*/\1/p' "$AWS_STDERR" | head -n 1)
  [ -n "$AWS_ERROR" ] || AWS_ERROR=$(tr '\n' ' ' <"$AWS_STDERR" | cut -c1-200)
  return 1
}
