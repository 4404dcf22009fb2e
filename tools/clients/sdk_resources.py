"""Drives every resource type of a running `ironlog serve` through openstacksdk's baremetal proxy —
nodes, ports, port groups, chassis, allocations, deploy templates, volume connectors and volume
targets — through create, get, list with filters and `fields`, update (patch) and delete, plus the
error each gives for a missing resource and for bad input, asserting every value as Ironic would
give it. The microversion is negotiated by openstacksdk (nothing here names the server's maximum).

usage: python sdk_resources.py http://HOST:PORT

Exits 0 when every step passed; otherwise prints the failing step and exits 1.
"""
import uuid

import openstack
from openstack import exceptions

from sdk_steps import expect, run, step

MISSING = "00000000-0000-4000-8000-000000000000"


def expect_ids(resources, wanted, what):
    expect(sorted(r.id for r in resources), sorted(wanted), what)


def raises(error, call, what):
    """Runs `call` and checks that it raises `error` (an openstacksdk exception class)."""
    try:
        call()
    except error as raised:
        return raised
    except Exception as other:
        raise AssertionError(f"expected {what} to raise {error.__name__}, got {other!r}")
    raise AssertionError(f"expected {what} to raise {error.__name__}, it did not")


def mac(suffix, prefix):
    return prefix + ":" + ":".join(suffix[i:i + 2] for i in (0, 2, 4))


