#!/usr/bin/env bash
# Runs sdk_resources.py beside this script — openstacksdk's baremetal proxy through create, get,
# list with filters and fields, update, delete and the errors of every resource type — against a
# running `ironlog serve`, in the clients' virtualenv (venv.sh creates it on first use).
#
#   tools/clients/sdk_resources.sh http://127.0.0.1:6385
#
# Exits 0 when every step passed; otherwise prints the failing step and exits 1.
set -euo pipefail

ENDPOINT=${1:?usage: sdk_resources.sh http://HOST:PORT}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"
exec "$VENV/bin/python" "$here/sdk_resources.py" "$ENDPOINT"
