"""Drives a running `ironlog serve` through a node's whole life with openstacksdk's baremetal proxy,
asserting every result as Ironic would give it.

usage: python sdk_lifecycle.py http://HOST:PORT

Exits 0 when every step passed; otherwise prints the failing step and exits 1.
"""
import uuid

import openstack

from sdk_steps import expect, run, step


def main(endpoint):
    cloud = openstack.connect(auth_type="none", baremetal_endpoint_override=endpoint,
                              load_yaml_config=False, load_envvars=False)
    bm = cloud.baremetal
    suffix = uuid.uuid4().hex
    name = f"sdk-{suffix[:8]}"
    mac = "52:54:02:" + ":".join(suffix[i:i + 2] for i in (8, 10, 12))

    step("create node")
    node = bm.create_node(driver="fake-hardware", name=name, resource_class="baremetal",
                          properties={"cpus": 8, "memory_mb": 16384})
    expect(node.provision_state, "enroll", "provision_state")
    expect(bm.get_node(name).id, node.id, "node looked up by name")

    step("list nodes with filters and fields")
    listed = [n.id for n in bm.nodes(provision_state="enroll", resource_class="baremetal")]
    if node.id not in listed:
        raise AssertionError(f"{node.id} not in the filtered list {listed}")
    fields = next(n for n in bm.nodes(fields=["uuid", "name"]) if n.id == node.id)
    expect(fields.name, name, "name with fields=uuid,name")

    step("update node")
    node = bm.update_node(node, extra={"rack": "r12"})
    expect(node.extra, {"rack": "r12"}, "extra")

    step("ports and port groups")
    group = bm.create_port_group(node_id=node.id, name=f"{name}-bond", mode="802.3ad")
    port = bm.create_port(node_id=node.id, address=mac, port_group_id=group.id,
                          physical_network="physnet1",
                          local_link_connection={"switch_id": "00:11:22:33:44:55", "port_id": "Ethernet1/1"})
    expect([p.id for p in bm.ports(node=node.id)], [port.id], "the node's ports")
    expect([p.id for p in bm.ports(portgroup=group.id)], [port.id], "the group's ports")

    step("manage, inspect, provide, deploy with waits")
    bm.set_node_provision_state(node, "manage", wait=True, timeout=120)
    bm.set_node_provision_state(node, "inspect", wait=True, timeout=120)
    bm.set_node_provision_state(node, "provide", wait=True, timeout=120)
    node = bm.set_node_provision_state(node, "active", wait=True, timeout=120)
    expect(node.provision_state, "active", "provision_state")
    expect(bm.get_node(node.id).power_state, "power on", "power_state")

    step("power, maintenance, traits, boot device")
    bm.set_node_power_state(node, "power off", wait=True, timeout=60)
    expect(bm.get_node(node.id).power_state, "power off", "power_state")
    bm.set_node_power_state(node, "power on", wait=True, timeout=60)
    bm.set_node_maintenance(node, reason="fan")
    expect(bm.get_node(node.id).maintenance_reason, "fan", "maintenance_reason")
    bm.unset_node_maintenance(node)
    expect(bm.get_node(node.id).is_maintenance, False, "maintenance")
    bm.set_node_traits(node, ["CUSTOM_SDK", "HW_CPU_X86_VMX"])
    expect(sorted(bm.get_node(node.id).traits), ["CUSTOM_SDK", "HW_CPU_X86_VMX"], "traits")
    bm.set_node_boot_device(node, "disk", persistent=True)
    expect(bm.get_node_boot_device(node)["boot_device"], "disk", "boot device")

    step("vif attach, list, detach")
    vif = str(uuid.uuid4())
    bm.attach_vif_to_node(node, vif)
    expect(bm.list_node_vifs(node), [vif], "vifs")
    bm.detach_vif_from_node(node, vif)
    expect(bm.list_node_vifs(node), [], "vifs after detach")

    step("undeploy and delete")
    bm.set_node_provision_state(node, "deleted", wait=True, timeout=120)
    expect(bm.get_node(node.id).provision_state, "available", "provision_state")
    bm.delete_port(port)
    bm.delete_port_group(group)
    bm.delete_node(node)
    expect(bm.find_node(node.id), None, "the deleted node")


if __name__ == "__main__":
    run('sdk', main, 'every openstacksdk step passed')
