"""A small Chrome DevTools Protocol client over websocket-client (Debian's python3-websocket).

Enough to drive one page of a headless chromium: navigate, evaluate JavaScript, wait for a
condition, press keys, type text and take screenshots. Exceptions thrown by the page are kept,
so a test can fail on them.
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import websocket


def free_port():
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chromium:
    """A headless chromium this process starts (when the caller gave no DevTools port) and kills."""

    FLAGS = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--password-store=basic", "--window-size=1280,1024"]

    def __init__(self, executable="chromium"):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="ironlog-ui-chromium-")
        flags = list(self.FLAGS) + ["--remote-debugging-address=127.0.0.1", f"--remote-debugging-port={self.port}",
                                    f"--user-data-dir={self.profile}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")
        self.process = subprocess.Popen([executable] + flags + ["about:blank"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)

    def close(self):
        """Ends chromium and every process it started, and removes its profile."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def wait_for_devtools(port, deadline=60):
    """The browser's version document once its DevTools endpoint answers."""
    end = time.time() + deadline
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.time() > end:
                raise RuntimeError(f"chromium's DevTools did not answer on 127.0.0.1:{port} within {deadline} s")
            time.sleep(0.2)


class Page:
    """One tab, driven over its DevTools websocket."""

    def __init__(self, port):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.load(response)
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0
        self.exceptions = []
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=1024, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        """Sends a command and answers its result; events read meanwhile are kept or dropped."""
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                details = message["params"]["exceptionDetails"]
                self.exceptions.append(details.get("exception", {}).get("description") or details.get("text"))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def navigate(self, url):
        self.send("Page.navigate", url=url)

    def evaluate(self, expression):
        """The value of a JavaScript expression (awaited if a promise)."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression!r}: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression, what, deadline=60):
        """Waits until `expression` is truthy; raises naming `what` after `deadline` seconds.

        An expression that throws (the page still loading, an element not there yet) counts as
        false; the last error goes into the timeout's message.
        """
        end = time.time() + deadline
        last_error = None
        while True:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except RuntimeError as error:
                last_error = error
            if time.time() > end:
                raise AssertionError(f"timed out after {deadline} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))
            time.sleep(0.1)

    def key(self, key, code=None, key_code=0, shift=False):
        """Presses and releases one key, as a keyboard would."""
        modifiers = 8 if shift else 0
        text = "\r" if key == "Enter" else None
        for kind in ("rawKeyDown", "keyUp"):
            params = dict(type=kind, key=key, code=code or key, windowsVirtualKeyCode=key_code, modifiers=modifiers)
            if text and kind == "rawKeyDown":
                self.send("Input.dispatchKeyEvent", **params)
                self.send("Input.dispatchKeyEvent", type="char", key=key, text=text, modifiers=modifiers)
                continue
            self.send("Input.dispatchKeyEvent", **params)

    def tab(self, shift=False):
        self.key("Tab", "Tab", 9, shift)

    def type_into(self, selector, text):
        """Focuses the element and types `text` into it (clearing it first)."""
        self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select && e.select(); }})()")
        self.send("Input.insertText", text=text)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
