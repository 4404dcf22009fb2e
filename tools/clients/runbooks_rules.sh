#!/usr/bin/env bash
# Drives a running `ironlog serve` through runbooks and inspection rules with openstacksdk
# (sdk_runbooks_rules.py beside this script), asserting every result. The server must serve
# microversion 1.112 or more.
#
#   tools/clients/runbooks_rules.sh http://127.0.0.1:6385
#
# Runs in the clients' virtualenv (venv.sh beside this script creates it on first use). Exits 0
# when every step passed; otherwise prints the failing step and exits 1.
set -euo pipefail

ENDPOINT=${1:?usage: runbooks_rules.sh http://HOST:PORT}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
exec "$VENV/bin/python" "$here/sdk_runbooks_rules.py" "$ENDPOINT"
