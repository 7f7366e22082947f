# `docker-sandbox docker-cli-plugin-metadata` answers with the schema the CLI accepts, without
# contacting any engine.
source "$(dirname "$0")/common.sh"

run_capture env DOCKER_HOST=unix:///nonexistent.sock "$SANDBOX_BINARY" docker-cli-plugin-metadata
expect_eq "$rc" 0 "metadata exit code"
python3 - "$out" <<'PY'
import json, sys
meta = json.loads(sys.argv[1])
assert meta["SchemaVersion"] == "0.1.0", meta
assert meta["Vendor"], meta
assert meta["ShortDescription"], meta
assert meta["Version"], meta
PY
