#!/usr/bin/python3
"""End-to-end checks of Ironlog's web UI in a real headless chromium, against a running server.

    tools/ui/e2e.py --base http://127.0.0.1:6385 --screenshots DIR [--cdp-port N]
                    [--page URL] [--user U --password P]

Loads the UI, checks how its files are served, its labels, contrast and keyboard navigation;
enrolls a node through the form, moves it through manage and provide with the buttons, sees a
refused action's message, deploys it from outside the page and watches the state arrive live
in the fleet (no reload, no polling), opens its timeline from the keyboard and moves the time
slider. With --user/--password the server must require basic auth: the page must ask for them.
`--page` serves the UI from another origin than `--base` (CORS). Screenshots go to DIR.
Without --cdp-port it starts (and ends) a headless chromium of its own.

Prints one line per check and, at the end, "every UI check passed"; exits 1 naming the check
that failed (with a screenshot of that moment in DIR).
"""

import argparse
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Chromium, Page, wait_for_devtools  # noqa: E402


class CheckFailed(Exception):
    pass


def check(name, condition, detail=""):
    if not condition:
        raise CheckFailed(f"{name}{': ' + str(detail) if detail else ''}")
    print(f"ok - {name}", flush=True)


class API:
    """Direct calls to the server, as another client of the same fleet."""

    def __init__(self, base, user=None, password=None):
        self.base = base.rstrip("/")
        self.auth = None
        if user:
            self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def call(self, method, path, body=None, headers=None, auth=True):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("X-OpenStack-Ironic-API-Version", "latest")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if auth and self.auth:
            request.add_header("Authorization", self.auth)
        for key, value in (headers or {}).items():
            request.add_header(key, value)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, method, path, body=None):
        status, _, data = self.call(method, path, body)
        if status >= 300:
            raise CheckFailed(f"{method} {path} answered {status}: {data[:300]!r}")
        return json.loads(data) if data else None


CONTRAST = r"""
(() => {
  const parse = (c) => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (e) => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c.a > 0.5 && getComputedStyle(e).backgroundImage === 'none') return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const failures = [];
  let checked = 0;
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || !e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const fg = parse(getComputedStyle(e).color), bg = background(e);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    checked++;
    if (ratio < 4.5) failures.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return { checked, failures };
})()
"""

UNLABELLED = r"""
[...document.querySelectorAll('input, select, textarea')].filter((e) => e.type !== 'hidden'
  && !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map((e) => e.id || e.name)
"""


