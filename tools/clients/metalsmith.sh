#!/usr/bin/env bash
# Reserves and provisions a fake-hardware node with metalsmith against a running `ironlog serve`,
# end to end, asserting the node through the API at each stage: two nodes of a fresh resource
# class, one with a trait; `metalsmith deploy` with that trait, a hostname and an image over HTTP
# (with its SHA256) takes the one with the trait to `active` through an allocation; `show` and
# `list` report it; `undeploy` takes it through cleaning back to `available` and releases the
# allocation; then the refusals: `show` of the gone instance, `deploy` of a resource class no
# node has.
#
#   tools/clients/metalsmith.sh http://127.0.0.1:6385 http://127.0.0.1:8000/image.qcow2
#
# The image URL must answer: the script downloads the image to compute its SHA256 (metalsmith is
# given the SHA256, and fake hardware does not read the image).
# openstacksdk's configuration goes in a clouds.yaml in a temporary directory: `auth_type: none`,
# `baremetal_endpoint_override` the endpoint, and `network_endpoint_override` the endpoint's
# read-only Neutron view (`/v2.0`), which metalsmith reads for an instance's addresses. The clients
# live in the virtualenv venv.sh beside this script keeps. Exits 0 when every step passed;
# otherwise prints the failing step and exits 1.
set -euo pipefail

ENDPOINT=${1:?usage: metalsmith.sh http://HOST:PORT IMAGE_URL}
IMAGE=${2:?usage: metalsmith.sh http://HOST:PORT IMAGE_URL}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/venv.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ironlog-metalsmith.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/clouds.yaml" <<EOF
clouds:
  ironlog:
    auth_type: none
    baremetal_endpoint_override: $ENDPOINT
    network_endpoint_override: $ENDPOINT/v2.0
EOF
export OS_CLIENT_CONFIG_FILE="$WORK/clouds.yaml"
cd "$WORK"

STEP=""
fail() { echo "FAILED at '$STEP': $*" >&2; exit 1; }
step() { STEP="$*"; echo "== metalsmith: $STEP" >&2; }
expect() { [ "$1" = "$2" ] || fail "expected $3 to be '$2', got '$1'"; }
metalsmith() { "$VENV/bin/metalsmith" --os-cloud ironlog "$@"; }
bm() { "$VENV/bin/baremetal" --os-cloud ironlog "$@"; }
# GET $1 (a path under the endpoint) at the client's negotiated microversion; prints the body, or
# nothing with exit 1 on an HTTP error.
api() {
    "$VENV/bin/python" - "$ENDPOINT" "$1" <<'PY'
import sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1] + sys.argv[2], headers={"X-OpenStack-Ironic-API-Version": "1.52"})
try:
    with urllib.request.urlopen(request) as response:
        print(response.read().decode())
except urllib.error.HTTPError:
    sys.exit(1)
PY
}
# The value at the path `$1` (dot-separated keys) of the JSON document on stdin; lists and objects as JSON.
field() {
    "$VENV/bin/python" -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else (json.dumps(value, sort_keys=True) if isinstance(value, (list, dict, bool)) else value))' "$1"
}
node() { api "/v1/nodes/$1"; }
# The provision states the node went through, from its events in the log, after its last `$2`.
states_after() {
    api "/v1/events?stream=node/$1" | "$VENV/bin/python" -c '
import json, sys
states = [e["payload"]["provisionStateChanged"]["change"]["to"] for e in json.load(sys.stdin)["events"]
          if e["type"] == "ProvisionStateChanged"]
last = len(states) - 1 - states[::-1].index(sys.argv[1])
print(" ".join(states[last + 1:]))' "$2"
}

SUFFIX="$$-$RANDOM"
CLASS="metalsmith-$SUFFIX"
HOST="host-$SUFFIX"
TRAIT="CUSTOM_METALSMITH_$RANDOM"

step "download the image and compute its checksum"
CHECKSUM=$("$VENV/bin/python" -c 'import hashlib, sys, urllib.request; print(hashlib.sha256(urllib.request.urlopen(sys.argv[1]).read()).hexdigest())' "$IMAGE") \
    || fail "the image $IMAGE does not answer"

step "enroll two nodes of the resource class $CLASS, one with $TRAIT, and make them available"
CHOSEN=$(bm node create --driver fake-hardware --name "ms-a-$SUFFIX" --resource-class "$CLASS" --property local_gb=20 -f value -c uuid) || fail "exit $?"
OTHER=$(bm node create --driver fake-hardware --name "ms-b-$SUFFIX" --resource-class "$CLASS" --property local_gb=20 -f value -c uuid) || fail "exit $?"
bm node add trait "$CHOSEN" "$TRAIT" || fail "exit $?"
for uuid in "$CHOSEN" "$OTHER"; do
    bm node manage "$uuid" --wait 60 >/dev/null 2>&1 || fail "manage: exit $?"
    bm node provide "$uuid" --wait 60 >/dev/null 2>&1 || fail "provide: exit $?"
    expect "$(node "$uuid" | field provision_state)" available "provision_state of $uuid"
done

step "metalsmith deploy --resource-class $CLASS --trait $TRAIT --hostname $HOST --image $IMAGE"
DEPLOYED=$(metalsmith -f json deploy --resource-class "$CLASS" --trait "$TRAIT" --hostname "$HOST" \
    --image "$IMAGE" --image-checksum "$CHECKSUM" --wait 120) || fail "exit $?: $DEPLOYED"
