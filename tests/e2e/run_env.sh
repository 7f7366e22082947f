# Environment: -e KEY=VALUE, -e KEY from the invoking environment (omitted when unset) and
# --env-file with comments and blank lines reach the command; a malformed env-file line is refused
# with its file:line.
source "$(dirname "$0")/common.sh"

# Refused first, so that "nothing created" also covers the output directory.
printf 'GOOD=1\n# fine\nBAD KEY=1\n' > bad.env
run_capture docker sandbox run --env-file bad.env "$IMAGE" true
expect_eq "$rc" 125 "bad env-file exit code"
expect_contains "$err" "bad.env:3" "the bad line is named as file:line"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "the error is one line ($err)"
[ ! -e output ] || fail "a refused run created the output directory"
expect_no_leftovers

cat > vars.env <<'ENV'
# a comment line
FROM_FILE=file value

  # an indented comment
SECOND=2=two
ENV
unset UNSET_VAR
export B="from the invoker"
run_capture docker sandbox run -e A=1 -e B -e UNSET_VAR --env-file vars.env "$IMAGE" sh -c '
echo "A=[$A]"; echo "B=[$B]"; echo "FROM_FILE=[$FROM_FILE]"; echo "SECOND=[$SECOND]"
env | grep -c "^UNSET_VAR=" || true'
expect_eq "$rc" 0 "env exit code ($err)"
expect_eq "$out" "$(printf 'A=[1]\nB=[from the invoker]\nFROM_FILE=[file value]\nSECOND=[2=two]\n0')" "environment inside"

expect_no_leftovers
