#!/usr/bin/env bash
# Drives a running `ironlog serve` through runbooks and inspection rules with openstacksdk
# (sdk_runbooks_rules.py beside this script), asserting every result. The server must serve
# microversion 1.112 or more.
#
#   tools/clients/runbooks_rules.sh http://127.0.0.1:6385
#
# Uses the clients' virtualenv lifecycle.sh keeps in ~/.cache/ironlog/clients-venv (created here
# with pip when missing). Exits 0 when every step passed; otherwise prints the failing step and
# exits 1.
set -euo pipefail

ENDPOINT=${1:?usage: runbooks_rules.sh http://HOST:PORT}
VENV=${IRONLOG_CLIENTS_VENV:-$HOME/.cache/ironlog/clients-venv}
OPENSTACKSDK_VERSION=4.22.0

if ! "$VENV/bin/python" -c "import openstack" 2>/dev/null \
    || [ "$("$VENV/bin/pip" show openstacksdk 2>/dev/null | sed -n 's/^Version: //p')" != "$OPENSTACKSDK_VERSION" ]; then
    echo "creating the clients' virtualenv in $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "openstacksdk==$OPENSTACKSDK_VERSION"
fi

exec "$VENV/bin/python" "$(dirname "${BASH_SOURCE[0]}")/sdk_runbooks_rules.py" "$ENDPOINT"
