#!/usr/bin/env bash
# Drives a running `ironlog serve` through a node's whole life with OpenStack's own clients,
# asserting every result: first python-ironicclient's `baremetal` command (create, manage,
# inspect, port groups and ports, volume connectors and targets, provide, deploy --wait, power,
# maintenance, boot device, traits, VIFs — with a configured network too —, history, undeploy,
# delete), then openstacksdk's
# baremetal proxy on a second node (sdk_lifecycle.py beside this script).
#
#   tools/clients/lifecycle.sh http://127.0.0.1:6385
#
# The clients live in a virtualenv cached under ~/.cache/ironlog/clients-venv (created on first
# use with pip, by venv.sh beside this script). Exits 0 when every step gave what Ironic would
# give; otherwise prints the failing step and exits 1.
set -euo pipefail

ENDPOINT=${1:?usage: lifecycle.sh http://HOST:PORT}
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

bm() { "$VENV/bin/baremetal" --os-auth-type none --os-endpoint "$ENDPOINT" "$@"; }

STEP=""
fail() { echo "FAILED at '$STEP': $*" >&2; exit 1; }
step() { STEP="$*"; echo "== $STEP" >&2; }
# The value of `field` in the JSON document on stdin.
field() { "$VENV/bin/python" -c 'import json, sys; v = json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else (json.dumps(v) if isinstance(v, (list, dict, bool)) else v))' "$1"; }
expect() { [ "$1" = "$2" ] || fail "expected $3 to be '$2', got '$1'"; }
show() { bm node show "$NODE" -f json; }

NAME="lifecycle-$$-$RANDOM"
MAC=$(printf '52:54:00:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))

step "node create"
CREATED=$(bm node create --driver fake-hardware --name "$NAME" -f json) || fail "exit $?"
NODE=$(field uuid <<<"$CREATED")
[ -n "$NODE" ] || fail "no uuid in $CREATED"
expect "$(field provision_state <<<"$CREATED")" enroll provision_state
expect "$(field name <<<"$CREATED")" "$NAME" name
expect "$(field power_interface <<<"$CREATED")" fake power_interface

step "port create"
PORT=$(bm port create "$MAC" --node "$NODE" -f json) || fail "exit $?"
expect "$(field address <<<"$PORT")" "$MAC" address
expect "$(field node_uuid <<<"$PORT")" "$NODE" node_uuid
expect "$(bm port list --node "$NODE" -f json | "$VENV/bin/python" -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1 "port count"

step "manage"
bm node manage "$NODE" --wait 60 || fail "exit $?"
expect "$(show | field provision_state)" manageable provision_state

step "inspect --wait"
bm node inspect "$NODE" --wait 60 || fail "exit $?"
expect "$(show | field provision_state)" manageable provision_state
[ -n "$(show | field inspection_finished_at)" ] || fail "inspection_finished_at is not set"

step "port group create"
GROUP=$(bm port group create --node "$NODE" --name "bond-$NAME" --mode active-backup -f json) || fail "exit $?"
GROUP_UUID=$(field uuid <<<"$GROUP")
expect "$(field mode <<<"$GROUP")" active-backup mode
GROUP_MAC=$(printf '52:54:01:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))
MEMBER=$(bm port create "$GROUP_MAC" --node "$NODE" --port-group "$GROUP_UUID" --physical-network physnet1 \
    --local-link-connection switch_id=00:11:22:33:44:55 --local-link-connection port_id=Ethernet1/7 -f json) || fail "exit $?"
expect "$(field portgroup_uuid <<<"$MEMBER")" "$GROUP_UUID" portgroup_uuid
expect "$(bm port list --port-group "$GROUP_UUID" -f value -c Address)" "$GROUP_MAC" "port group members"

step "volume connector and target create"
CONNECTOR=$(bm volume connector create --node "$NODE" --type iqn --connector-id "iqn.2026-01.org.example:$NAME" -f json) || fail "exit $?"
expect "$(field type <<<"$CONNECTOR")" iqn "connector type"
TARGET=$(bm volume target create --node "$NODE" --type iscsi --boot-index 0 --volume-id "vol-$NAME" \
    --property target_iqn=iqn.2026-01.org.example:storage --property auth_password=s3cret -f json) || fail "exit $?"
expect "$(field boot_index <<<"$TARGET")" 0 boot_index
expect "$(bm volume target show "$(field uuid <<<"$TARGET")" -f json | field properties)" \
    '{"auth_password": "******", "target_iqn": "iqn.2026-01.org.example:storage"}' "target properties (secret masked)"
expect "$(bm volume connector list --node "$NODE" -f value -c UUID)" "$(field uuid <<<"$CONNECTOR")" "connector list"
expect "$(bm volume target list --node "$NODE" -f value -c UUID)" "$(field uuid <<<"$TARGET")" "target list"

step "volume connector and target delete"
bm volume target delete "$(field uuid <<<"$TARGET")" || fail "exit $?"
bm volume connector delete "$(field uuid <<<"$CONNECTOR")" || fail "exit $?"
expect "$(bm volume target list --node "$NODE" -f value -c UUID)" "" "target list after delete"

step "provide"
bm node provide "$NODE" --wait 60 || fail "exit $?"
expect "$(show | field provision_state)" available provision_state

step "deploy --wait"
bm node deploy "$NODE" --wait 60 || fail "exit $?"
expect "$(show | field provision_state)" active provision_state

step "power off"
bm node power off "$NODE" || fail "exit $?"
for _ in $(seq 50); do [ "$(show | field power_state)" = "power off" ] && break; sleep 0.2; done
expect "$(show | field power_state)" "power off" power_state

step "power on"
bm node power on "$NODE" || fail "exit $?"
for _ in $(seq 50); do [ "$(show | field power_state)" = "power on" ] && break; sleep 0.2; done
expect "$(show | field power_state)" "power on" power_state

step "maintenance set"
bm node maintenance set "$NODE" --reason "disk swap" || fail "exit $?"
expect "$(show | field maintenance)" true maintenance
expect "$(show | field maintenance_reason)" "disk swap" maintenance_reason

step "maintenance unset"
bm node maintenance unset "$NODE" || fail "exit $?"
expect "$(show | field maintenance)" false maintenance

step "boot device set"
bm node boot device set "$NODE" pxe --persistent || fail "exit $?"
expect "$(bm node boot device show "$NODE" -f json | field boot_device)" pxe boot_device

step "traits add"
bm node add trait "$NODE" CUSTOM_GPU HW_CPU_X86_AVX2 || fail "exit $?"
expect "$(bm node trait list "$NODE" -f json | "$VENV/bin/python" -c 'import json,sys; print(",".join(sorted(t["traits"] for t in json.load(sys.stdin))))')" \
    "CUSTOM_GPU,HW_CPU_X86_AVX2" traits

step "vif attach, list, detach"
VIF=$("$VENV/bin/python" -c 'import uuid; print(uuid.uuid4())')
bm node vif attach "$NODE" "$VIF" || fail "exit $?"
expect "$(bm node vif list "$NODE" -f value -c ID)" "$VIF" "vif list"
bm node vif detach "$NODE" "$VIF" || fail "exit $?"
expect "$(bm node vif list "$NODE" -f value -c ID)" "" "vif list after detach"

step "vif attach with a configured network (--vif-info network=NAME)"
# Networks are an Ironlog extension the client has no command for: created over plain HTTP.
api() { "$VENV/bin/python" - "$ENDPOINT" "$@" <<'PY'
import json, sys, urllib.request
endpoint, method, path = sys.argv[1:4]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
request = urllib.request.Request(endpoint + path, data=body, method=method, headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request) as response:
    text = response.read().decode()
    print(text if text else "")
PY
}
api POST /v1/networks "{\"name\": \"tenant-$NAME\", \"vlan\": 1000}" >/dev/null || fail "network create: exit $?"
bm node vif attach "$NODE" "$VIF" --vif-info "network=tenant-$NAME" || fail "exit $?"
expect "$(api GET "/v1/nodes/$NODE/network_data" | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["networks"][0]["vlan_id"])')" \
    1000 "network_data vlan_id"
bm node vif detach "$NODE" "$VIF" || fail "exit $?"
api DELETE "/v1/networks/tenant-$NAME" >/dev/null || fail "network delete: exit $?"

step "history"
HISTORY=$(bm node history list "$NODE" -f json) || fail "exit $?"
for event in NodeEnrolled VIFAttached VIFDetached TraitsSet; do
    grep -q "\"$event\"" <<<"$HISTORY" || fail "no $event in the history: $HISTORY"
done

step "undeploy --wait"
bm node undeploy "$NODE" --wait 60 || fail "exit $?"
expect "$(show | field provision_state)" available provision_state

step "port and port group delete"
bm port delete "$(field uuid <<<"$PORT")" || fail "exit $?"
bm port delete "$(field uuid <<<"$MEMBER")" || fail "exit $?"
bm port group delete "$GROUP_UUID" || fail "exit $?"
expect "$(bm port group list --node "$NODE" -f value -c UUID)" "" "port groups after delete"

step "node delete"
bm node delete "$NODE" || fail "exit $?"
if bm node show "$NODE" -f json >/dev/null 2>&1; then fail "the node is still shown"; fi

"$VENV/bin/python" "$(dirname "${BASH_SOURCE[0]}")/sdk_lifecycle.py" "$ENDPOINT" || exit 1

echo "every step passed" >&2
