#!/usr/bin/env bash
# Sourced by the client scripts beside it: makes sure the clients' virtualenv holds the pinned
# python-ironicclient, openstacksdk and metalsmith, creating or completing it with pip (network)
# when one is missing or at another version, and sets VENV to it.
#
#   source tools/clients/venv.sh            # or run it: tools/clients/venv.sh (what install-deps does)
#
# The virtualenv is ~/.cache/ironlog/clients-venv unless IRONLOG_CLIENTS_VENV names another.

VENV=${IRONLOG_CLIENTS_VENV:-$HOME/.cache/ironlog/clients-venv}
IRONICCLIENT_VERSION=6.3.0
OPENSTACKSDK_VERSION=4.22.0
METALSMITH_VERSION=2.5.0
# The scripts import their shared module from the source tree: keep it free of bytecode caches.
export PYTHONDONTWRITEBYTECODE=1

# The installed version of the distribution $1 in the virtualenv, or nothing.
clients_venv_version() {
    "$VENV/bin/python" -c 'import importlib.metadata, sys; print(importlib.metadata.version(sys.argv[1]))' "$1" 2>/dev/null || true
}

if [ "$(clients_venv_version python-ironicclient)" != "$IRONICCLIENT_VERSION" ] \
    || [ "$(clients_venv_version openstacksdk)" != "$OPENSTACKSDK_VERSION" ] \
    || [ "$(clients_venv_version metalsmith)" != "$METALSMITH_VERSION" ]; then
    echo "installing the clients in the virtualenv $VENV" >&2
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "python-ironicclient==$IRONICCLIENT_VERSION" "openstacksdk==$OPENSTACKSDK_VERSION" "metalsmith==$METALSMITH_VERSION"
fi
