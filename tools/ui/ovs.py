"""An Open vSwitch database of the check's own, for the node view's VLAN column.

`ovsdb-server` on a unix socket in a temporary directory, over a database `ovsdb-tool` created
from Debian's schema, with one bridge and its ports; no `ovs-vswitchd`, no kernel datapath:
`ovs-vsctl --no-wait` changes the database only, which is all the `switch` network interface
touches (as Tests/EngineTests/Support/OVSSandbox.swift does).
"""

import os
import shutil
import subprocess
import tempfile
import time

SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


class OVSSandbox:
    def __init__(self, bridge, ports):
        # Short: a unix socket path must fit in 108 bytes.
        self.directory = tempfile.mkdtemp(prefix="ironlog-ui-ovs-", dir="/tmp")
        self.bridge = bridge
        subprocess.run(["ovsdb-tool", "create", f"{self.directory}/conf.db", SCHEMA], check=True, capture_output=True)
        self.server = subprocess.Popen(["ovsdb-server", f"{self.directory}/conf.db", f"--remote=punix:{self.directory}/db.sock",
                                        f"--unixctl={self.directory}/ovsdb-server.ctl", "--no-chdir",
                                        f"--log-file={self.directory}/ovsdb-server.log"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        command = ["init", "--", "add-br", bridge] + [part for port in ports for part in ("--", "add-port", bridge, port)]
        while True:
            result = self.vsctl(command, check=False)
            if result.returncode == 0:
                return
            if time.time() > deadline or self.server.poll() is not None:
                self.close()
                raise RuntimeError(f"ovsdb-server in {self.directory} did not answer: {result.stderr}")
            time.sleep(0.1)

    @property
    def ovsdb(self):
        """The address a switch record names."""
        return f"unix:{self.directory}/db.sock"

    def vsctl(self, arguments, check=True):
        return subprocess.run(["ovs-vsctl", f"--db={self.ovsdb}", "--no-wait", "--timeout=5"] + arguments,
                              check=check, capture_output=True, text=True)

    def tag(self, port):
        """The port's access VLAN, or None."""
        value = self.vsctl(["get", "port", port, "tag"]).stdout.strip()
        return int(value) if value.isdigit() else None

    def close(self):
        self.server.terminate()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def available():
    return all(shutil.which(tool) for tool in ("ovsdb-tool", "ovsdb-server", "ovs-vsctl")) and os.path.exists(SCHEMA)