def run(page, api, options, shots):
    base = api.base
    page_url = options.page or f"{base}/ui"

    # How the files are served.
    status, headers, _ = api.call("GET", "/ui", auth=False)
    check("GET /ui redirects to /ui/", status == 301 and headers.get("Location") == "/ui/", (status, headers.get("Location")))
    status, headers, body = api.call("GET", "/ui/", auth=False)
    check("GET /ui/ serves index.html as HTML without credentials", status == 200 and headers.get("Content-Type", "").startswith("text/html")
          and b'type="module"' in body, (status, headers.get("Content-Type")))
    status, headers, _ = api.call("GET", "/ui/app.js", auth=False)
    check("a module is text/javascript with Cache-Control and an ETag", status == 200 and headers.get("Content-Type", "").startswith("text/javascript")
          and headers.get("Cache-Control") == "no-cache" and headers.get("ETag"), headers)
    status, _, _ = api.call("GET", "/ui/app.js", headers={"If-None-Match": headers.get("ETag", "")}, auth=False)
    check("If-None-Match with the current tag is 304", status == 304, status)
    status, _, body = api.call("GET", "/ui/missing.js", auth=False)
    check("an unknown file is 404 in Ironic's error format", status == 404 and "faultstring" in json.loads(body).get("error_message", ""), body[:200])

    page.navigate(page_url)
    page.wait_for("document.readyState === 'complete' && location.pathname === '/ui/'", "the page to load at /ui/")

    if options.user:
        page.wait_for("!document.getElementById('login').hidden", "the login form, since the server requires credentials")
        page.screenshot(os.path.join(shots, "login.png"))
        page.type_into("#login-user", options.user)
        page.type_into("#login-password", "not-the-password")
        page.evaluate("document.querySelector('#login form button[type=submit]').click()")
        page.wait_for("document.getElementById('login-error').textContent.includes('Incorrect username or password')",
                      "the server's refusal of a wrong password")
        check("a wrong password shows the server's message", True)
        page.type_into("#login-user", options.user)
        page.type_into("#login-password", options.password)
        page.key("Enter", "Enter", 13)
        page.wait_for("document.getElementById('login').hidden", "the login form to close after signing in")
        check("signing in with the right password opens the fleet", True)
        stored = page.evaluate("sessionStorage.getItem('ironlog.auth') !== null && localStorage.length === 0")
        check("credentials are kept in sessionStorage only", stored)
        # A reload in the same tab keeps them (and starts keyboard navigation from the top).
        page.navigate(page_url)
        page.wait_for("document.readyState === 'complete' && document.getElementById('stream-status').dataset.state === 'live'"
                      " && document.getElementById('login').hidden", "the fleet after a reload, signed in")
        check("a reload in the same tab stays signed in", True)

    page.wait_for("document.getElementById('stream-status').dataset.state === 'live'", "the event stream to be live")
    check("the event stream is connected", True)
    page.evaluate("window.__notReloaded = true")

    # Accessibility basics.
    unlabelled = page.evaluate(UNLABELLED)
    check("every form control has a label", unlabelled == [], unlabelled)
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    page.evaluate("document.body.focus()")
    page.tab()
    check("the first Tab reaches the skip link", page.evaluate("document.activeElement.classList.contains('skip')"),
          page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    page.key("Enter", "Enter", 13)
    check("the skip link moves focus to the main content", page.wait_for("document.activeElement.id === 'main'", "focus on main", 10))

    # Enroll through the form.
    name = f"ui-node-{int(time.time() * 1000) % 100000}"
    page.type_into("#enroll-name", name)
    page.evaluate("document.querySelector('#enroll-form button[type=submit]').click()")
    row = f"[...document.querySelectorAll('#fleet-table tbody tr')].find((r) => r.querySelector('th a')?.textContent === {json.dumps(name)})"
    page.wait_for(f"{row}?.dataset.state === 'enroll'", f"{name} to appear in the fleet as enroll")
    check("an enrolled node appears in the fleet", True)
    uuid = page.evaluate(f"{row}.dataset.uuid")
    api.json("PATCH", f"/v1/nodes/{uuid}", [{"op": "add", "path": "/driver_info/fake_password", "value": "s3cret-value"}])
    counts = page.evaluate("[...document.querySelectorAll('#fleet-counts li')].map((li) => li.dataset.state)")
    check("the counts by state list enroll", "enroll" in counts, counts)
    contrast = page.evaluate(CONTRAST)
    check(f"text contrast is at least 4.5:1 ({contrast['checked']} elements)", contrast["checked"] > 20 and not contrast["failures"], contrast["failures"][:10])

    # Open the node from the keyboard: focus its link, press Enter.
    page.evaluate(f"{row}.querySelector('th a').focus()")
    page.wait_for(f"{row}?.querySelector('th a') === document.activeElement", "the node's link to keep focus through live redraws", 10)
    page.key("Enter", "Enter", 13)
    page.wait_for(f"location.hash === '#/node/{uuid}' && document.getElementById('node-title').textContent === {json.dumps(name)}",
                  "the node view, opened with Enter")
    check("Enter on a fleet link opens the node view", True)
    page.wait_for("document.querySelectorAll('#node-timeline tbody tr').length >= 1", "the timeline")
    text = page.evaluate("document.getElementById('node').innerText")
    check("secrets are masked in the node's fields", "s3cret-value" not in text and "fake_password" in text)

    # A refused action shows the server's message.
    page.evaluate("document.querySelector('button[data-action=deploy]').click()")
    page.wait_for("!!document.getElementById('action-error')", "a refusal of deploy from enroll")
    refusal = page.evaluate("document.getElementById('action-error').textContent")
    check("a refused action shows the server's message", "Refused (4" in refusal and "enroll" in refusal.lower(), refusal)
    contrast = page.evaluate(CONTRAST)
    check("the refusal's text contrast is at least 4.5:1", not contrast["failures"], contrast["failures"][:10])

    # Manage and provide with the buttons; each state arrives through the stream.
    for action, state in (("manage", "manageable"), ("provide", "available")):
        # From the keyboard: focus the button, press Enter; focus stays on it through the redraw.
        page.evaluate(f"document.querySelector('button[data-action={action}]').focus()")
        page.key("Enter", "Enter", 13)
        page.wait_for(f"document.getElementById('node-provision-state')?.dataset.state === '{state}'", f"{state} after {action}", 90)
        check(f"{action} (Enter on its button) moves the node to {state}", True)
        check(f"focus stays on {action} after the live update", page.wait_for(
            f"document.activeElement?.dataset?.action === '{action}'", f"focus on {action}", 10))
    page.screenshot(os.path.join(shots, "node.png"))

    # Back to the fleet; deploy from outside the page and watch it arrive live.
    page.evaluate("location.hash = '#/'")
    page.wait_for(f"!document.getElementById('fleet').hidden && {row}?.dataset.state === 'available'", "the fleet again")
    api.json("PUT", f"/v1/nodes/{uuid}/states/provision", {"target": "active"})
    page.wait_for(f"{row}?.dataset.state === 'active'", "the fleet row to become active live", 90)
    check("a deploy made elsewhere arrives live in the fleet without a reload", page.evaluate("window.__notReloaded === true"))
    page.wait_for("document.querySelectorAll('#fleet-chart-svg rect').length > 0", "bars in the fleet timeline chart")
    check("the fleet chart draws events per minute", page.evaluate("document.querySelector('#fleet-chart .legend li') !== null"))
    page.evaluate("document.getElementById('fleet-filter').value = 'zzz-no-such'; document.getElementById('fleet-filter').dispatchEvent(new Event('input'))")
    check("the filter hides nodes that do not match", page.evaluate(f"!{row}"))
    page.evaluate("document.getElementById('fleet-filter').value = ''; document.getElementById('fleet-filter').dispatchEvent(new Event('input'))")
    page.evaluate("document.querySelector('button[data-sort=provision_state]').click()")
    check("sorting by a column marks it", page.evaluate("document.querySelector('button[data-sort=provision_state]').closest('th').getAttribute('aria-sort') === 'ascending'"))
    page.screenshot(os.path.join(shots, "fleet.png"))

    # The timeline: actor, request ids, causation links.
    page.evaluate(f"location.hash = '#/node/{uuid}'")
    page.wait_for(f"document.getElementById('node-provision-state')?.dataset.state === 'active'", "the node view, active")
    # Maintenance with a reason, and power, through the buttons.
    page.type_into("#maintenance-reason", "disk swap")
    page.evaluate("document.querySelector('button[data-action=maintenance-on]').click()")
    page.wait_for("document.getElementById('node-summary').textContent.includes('maintenance: disk swap')", "maintenance with its reason")
    check("set maintenance with a reason shows it", True)
    page.evaluate("document.querySelector('button[data-action=maintenance-off]').click()")
    page.wait_for("!document.getElementById('node-summary').textContent.includes('maintenance:')", "maintenance cleared")
    check("clear maintenance clears it", True)
    for action, state in (("power-off", "power off"), ("power-on", "power on")):
        page.evaluate(f"document.querySelector('button[data-action={action}]').click()")
        page.wait_for(f"document.getElementById('node-power-state').textContent.includes('{state}')", f"{state} after {action}", 60)
        check(f"{action} turns the node's power to {state}", True)
    # The node may still be recording (a power sync): compare until the page and the API agree.
    end = time.time() + 60
    while True:
        history = api.json("GET", f"/v1/nodes/{uuid}/history")["history"]
        if page.evaluate("document.querySelectorAll('#node-timeline tbody tr').length") == len(history):
            break
        if time.time() > end:
            raise CheckFailed(f"the timeline never showed the {len(history)} events of the node's history")
        time.sleep(0.2)
    check(f"the timeline shows all {len(history)} events", True)
    shown = page.evaluate("[...document.querySelectorAll('#node-timeline tbody tr')].map((r) => ({type: r.dataset.type, actor: r.cells[4].textContent, request: r.cells[5].textContent}))")
    check("the timeline names actors and request ids", all(row_["actor"] for row_ in shown) and any(row_["request"].startswith("req-") for row_ in shown), shown[:3])
    if options.user:
        check(f"actions through the page are recorded as {options.user}", any(row_["actor"] == options.user for row_ in shown), shown[:3])
    page.wait_for("document.getElementById('node-network-phase').textContent.startsWith('Network phase: ')", "the node's network phase")
    check("the node's network phase is shown", True)
    caused = sum(1 for record in history if record.get("causation_id") in {r["event_id"] for r in history})
    links = page.evaluate("document.querySelectorAll('#node-timeline a.cause').length")
    check(f"each causation within the node is a link ({caused})", links == caused, (links, caused))
    if links:
        page.evaluate("document.querySelector('#node-timeline a.cause').click()")
        check("a causation link focuses its cause", page.wait_for("document.activeElement.id.startsWith('ev-')", "focus on the cause", 10))
    page.screenshot(os.path.join(shots, "timeline.png"))

    # The time slider, from the keyboard: Home is the first event (enrolled), End is now.
    page.evaluate("document.getElementById('asof-slider').focus()")
    page.key("Home", "Home", 36)
    page.wait_for("document.querySelector('#node-fields tr[data-field=provision_state] td')?.textContent === 'enroll'"
                  " && document.getElementById('asof-banner').textContent.includes('As of position')", "the node as of its first event")
    check("the slider at the start shows the node as enrolled", page.evaluate("document.querySelectorAll('#node-timeline tr.future').length") == len(history) - 1)
    page.key("ArrowRight", "ArrowRight", 39)
    page.wait_for(f"document.getElementById('asof-banner').textContent.includes('position {history[1]['position']}')", "the second event")
    check("arrow keys step through the history", True)
    middle = next(i for i, record in enumerate(history) if record.get("state") == "manageable")
    page.evaluate(f"(() => {{ const s = document.getElementById('asof-slider'); s.value = '{middle}'; s.dispatchEvent(new Event('input')); }})()")
    page.wait_for("document.querySelector('#node-fields tr[data-field=provision_state] td')?.textContent === 'manageable'", "the node as of manageable")
    check("the slider shows the node as it was at any point", True)
    contrast = page.evaluate(CONTRAST)
    check(f"text contrast in the node view is at least 4.5:1 ({contrast['checked']} elements)", contrast["checked"] > 50 and not contrast["failures"], contrast["failures"][:10])
    page.screenshot(os.path.join(shots, "time-slider.png"))
    page.key("End", "End", 35)
    page.wait_for("document.querySelector('#node-fields tr[data-field=provision_state] td')?.textContent === 'active'"
                  " && document.getElementById('asof-banner').textContent === ''", "the node now")
    check("End returns to the node now", True)

    if options.switch:
        switch_ports(page, api, shots)

    # The stream module resumes after a dropped connection with Last-Event-ID: nothing missed, nothing twice.
    head = history[-1]["position"]
    page.evaluate(f"""(async () => {{
      const {{ EventStream }} = await import('./stream.js');
      window.__seen = [];
      window.__resume = new EventStream({{ after: {head - 3}, onEvent: (e) => window.__seen.push(e.position) }});
      window.__resume.start();
    }})()""")
    page.wait_for("window.__seen.length >= 3", "the replayed events after a position")
    page.evaluate("window.__resume.controller.abort()")
    api.json("PUT", f"/v1/nodes/{uuid}/maintenance", {"reason": "resume check"})
    api.json("DELETE", f"/v1/nodes/{uuid}/maintenance")
    page.wait_for("window.__seen.length >= 5", "events after the reconnection", 60)
    seen = page.evaluate("window.__seen")
    page.evaluate("window.__resume.stop()")
    check("after a dropped stream it resumes with Last-Event-ID, missing and repeating nothing",
          seen == sorted(set(seen)) and seen[0] == head - 2 and seen == list(range(seen[0], seen[0] + len(seen))), seen)

    check("the page threw no exception", not page.exceptions, page.exceptions)


def switch_ports(page, api, shots):
    """A node cabled to a managed switch (an OVS database of our own): its port's VLAN, network and
    phase in the node view, as the switch interface moved it through cleaning and into the tenant
    network. The server must run with --cleaning-network cleaning --provisioning-network provisioning."""
    from ovs import OVSSandbox  # noqa: E402 - only this check needs Open vSwitch
    sandbox = OVSSandbox("br-nodes", ["eth1"])
    try:
        for name, vlan in (("provisioning", 100), ("cleaning", 200), ("tenant-a", 1000)):
            api.json("POST", "/v1/networks", {"name": name, "vlan": vlan})
        api.json("POST", "/v1/switches", {"name": "sw1", "switch_id": "0x00000000000000aa", "ovsdb": sandbox.ovsdb, "bridge": "br-nodes"})
        node = api.json("POST", "/v1/nodes", {"name": "cabled-node", "driver": "fake-hardware", "network_interface": "switch"})
        uuid = node["uuid"]
        api.json("POST", "/v1/ports", {"address": "52:54:00:00:10:01", "node_uuid": uuid, "pxe_enabled": True,
                                       "local_link_connection": {"switch_id": "0x00000000000000aa", "port_id": "eth1", "switch_info": "sw1"}})
        page.evaluate(f"location.hash = '#/node/{uuid}'")
        page.wait_for("document.getElementById('node-title').textContent === 'cabled-node'", "the cabled node's view")
        for action, state in (("manage", "manageable"), ("provide", "available")):
            page.evaluate(f"document.querySelector('button[data-action={action}]').click()")
            page.wait_for(f"document.getElementById('node-provision-state')?.dataset.state === '{state}'", f"{state} after {action}", 90)
        api.json("POST", f"/v1/nodes/{uuid}/vifs", {"id": "vif-a", "network": "tenant-a"})
        page.evaluate("document.querySelector('button[data-action=deploy]').click()")
        page.wait_for("document.getElementById('node-provision-state')?.dataset.state === 'active'", "active after deploy", 90)
        row = "document.querySelector('#node-ports tbody tr')"
        page.wait_for(f"{row}?.cells[4]?.textContent === '1000'", "the port on VLAN 1000 in the node view", 30)
        cells = page.evaluate(f"[...{row}.cells].map((c) => c.textContent)")
        check("a cabled port shows its switch port, VLAN, network and phase", cells[3] == "sw1 eth1" and cells[5] == "tenant-a / tenant", cells)
        check("the switch really has the port on that VLAN", sandbox.tag("eth1") == 1000, sandbox.tag("eth1"))
        page.wait_for("document.querySelector('#node-network-phase strong')?.dataset.phase !== undefined", "the network phase line")
        page.evaluate("document.getElementById('ports-title').scrollIntoView()")
        page.screenshot(os.path.join(shots, "ports.png"))
    finally:
        sandbox.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the API's base URL, e.g. http://127.0.0.1:6385")
    parser.add_argument("--page", help="the UI's URL when not BASE/ui (another origin, for CORS)")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--cdp-port", type=int, help="a running chromium's DevTools port")
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--switch", action="store_true",
                        help="also check a port on a managed switch (needs Open vSwitch's ovsdb-server and a server "
                             "started with --cleaning-network cleaning --provisioning-network provisioning)")
    options = parser.parse_args()
    os.makedirs(options.screenshots, exist_ok=True)
    browser = None if options.cdp_port else Chromium(options.chromium)
    port = options.cdp_port or browser.port
    page = None
    try:
        version = wait_for_devtools(port)
        print(f"# {version.get('Browser')} on 127.0.0.1:{port}; screenshots in {options.screenshots}", flush=True)
        page = Page(port)
        run(page, API(options.base, options.user, options.password), options, options.screenshots)
        print("every UI check passed", flush=True)
        return 0
    except (CheckFailed, AssertionError, RuntimeError) as error:
        print(f"FAIL: {error}", flush=True)
        if page:
            try:
                page.screenshot(os.path.join(options.screenshots, "failure.png"))
                print(f"# failure screenshot: {os.path.join(options.screenshots, 'failure.png')}")
                if page.exceptions:
                    print(f"# page exceptions: {page.exceptions}")
            except Exception:  # noqa: BLE001 - the failure above is what matters
                pass
        return 1
    finally:
        if page:
            page.close()
        if browser:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
