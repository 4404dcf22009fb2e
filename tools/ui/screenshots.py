#!/usr/bin/python3
"""Takes the screenshots docs/ui.md shows, from a small demo fleet on a running server.

    ironlog serve --data /tmp/ui-demo --port 6385 &
    tools/ui/screenshots.py --base http://127.0.0.1:6385 --out docs/images

Enrolls eight fake-hardware nodes (with ports and a volume connector on the first), takes some
to active, some to available or manageable, sets one in maintenance, then photographs the fleet,
a node, its timeline and the time slider in a headless chromium of its own. Use an empty data
directory: the pictures are of whatever the server holds.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Chromium, Page, wait_for_devtools  # noqa: E402
from e2e import API  # noqa: E402


def wait_state(api, uuid, state, deadline=90):
    end = time.time() + deadline
    while api.json("GET", f"/v1/nodes/{uuid}")["provision_state"] != state:
        if time.time() > end:
            raise SystemExit(f"node {uuid} did not reach {state}")
        time.sleep(0.2)


def populate(api):
    plan = ["active", "active", "active", "available", "available", "manageable", "enroll", "active"]
    nodes = []
    for index, target in enumerate(plan):
        node = api.json("POST", "/v1/nodes", {"name": f"rack1-node{index + 1:02d}", "driver": "fake-hardware",
                                              "driver_info": {"fake_username": "admin", "fake_password": "not-shown"}})
        nodes.append((node["uuid"], target))
        api.json("POST", "/v1/ports", {"address": f"52:54:00:00:01:{index + 1:02x}", "node_uuid": node["uuid"], "pxe_enabled": True})
    api.json("POST", "/v1/volume/connectors", {"node_uuid": nodes[0][0], "type": "iqn", "connector_id": "iqn.2026-11.org.example:rack1-node01"})
    for uuid, target in nodes:
        if target == "enroll":
            continue
        api.json("PUT", f"/v1/nodes/{uuid}/states/provision", {"target": "manage"})
        wait_state(api, uuid, "manageable")
        if target == "manageable":
            continue
        api.json("PUT", f"/v1/nodes/{uuid}/states/provision", {"target": "provide"})
        wait_state(api, uuid, "available")
        if target == "active":
            api.json("PUT", f"/v1/nodes/{uuid}/states/provision", {"target": "active"})
            wait_state(api, uuid, "active")
    api.json("PUT", f"/v1/nodes/{nodes[4][0]}/maintenance", {"reason": "fan replacement"})
    return nodes[0][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    api = API(options.base)
    first = populate(api)
    browser = Chromium()
    try:
        wait_for_devtools(browser.port)
        page = Page(browser.port)
        page.navigate(f"{api.base}/ui/")
        page.wait_for("document.getElementById('stream-status').dataset.state === 'live'"
                      " && document.querySelectorAll('#fleet-table tbody tr').length === 8", "the fleet")
        page.wait_for("document.querySelectorAll('#fleet-chart-svg rect').length > 0", "the chart")
        time.sleep(0.5)
        page.screenshot(os.path.join(options.out, "ui-fleet.png"))
        page.evaluate(f"location.hash = '#/node/{first}'")
        page.wait_for("document.querySelectorAll('#node-timeline tbody tr').length > 10", "the node")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(os.path.join(options.out, "ui-node.png"))
        page.evaluate("document.getElementById('timeline-title').scrollIntoView()")
        page.screenshot(os.path.join(options.out, "ui-timeline.png"))
        page.evaluate("(() => { const s = document.getElementById('asof-slider'); s.value = '6'; s.dispatchEvent(new Event('input')); })()")
        page.wait_for("document.getElementById('asof-banner').textContent.includes('As of')", "the as-of view")
        time.sleep(0.3)
        page.evaluate("document.getElementById('asof-title').scrollIntoView()")
        page.screenshot(os.path.join(options.out, "ui-time-slider.png"))
        page.close()
    finally:
        browser.close()
    print(f"screenshots in {options.out}")


if __name__ == "__main__":
    main()