expect "$(field uuid <<<"$DEPLOYED")" "$CHOSEN" "the deployed node (the one with the trait)"
expect "$(field state <<<"$DEPLOYED")" active "the instance's state"
expect "$(field hostname <<<"$DEPLOYED")" "$HOST" "the instance's hostname"
ALLOCATION=$(field allocation.id <<<"$DEPLOYED")
[ -n "$ALLOCATION" ] || fail "no allocation in $DEPLOYED"

step "the node through the API after deploy: active, with the image and the allocation"
SHOWN=$(node "$CHOSEN")
expect "$(field provision_state <<<"$SHOWN")" active provision_state
expect "$(field power_state <<<"$SHOWN")" "power on" power_state
expect "$(field instance_info.image_source <<<"$SHOWN")" "$IMAGE" instance_info.image_source
expect "$(field instance_info.image_checksum <<<"$SHOWN")" "$CHECKSUM" instance_info.image_checksum
expect "$(field instance_info.traits <<<"$SHOWN")" "[\"$TRAIT\"]" instance_info.traits
expect "$(field allocation_uuid <<<"$SHOWN")" "$ALLOCATION" allocation_uuid
expect "$(field instance_uuid <<<"$SHOWN")" "$ALLOCATION" instance_uuid
expect "$(states_after "$CHOSEN" available)" "deploying active" "the states since available"
ALLOCATED=$(api "/v1/allocations/$HOST") || fail "no allocation named $HOST"
expect "$(field uuid <<<"$ALLOCATED")" "$ALLOCATION" "the allocation named $HOST"
expect "$(field state <<<"$ALLOCATED")" active "the allocation's state"
expect "$(field resource_class <<<"$ALLOCATED")" "$CLASS" "the allocation's resource_class"
expect "$(field traits <<<"$ALLOCATED")" "[\"$TRAIT\"]" "the allocation's traits"
expect "$(node "$OTHER" | field provision_state)" available "the other node's provision_state"
expect "$(node "$OTHER" | field allocation_uuid)" "" "the other node's allocation_uuid"

step "metalsmith show $HOST"
SHOWN=$(metalsmith -f json show "$HOST") || fail "exit $?: $SHOWN"
expect "$(field "$HOST.uuid" <<<"$SHOWN")" "$CHOSEN" "the shown instance's node"
expect "$(field "$HOST.state" <<<"$SHOWN")" active "the shown instance's state"
expect "$(field "$HOST.allocation.id" <<<"$SHOWN")" "$ALLOCATION" "the shown instance's allocation"
expect "$(field "$HOST.ip_addresses" <<<"$SHOWN")" "{}" "the shown instance's addresses (no VIFs)"
expect "$(metalsmith -f value -c State show "$CHOSEN")" ACTIVE "the state shown by node UUID"

step "metalsmith list"
LISTED=$(metalsmith -f json list) || fail "exit $?: $LISTED"
expect "$(field "$HOST.uuid" <<<"$LISTED")" "$CHOSEN" "the listed instance's node"
expect "$(field "$HOST.state" <<<"$LISTED")" active "the listed instance's state"

step "metalsmith undeploy $HOST"
UNDEPLOYED=$(metalsmith -f json undeploy "$HOST" --wait 120) || fail "exit $?: $UNDEPLOYED"
expect "$(field node.provision_state <<<"$UNDEPLOYED")" available "the undeployed node's provision_state"

step "the node through the API after undeploy: cleaned, available, no allocation"
SHOWN=$(node "$CHOSEN")
expect "$(field provision_state <<<"$SHOWN")" available provision_state
expect "$(field allocation_uuid <<<"$SHOWN")" "" allocation_uuid
expect "$(field instance_uuid <<<"$SHOWN")" "" instance_uuid
expect "$(states_after "$CHOSEN" active)" "deleting cleaning available" "the states since active"
if api "/v1/allocations/$ALLOCATION" >/dev/null; then fail "the allocation $ALLOCATION is still there"; fi
expect "$(metalsmith -f json list | field "$HOST")" "" "the instance in the list after undeploy"

step "refusals: show of the undeployed instance, deploy of a resource class no node has"
if OUTPUT=$(metalsmith show "$HOST" 2>&1); then fail "show of an undeployed instance succeeded: $OUTPUT"; fi
if OUTPUT=$(metalsmith deploy --resource-class "none-$SUFFIX" --image "$IMAGE" --image-checksum "$CHECKSUM" --wait 60 2>&1); then
    fail "deploy of an unknown resource class succeeded: $OUTPUT"
fi
grep -q "no available nodes match the resource class none-$SUFFIX" <<<"$OUTPUT" || fail "unexpected refusal: $OUTPUT"
expect "$(api "/v1/allocations?resource_class=none-$SUFFIX" | field allocations)" "[]" "allocations left by the failed deploy"

step "delete the nodes"
bm node delete "$CHOSEN" "$OTHER" >/dev/null || fail "exit $?"
if node "$CHOSEN" >/dev/null; then fail "the node $CHOSEN is still there"; fi

echo "every metalsmith step passed" >&2
