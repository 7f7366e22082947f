# Text that could move the cursor or reorder a line reaches the terminal as visible escapes: a
# project whose directory name holds CR, ESC[1A ESC[2K, CSI (U+009B) and a bidi override cannot
# erase or disguise the warnings about what its profile relaxes; labels read back
# from the engine cannot forge or erase rows of `ls`; names the plugin creates refuse them.
source "$(dirname "$0")/common.sh"

erase=$'\r\e[1A\e[2K'
csi=$'\xc2\x9b2K'
rlo=$'\xe2\x80\xae'
project="$TEST_DIR/proj${erase}${csi}${rlo}"
mkdir "$project"
cd "$project"
printf '%s\n' '{"user": "0", "network": "bridge"}' > .docker-sandbox.json

raw_bytes() { # STRING: fails when it holds CR, ESC, C1 CSI or a bidi override
  if printf '%s' "$1" | grep -q $'\r\|\e\|\xc2\x9b\|\xe2\x80\xae'; then
    fail "raw control bytes reached the terminal: $(printf '%s' "$1" | od -c | head -5)"
  fi
}

# Refused: one line, escaped.
run_capture docker sandbox run "$IMAGE" id -u
expect_eq "$rc" 125 "refused without consent"
raw_bytes "$err"
expect_contains "$err" 'proj\r\x1b[1A\x1b[2K\u009b2K\u202e/.docker-sandbox.json relaxes the sandbox' "the path is shown escaped"

# With consent for this run: every warning on its own intact line.
run_capture docker sandbox run --profile .docker-sandbox.json "$IMAGE" id -u
expect_eq "$rc" 0 "with --profile ($err)"
expect_eq "$out" 0 "the profile applied"
raw_bytes "$err"
expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: warning: profile .*proj\\r\\x1b\[1A\\x1b\[2K\\u009b2K\\u202e/.docker-sandbox.json relaxes ')" 2 "two warning lines ($err)"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 2 "nothing else on stderr"

# trust shows the path escaped, and records it.
run_capture docker sandbox trust
expect_eq "$rc" 0 "trust ($err)"
raw_bytes "$out"
expect_contains "$out" 'proj\r\x1b[1A\x1b[2K\u009b2K\u202e/.docker-sandbox.json (sha256 ' "trust escapes the path"

# Names the plugin creates refuse such characters.
run_capture docker sandbox run --profile none --output "out${erase}" "$IMAGE" true
expect_eq "$rc" 125 "an output directory with control characters"
raw_bytes "$err"
[ ! -e "out${erase}" ] || fail "the output directory was created"

# Labels read back from the engine: `ls` escapes them; one row per container.
name=sbx-forged-$$
docker create --name "$name" --label docker-sandbox.managed=true --label "docker-sandbox.owner=elsewhere:1" \
  --label docker-sandbox.created=2026-01-01T00:00:00Z --label "docker-sandbox.tenant=x${erase}" \
  --label "docker-sandbox.run=$(printf 'r\nFAKE-ROW')" "$IMAGE" true > /dev/null
on_exit "docker rm -f $name >/dev/null"
run_capture docker sandbox ls
expect_eq "$rc" 0 "ls ($err)"
raw_bytes "$out"
expect_eq "$(printf '%s\n' "$out" | grep -c '^FAKE-ROW')" 0 "a label cannot forge a row"
expect_contains "$out" 'x\r\x1b[1A\x1b[2K' "the label is shown escaped"
docker rm -f "$name" > /dev/null