def nodes(bm, suffix):
    step("node create")
    name = f"res-{suffix}"
    node = bm.create_node(driver="fake-hardware", name=name, resource_class="res-class",
                          properties={"cpus": 4, "local_gb": 20}, extra={"rack": "r1"},
                          owner=f"owner-{suffix}")
    expect(node.provision_state, "enroll", "provision_state")
    expect(node.name, name, "name")
    expect(node.properties, {"cpus": 4, "local_gb": 20}, "properties")
    expect(node.owner, f"owner-{suffix}", "owner")
    expect(node.is_maintenance, False, "maintenance")

    step("node get (by UUID, by name, with fields)")
    expect(bm.get_node(node.id).name, name, "name by UUID")
    expect(bm.get_node(name).id, node.id, "UUID by name")
    partial = bm.get_node(node.id, fields=["uuid", "resource_class"])
    expect(partial.resource_class, "res-class", "resource_class with fields")
    expect(partial.name, None, "name outside fields")

    step("node list with filters and fields")
    expect_ids([n for n in bm.nodes(resource_class="res-class") if n.name == name], [node.id],
               "nodes of the resource class")
    expect([n.id for n in bm.nodes(resource_class=f"none-{suffix}")], [], "nodes of an unknown class")
    expect(node.id in [n.id for n in bm.nodes(provision_state="enroll", driver="fake-hardware",
                                              is_maintenance=False, associated=False)], True,
           "node in the enroll, fake-hardware, unassociated list")
    expect(node.id in [n.id for n in bm.nodes(provision_state="active")], False, "node in the active list")
    listed = [n for n in bm.nodes(fields=["uuid", "name", "owner"]) if n.id == node.id]
    expect([(n.name, n.owner, n.provision_state) for n in listed], [(name, f"owner-{suffix}", None)],
           "name, owner and (absent) provision_state with fields")
    detailed = [n for n in bm.nodes(details=True, resource_class="res-class") if n.id == node.id]
    expect([n.extra for n in detailed], [{"rack": "r1"}], "extra in the detailed list")

    step("node update and patch")
    node = bm.update_node(node, description="a node", extra={"rack": "r2"})
    expect((node.description, node.extra), ("a node", {"rack": "r2"}), "description and extra")
    node = bm.patch_node(node, [{"op": "add", "path": "/properties/memory_mb", "value": 8192},
                                {"op": "remove", "path": "/description"}])
    expect(node.properties, {"cpus": 4, "local_gb": 20, "memory_mb": 8192}, "patched properties")
    expect(node.description, None, "removed description")
    expect(bm.get_node(node.id).properties["memory_mb"], 8192, "patched memory_mb read back")

    step("node errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_node(MISSING), "getting a missing node")
    raises(exceptions.BadRequestException, lambda: bm.create_node(driver="no-such-driver"),
           "creating a node with an unknown driver")
    raises(exceptions.ConflictException, lambda: bm.create_node(driver="fake-hardware", name=name),
           "creating a node with a name in use")
    raises(exceptions.BadRequestException,
           lambda: bm.patch_node(node.id, [{"op": "replace", "path": "/no_such_field", "value": 1}]),
           "patching an unknown node field")
    raises(exceptions.ResourceNotFound, lambda: bm.delete_node(MISSING, ignore_missing=False),
           "deleting a missing node")
    return node


def chassis(bm, suffix, node):
    step("chassis create")
    created = bm.create_chassis(description=f"chassis {suffix}", extra={"room": "a"})
    expect((created.description, created.extra), (f"chassis {suffix}", {"room": "a"}), "description and extra")

    step("chassis get (and with fields)")
    expect(bm.get_chassis(created.id).description, f"chassis {suffix}", "description")
    partial = bm.get_chassis(created.id, fields=["uuid", "extra"])
    expect((partial.extra, partial.description), ({"room": "a"}, None), "extra and (absent) description with fields")

    step("chassis list (details and fields)")
    expect([c.description for c in bm.chassis(details=True) if c.id == created.id], [f"chassis {suffix}"],
           "description in the detailed list")
    expect([c.extra for c in bm.chassis(fields=["uuid", "extra"]) if c.id == created.id], [{"room": "a"}],
           "extra in the list with fields")

    step("chassis update and patch; a node in it")
    created = bm.update_chassis(created, description="moved")
    expect(created.description, "moved", "updated description")
    created = bm.patch_chassis(created, [{"op": "add", "path": "/extra/row", "value": "7"}])
    expect(created.extra, {"room": "a", "row": "7"}, "patched extra")
    expect(bm.update_node(node, chassis_id=created.id).chassis_id, created.id, "the node's chassis_uuid")

    step("chassis errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_chassis(MISSING), "getting a missing chassis")
    raises(exceptions.BadRequestException, lambda: bm.create_chassis(description="x" * 256),
           "creating a chassis with a 256-character description")
    raises(exceptions.BadRequestException, lambda: bm.delete_chassis(created, ignore_missing=False),
           "deleting a chassis that holds a node")
    raises(exceptions.BadRequestException, lambda: bm.update_node(node.id, chassis_id=MISSING),
           "naming a missing chassis on a node")

    step("chassis delete")
    bm.patch_node(node, [{"op": "remove", "path": "/chassis_uuid"}])
    bm.delete_chassis(created, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_chassis(created.id), "getting the deleted chassis")


def ports_and_groups(bm, suffix, node):
    step("port group create")
    group_mac = mac(suffix, "52:54:03")
    group = bm.create_port_group(node_id=node.id, name=f"bond-{suffix}", address=group_mac,
                                 mode="active-backup", properties={"miimon": "100"}, extra={"k": "v"})
    expect((group.node_id, group.name, group.address, group.mode, group.properties),
           (node.id, f"bond-{suffix}", group_mac, "active-backup", {"miimon": "100"}),
           "node_uuid, name, address, mode, properties")
    expect(group.is_standalone_ports_supported, True, "standalone_ports_supported")

    step("port create")
    port_mac = mac(suffix, "52:54:04")
    port = bm.create_port(node_id=node.id, address=port_mac, port_group_id=group.id,
                          physical_network="physnet1", is_pxe_enabled=False,
                          local_link_connection={"switch_id": "00:11:22:33:44:55", "port_id": "Eth1/3"},
                          extra={"cable": "c7"})
    expect((port.node_id, port.address, port.port_group_id, port.physical_network, port.is_pxe_enabled),
           (node.id, port_mac, group.id, "physnet1", False), "node, address, group, physical network, pxe")
    expect(port.local_link_connection, {"switch_id": "00:11:22:33:44:55", "port_id": "Eth1/3"},
           "local_link_connection")
    lone_mac = mac(suffix, "52:54:05")
    lone = bm.create_port(node_id=node.id, address=lone_mac)
    expect((lone.port_group_id, lone.is_pxe_enabled), (None, True), "group and pxe of a port by itself")

    step("port and port group get (by address or name, with fields)")
    expect(bm.get_port(port.id).address, port_mac, "port address")
    expect(bm.get_port(port.id, fields=["uuid", "address"]).physical_network, None,
           "physical_network outside fields")
    expect(bm.get_port_group(group.id).name, f"bond-{suffix}", "group by UUID")
    expect(bm.get_port_group(f"bond-{suffix}").id, group.id, "group by name")
    expect(bm.get_port_group(group.id, fields=["uuid", "mode"]).mode, "active-backup", "mode with fields")

    step("port and port group list with filters and fields")
    expect_ids(bm.ports(node=node.id), [port.id, lone.id], "the node's ports")
    expect_ids(bm.ports(node_id=node.id), [port.id, lone.id], "the node's ports by node_uuid")
    expect_ids(bm.ports(address=port_mac), [port.id], "the port by address")
    expect_ids(bm.ports(portgroup=group.id), [port.id], "the group's ports")
    expect([(p.address, p.node_id) for p in bm.ports(node=node.id, fields=["uuid", "address"]) if p.id == lone.id],
           [(lone_mac, None)], "address and (absent) node_uuid with fields")
    expect([p.extra for p in bm.ports(node=node.id, details=True) if p.id == port.id], [{"cable": "c7"}],
           "extra in the detailed list")
    expect_ids(bm.port_groups(node=node.id), [group.id], "the node's port groups")
    expect_ids(bm.port_groups(address=group_mac), [group.id], "the group by address")
    expect([g.mode for g in bm.port_groups(node=node.id, fields=["uuid", "mode"])], ["active-backup"],
           "mode with fields")

    step("port and port group update and patch")
    port = bm.update_port(port, extra={"cable": "c8"}, physical_network="physnet2")
    expect((port.extra, port.physical_network), ({"cable": "c8"}, "physnet2"), "updated extra and physical network")
    port = bm.patch_port(port, [{"op": "add", "path": "/local_link_connection/switch_info", "value": "tor1"}])
    expect(port.local_link_connection["switch_info"], "tor1", "patched switch_info")
    group = bm.update_port_group(group, mode="balance-rr")
    expect(group.mode, "balance-rr", "updated mode")
    group = bm.patch_port_group(group, [{"op": "add", "path": "/extra/k2", "value": "v2"}])
    expect(group.extra, {"k": "v", "k2": "v2"}, "patched extra")

    step("port and port group errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_port(MISSING), "getting a missing port")
    raises(exceptions.ResourceNotFound, lambda: bm.get_port_group(MISSING), "getting a missing port group")
    raises(exceptions.BadRequestException, lambda: bm.create_port(node_id=node.id, address="not-a-mac"),
           "creating a port with a bad address")
    raises(exceptions.BadRequestException, lambda: bm.create_port(node_id=MISSING, address=mac(suffix, "52:54:06")),
           "creating a port on a missing node")
    raises(exceptions.ConflictException, lambda: bm.create_port(node_id=node.id, address=port_mac),
           "creating a port with an address in use")
    raises(exceptions.BadRequestException,
           lambda: bm.create_port_group(node_id=node.id, address="zz:zz"), "creating a group with a bad address")
    raises(exceptions.BadRequestException,
           lambda: bm.patch_port(port.id, [{"op": "replace", "path": "/uuid", "value": MISSING}]),
           "patching a port's uuid")
    raises(exceptions.BadRequestException, lambda: bm.delete_port_group(group, ignore_missing=False),
           "deleting a port group that still has a port")

    step("port and port group delete")
    bm.delete_port(port, ignore_missing=False)
    bm.delete_port(lone, ignore_missing=False)
    bm.delete_port_group(group, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_port(port.id), "getting the deleted port")
    raises(exceptions.ResourceNotFound, lambda: bm.get_port_group(group.id), "getting the deleted group")
    expect(list(bm.ports(node=node.id)), [], "the node's ports after delete")
    expect(bm.delete_port(port.id, ignore_missing=True), None, "deleting a deleted port with ignore_missing")


def volumes(bm, suffix, node):
    step("volume connector create")
    iqn = f"iqn.2026-01.org.example:{suffix}"
    connector = bm.create_volume_connector(node_id=node.id, type="iqn", connector_id=iqn, extra={"a": "b"})
    expect((connector.node_id, connector.type, connector.connector_id, connector.extra),
           (node.id, "iqn", iqn, {"a": "b"}), "node, type, connector_id, extra")

    step("volume target create")
    target = bm.create_volume_target(node_id=node.id, volume_type="iscsi", boot_index=0, volume_id=f"vol-{suffix}",
                                     properties={"target_iqn": "iqn.2026-01.org.example:storage",
                                                 "auth_password": "s3cret"})
    expect((target.node_id, target.volume_type, target.boot_index, target.volume_id),
           (node.id, "iscsi", 0, f"vol-{suffix}"), "node, type, boot index, volume id")
    expect(target.properties, {"target_iqn": "iqn.2026-01.org.example:storage", "auth_password": "******"},
           "properties (secret masked)")

    step("volume get (with fields)")
    expect(bm.get_volume_connector(connector.id).connector_id, iqn, "connector_id")
    expect(bm.get_volume_connector(connector.id, fields=["uuid", "type"]).connector_id, None,
           "connector_id outside fields")
    expect(bm.get_volume_target(target.id).volume_id, f"vol-{suffix}", "volume_id")
    expect(bm.get_volume_target(target.id, fields=["uuid", "boot_index"]).boot_index, 0, "boot_index with fields")

    step("volume list with filters and fields")
    expect_ids(bm.volume_connectors(node=node.id), [connector.id], "the node's connectors")
    expect([c.connector_id for c in bm.volume_connectors(node=node.id, details=True)], [iqn],
           "connector_id in the detailed list")
    expect([(c.type, c.connector_id) for c in bm.volume_connectors(node=node.id, fields=["uuid", "type"])],
           [("iqn", None)], "type and (absent) connector_id with fields")
    expect_ids(bm.volume_targets(node=node.id), [target.id], "the node's targets")
    expect([t.volume_id for t in bm.volume_targets(node=node.id, details=True)], [f"vol-{suffix}"],
           "volume_id in the detailed list")
    expect([t.boot_index for t in bm.volume_targets(node=node.id, fields=["uuid", "boot_index"])], [0],
           "boot_index with fields")

    step("volume update refused while the node is not powered off")
    raises(exceptions.BadRequestException, lambda: bm.update_volume_connector(connector.id, extra={"a": "c"}),
           "updating a connector while the node's power state is unknown")

    step("volume update and patch (the node powered off)")
    bm.set_node_power_state(node, "power off", wait=True, timeout=60)
    expect(bm.get_node(node.id).power_state, "power off", "power_state")
    connector = bm.update_volume_connector(connector, extra={"a": "c"})
    expect(connector.extra, {"a": "c"}, "connector extra")
    connector = bm.patch_volume_connector(connector, [{"op": "replace", "path": "/connector_id", "value": iqn + "-2"}])
    expect(connector.connector_id, iqn + "-2", "patched connector_id")
    target = bm.update_volume_target(target, volume_id=f"vol-{suffix}-2")
    expect(target.volume_id, f"vol-{suffix}-2", "target volume_id")
    target = bm.patch_volume_target(target, [{"op": "add", "path": "/properties/target_lun", "value": 1}])
    expect(target.properties["target_lun"], 1, "patched target_lun")

    step("volume errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_volume_connector(MISSING), "getting a missing connector")
    raises(exceptions.ResourceNotFound, lambda: bm.get_volume_target(MISSING), "getting a missing target")
    raises(exceptions.BadRequestException,
           lambda: bm.create_volume_connector(node_id=node.id, type="no-such-type", connector_id="x"),
           "creating a connector of an unknown type")
    raises(exceptions.ConflictException,
           lambda: bm.create_volume_connector(node_id=node.id, type="iqn", connector_id=iqn + "-2"),
           "creating a connector with a connector_id in use")
    raises(exceptions.ConflictException,
           lambda: bm.create_volume_target(node_id=node.id, volume_type="iscsi", boot_index=0, volume_id="other"),
           "creating a second target with boot index 0")
    raises(exceptions.BadRequestException,
           lambda: bm.create_volume_target(node_id=MISSING, volume_type="iscsi", boot_index=1, volume_id="v"),
           "creating a target on a missing node")

    step("volume delete")
    bm.delete_volume_target(target, ignore_missing=False)
    bm.delete_volume_connector(connector, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_volume_target(target.id), "getting the deleted target")
    raises(exceptions.ResourceNotFound, lambda: bm.get_volume_connector(connector.id), "getting the deleted connector")
    expect(list(bm.volume_targets(node=node.id)), [], "the node's targets after delete")


def deploy_templates(bm, suffix):
    step("deploy template create")
    name = f"CUSTOM_RES_{suffix.upper()}"
    steps = [{"interface": "bios", "step": "apply_configuration", "args": {"settings": []}, "priority": 150}]
    template = bm.create_deploy_template(name=name, steps=steps, extra={"x": "y"})
    expect((template.name, template.steps, template.extra), (name, steps, {"x": "y"}), "name, steps, extra")

    step("deploy template get (by UUID, by name, with fields)")
    expect(bm.get_deploy_template(template.id).name, name, "name by UUID")
    expect(bm.get_deploy_template(name).id, template.id, "UUID by name")
    partial = bm.get_deploy_template(template.id, fields=["uuid", "name"])
    expect((partial.name, partial.steps), (name, None), "name and (absent) steps with fields")

    step("deploy template list (details and fields)")
    expect([(t.name, t.steps) for t in bm.deploy_templates() if t.id == template.id], [(name, None)],
           "name and no steps in the plain list")
    expect([t.steps for t in bm.deploy_templates(details=True) if t.id == template.id], [steps],
           "steps in the detailed list")
    expect([t.extra for t in bm.deploy_templates(fields=["uuid", "extra"]) if t.id == template.id], [{"x": "y"}],
           "extra with fields")

    step("deploy template update and patch")
    template = bm.update_deploy_template(template, extra={"x": "z"})
    expect(template.extra, {"x": "z"}, "updated extra")
    template = bm.patch_deploy_template(template, [{"op": "replace", "path": "/steps/0/priority", "value": 10}])
    expect(template.steps[0]["priority"], 10, "patched priority")

    step("deploy template errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_deploy_template(MISSING), "getting a missing template")
    raises(exceptions.BadRequestException, lambda: bm.create_deploy_template(name="not a trait", steps=steps),
           "creating a template whose name is not a trait")
    raises(exceptions.BadRequestException, lambda: bm.create_deploy_template(name=name + "_2", steps=[]),
           "creating a template without steps")
    raises(exceptions.ConflictException, lambda: bm.create_deploy_template(name=name, steps=steps),
           "creating a template with a name in use")
    raises(exceptions.BadRequestException,
           lambda: bm.patch_deploy_template(template.id, [{"op": "replace", "path": "/steps/0/interface", "value": "x"}]),
           "patching a step's interface to an unknown one")

    step("deploy template delete")
    bm.delete_deploy_template(template, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_deploy_template(template.id), "getting the deleted template")


def allocations(bm, suffix, node):
    owner = f"owner-{suffix}"
    step("allocation: make the node available with traits")
    bm.set_node_traits(node, ["CUSTOM_RES_A", "CUSTOM_RES_B"])
    bm.set_node_provision_state(node, "manage", wait=True, timeout=120)
    bm.set_node_provision_state(node, "provide", wait=True, timeout=120)
    expect(bm.get_node(node.id).provision_state, "available", "provision_state")

    step("allocation create (resource class, traits, candidates, name, owner)")
    name = f"host-{suffix}"
    allocation = bm.create_allocation(name=name, resource_class="res-class", traits=["CUSTOM_RES_A"],
                                      candidate_nodes=[node.name], owner=owner, extra={"job": "1"})
    allocation = bm.wait_for_allocation(allocation, timeout=60)
    expect((allocation.state, allocation.node_id, allocation.last_error), ("active", node.id, None),
           "state, node_uuid, last_error")
    expect((allocation.name, allocation.resource_class, allocation.traits, allocation.candidate_nodes,
            allocation.owner, allocation.extra),
           (name, "res-class", ["CUSTOM_RES_A"], [node.id], owner, {"job": "1"}),
           "name, resource_class, traits, candidate_nodes (as UUIDs), owner, extra")
    reserved = bm.get_node(node.id)
    expect((reserved.allocation_id, reserved.instance_id), (allocation.id, allocation.id),
           "the node's allocation_uuid and instance_uuid")
    expect(reserved.instance_info.get("traits"), ["CUSTOM_RES_A"], "the node's instance_info.traits")

    step("allocation get (by UUID, by name, with fields)")
    expect(bm.get_allocation(allocation.id).name, name, "name by UUID")
    expect(bm.get_allocation(name).id, allocation.id, "UUID by name")
    partial = bm.get_allocation(allocation.id, fields=["uuid", "state"])
    expect((partial.state, partial.resource_class), ("active", None), "state and (absent) resource_class with fields")

    step("allocation list with filters and fields")
    expect_ids(bm.allocations(node=node.id), [allocation.id], "allocations of the node")
    expect_ids([a for a in bm.allocations(resource_class="res-class", state="active") if a.id == allocation.id],
               [allocation.id], "allocations of the class, active")
    expect_ids(bm.allocations(owner=owner), [allocation.id], "allocations of the owner")
    expect(list(bm.allocations(node=node.id, state="error")), [], "the node's allocations in error")
    expect([(a.node_id, a.name) for a in bm.allocations(node=node.id, fields=["uuid", "node_uuid"])],
           [(node.id, None)], "node_uuid and (absent) name with fields")

    step("allocation update and patch")
    allocation = bm.update_allocation(allocation, name=f"{name}-2")
    expect(allocation.name, f"{name}-2", "updated name")
    allocation = bm.patch_allocation(allocation, [{"op": "add", "path": "/extra/job", "value": "2"}])
    expect(allocation.extra, {"job": "2"}, "patched extra")

    step("allocation errors")
    raises(exceptions.ResourceNotFound, lambda: bm.get_allocation(MISSING), "getting a missing allocation")
    raises(exceptions.BadRequestException, lambda: bm.create_allocation(traits=["CUSTOM_RES_A"]),
           "creating an allocation without a resource class")
    raises(exceptions.ConflictException, lambda: bm.create_allocation(name=f"{name}-2", resource_class="res-class"),
           "creating an allocation with a name in use")
    raises(exceptions.BadRequestException,
           lambda: bm.patch_allocation(allocation.id, [{"op": "replace", "path": "/resource_class", "value": "x"}]),
           "patching an allocation's resource class")
    failed = bm.create_allocation(resource_class="res-class", candidate_nodes=[node.id])
    raised = raises(exceptions.SDKException, lambda: bm.wait_for_allocation(failed, timeout=60),
                    "waiting for an allocation no node fits")
    failed = bm.wait_for_allocation(failed, timeout=60, ignore_error=True)
    expect((failed.state, failed.node_id), ("error", None), "state and node of an allocation no node fits")
    if not failed.last_error or failed.last_error not in str(raised):
        raise AssertionError(f"last_error {failed.last_error!r} not in the raised error {raised!r}")
    bm.delete_allocation(failed, ignore_missing=False)

    step("allocation delete")
    bm.delete_allocation(allocation, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_allocation(allocation.id), "getting the deleted allocation")
    released = bm.get_node(node.id)
    expect((released.allocation_id, released.instance_id), (None, None), "the node's allocation after delete")
    expect(bm.delete_allocation(allocation.id, ignore_missing=True), None, "deleting it again with ignore_missing")

    step("allocation backfill for a deployed node (1.58)")
    bm.set_node_provision_state(node, "active", wait=True, timeout=120)
    backfilled = bm.create_allocation(node=node.name, name=f"{name}-backfill")
    backfilled = bm.wait_for_allocation(backfilled, timeout=60)
    expect((backfilled.state, backfilled.node_id, backfilled.resource_class), ("active", node.id, "res-class"),
           "state, node_uuid and resource_class (the node's) of the backfilled allocation")
    expect(bm.get_node(node.id).allocation_id, backfilled.id, "the deployed node's allocation_uuid")

    step("the node's allocation: GET and DELETE /v1/nodes/{node}/allocation")
    version = {"microversion": "1.52"}
    shown = bm.get(f"/nodes/{node.id}/allocation", **version)
    expect((shown.status_code, shown.json()["uuid"]), (200, backfilled.id), "GET /nodes/{node}/allocation")
    shown = bm.get(f"/nodes/{node.id}/allocation?fields=uuid,name", **version)
    expect(sorted(shown.json()), ["links", "name", "uuid"], "GET /nodes/{node}/allocation with fields")
    expect(bm.delete(f"/nodes/{node.id}/allocation", **version).status_code, 409,
           "DELETE /nodes/{node}/allocation of an active node")
    bm.set_node_maintenance(node, reason="re-home")
    expect(bm.delete(f"/nodes/{node.id}/allocation", **version).status_code, 204,
           "DELETE /nodes/{node}/allocation of an active node in maintenance")
    expect(bm.get(f"/nodes/{node.id}/allocation", **version).status_code, 404, "GET /nodes/{node}/allocation after delete")
    released = bm.get_node(node.id)
    expect((released.allocation_id, released.instance_id), (None, None), "the node's allocation after its delete")
    bm.unset_node_maintenance(node)
    bm.set_node_provision_state(node, "deleted", wait=True, timeout=120)
    expect(bm.get_node(node.id).provision_state, "available", "provision_state after undeploy")


def main(endpoint):
    # openstacksdk retries a baremetal 409 (Ironic's answer for a locked node) five times over 15 s;
    # every 409 this script provokes is a refusal, so it asks for no retries.
    cloud = openstack.connect(auth_type="none", baremetal_endpoint_override=endpoint,
                              baremetal_status_code_retries=0, load_yaml_config=False, load_envvars=False)
    bm = cloud.baremetal
    suffix = uuid.uuid4().hex[:6]
    node = nodes(bm, suffix)
    chassis(bm, suffix, node)
    ports_and_groups(bm, suffix, node)
    volumes(bm, suffix, node)
    deploy_templates(bm, suffix)
    allocations(bm, suffix, node)

    step("node delete")
    bm.delete_node(node, ignore_missing=False)
    raises(exceptions.ResourceNotFound, lambda: bm.get_node(node.id), "getting the deleted node")
    expect(bm.find_node(node.name), None, "finding the deleted node by name")


if __name__ == "__main__":
    run('sdk resources', main, 'every openstacksdk resource step passed')
