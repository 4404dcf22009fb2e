import Domain
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// The version these tests speak: storage_interface (1.33) and automated_clean (1.47) included.
private let version = "1.89"

/// Creates a fake-hardware node booting with `ipxe` through the API, with a PXE port, and makes
/// it available (no automated cleaning); returns its UUID.
private func availableNode(_ client: any TestClientProtocol, _ conductor: Conductor, deploy: String = "direct", storage: String = "external",
                           instanceInfo: String = "{}") async throws -> String {
    let node = try uuid(try await createNode(client, version: version, json: """
        {"driver": "fake-hardware", "boot_interface": "ipxe", "deploy_interface": "\(deploy)", "storage_interface": "\(storage)",
         "automated_clean": false, "instance_info": \(instanceInfo),
         "driver_info": {"deploy_kernel": "http://192.0.2.1:8080/images/ipa.kernel", "deploy_ramdisk": "http://192.0.2.1:8080/images/ipa.initramfs"}}
        """))
    let port = try await call(client, .post, "/v1/ports", version: version, json: #"{"node_uuid": "\#(node)", "address": "52:54:00:ee:00:01"}"#)
    #expect(port.status == .created, "\(port.fault)")
    try await manage(client, conductor, node)
    #expect(try await provision(client, conductor, node, "provide").status == .accepted)
    #expect(try projected(conductor, node).provisionState == .available)
    return node
}

/// `PUT /states/provision` with `target`, then the engine settled.
private func provision(_ client: any TestClientProtocol, _ conductor: Conductor, _ node: String,
                       _ target: String) async throws -> (status: HTTPResponse.Status, body: [String: Any], fault: String) {
    let result = try await call(client, .put, "/v1/nodes/\(node)/states/provision", version: version, json: #"{"target": "\#(target)"}"#)
    try await conductor.settle()
    return result
}

/// `PUT /states/power` with `target`, then the engine settled.
private func power(_ client: any TestClientProtocol, _ conductor: Conductor, _ node: String, _ target: String) async throws {
    let result = try await call(client, .put, "/v1/nodes/\(node)/states/power", version: version, json: #"{"target": "\#(target)"}"#)
    #expect(result.status == .accepted, "\(result.fault)")
    try await conductor.settle()
}

/// Creates the node's `iqn` connector; returns its UUID.
private func createInitiator(_ client: any TestClientProtocol, _ node: String) async throws -> String {
    let created = try await call(client, .post, "/v1/volume/connectors", version: version,
                                 json: #"{"node_uuid": "\#(node)", "type": "iqn", "connector_id": "iqn.2024-01.org.example:node-1"}"#)
    #expect(created.status == .created, "\(created.fault)")
    return try uuid(created.body)
}

/// Creates the node's iSCSI boot target with CHAP credentials; returns its UUID.
private func createBootTarget(_ client: any TestClientProtocol, _ node: String) async throws -> String {
    let created = try await call(client, .post, "/v1/volume/targets", version: version, json: """
        {"node_uuid": "\(node)", "volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-boot",
         "properties": {"target_iqn": "iqn.2010-10.org.openstack:volume-boot", "target_portal": "192.0.2.10:3260", "target_lun": 1,
                        "auth_method": "CHAP", "auth_username": "chap-user", "auth_password": "chap-secret"}}
        """)
    #expect(created.status == .created, "\(created.fault)")
    return try uuid(created.body)
}

/// `GET /v1/boot/{node}/ipxe`: status, content type, cache control and text.
private func ipxeScript(_ client: any TestClientProtocol, _ node: String) async throws -> (status: HTTPResponse.Status, type: String?, cache: String?, text: String) {
    try await client.execute(uri: "/v1/boot/\(node)/ipxe", method: .get, headers: headers(version)) { response in
        (response.status, response.headers[.contentType], response.headers[.cacheControl], String(buffer: response.body))
    }
}

@Suite("Boot from volume over the API: volume rules, deploy refusals, and the iPXE script route")
struct BootFromVolumeRouteTests {
    @Test("Volume rules: duplicate boot_index 409; edits while powered on 400; unknown volume_type accepted, then refused at validate and deploy")
    func volumeRules() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor)
            let initiator = try await createInitiator(client, node)
            let target = try await createBootTarget(client, node)
            let duplicate = try await call(client, .post, "/v1/volume/targets", version: version,
                                           json: #"{"node_uuid": "\#(node)", "volume_type": "iscsi", "boot_index": 0, "volume_id": "vol-2"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.fault == "A volume target with boot index '0' for the same node \(node) already exists.")

            try await power(client, conductor, node, "power on")
            for (kind, path, body) in [("connector", "connectors/\(initiator)", #"[{"op": "replace", "path": "/connector_id", "value": "iqn.x"}]"#),
                                       ("target", "targets/\(target)", #"[{"op": "replace", "path": "/volume_id", "value": "vol-x"}]"#)] {
                let patched = try await call(client, .patch, "/v1/volume/\(path)", version: version, json: body)
                #expect(patched.status == .badRequest)
                #expect(patched.fault == "The requested action \"volume \(kind) update\" can not be performed on node \"\(node)\" while it is in state \"power on\".")
                let deleted = try await call(client, .delete, "/v1/volume/\(path)", version: version)
                #expect(deleted.status == .badRequest, "available and powered on: \(deleted.fault)")
                #expect(deleted.fault.contains("\"volume \(kind) deletion\""))
            }
            try await power(client, conductor, node, "power off")

            // Ironic's API takes any volume_type; the storage interface refuses one it does not know.
            let unknown = try await call(client, .post, "/v1/volume/targets", version: version,
                                         json: #"{"node_uuid": "\#(node)", "volume_type": "nvme", "boot_index": 1, "volume_id": "vol-3"}"#)
            #expect(unknown.status == .created, "\(unknown.fault)")
            let validation = try await call(client, .get, "/v1/nodes/\(node)/validate", version: version)
            let storage = try #require(validation.body["storage"] as? [String: Any])
            #expect(storage["result"] as? Bool == false)
            #expect((storage["reason"] as? String)?.contains("is of an unknown type 'nvme'. Supported types: 'iscsi' or 'fibre_channel'") == true)
            let refused = try await provision(client, conductor, node, "active")
            #expect(refused.status == .badRequest)
            #expect(refused.fault.hasPrefix("Failed to validate deploy or power info for node \(node). Error: Volume target"))
            #expect(try projected(conductor, node).provisionState == .available, "nothing moved")
            #expect(try await call(client, .delete, "/v1/volume/targets/\(try uuid(unknown.body))", version: version).status == .noContent)
        }
    }

    @Test("Boot from an iSCSI volume without an iqn connector: validate says why, deploy is refused with 400")
    func missingInitiator() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor)
            _ = try await createBootTarget(client, node)
            let validation = try await call(client, .get, "/v1/nodes/\(node)/validate", version: version)
            let storage = try #require(validation.body["storage"] as? [String: Any])
            #expect(storage["result"] as? Bool == false)
            #expect((storage["reason"] as? String)?.contains("no iSCSI connectors are configured for the node") == true)
            let refused = try await provision(client, conductor, node, "active")
            #expect(refused.status == .badRequest)
            #expect(refused.fault.contains("no iSCSI connectors are configured for the node"))
            #expect(try projected(conductor, node).provisionState == .available)

            _ = try await createInitiator(client, node)
            #expect(try await provision(client, conductor, node, "active").status == .accepted)
            #expect(try projected(conductor, node).provisionState == .active)
            #expect(try eventTypes(conductor, node).contains("VolumeAttached"))
            #expect(try await provision(client, conductor, node, "deleted").status == .accepted)
            #expect(try projected(conductor, node).provisionState == .available)
            #expect(try eventTypes(conductor, node).contains("VolumeDetached"))
        }
    }

    @Test("GET /v1/boot/{node}/ipxe serves the agent's ramdisk while the node waits for it, exactly as written")
    func ramdiskScript() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor, storage: "noop",
                                               instanceInfo: #"{"image_source": "http://192.0.2.1:8080/images/disk.qcow2", "image_checksum": "abc"}"#)
            #expect(try await ipxeScript(client, node).status == .notFound, "nothing boots from the network yet")
            #expect(try await provision(client, conductor, node, "active").status == .accepted)
            #expect(try projected(conductor, node).provisionState == .waitCallBack)
            let script = try await ipxeScript(client, node)
            #expect(script.status == .ok)
            #expect(script.type == "text/plain; charset=utf-8")
            #expect(script.cache == "no-store")
            #expect(script.text == """
                #!ipxe
                # node \(node): agent ramdisk

                set attempts:int32 10
                set i:int32 0

                :deploy
                imgfree
                kernel --name deploy_kernel http://192.0.2.1:8080/images/ipa.kernel selinux=0 troubleshoot=0 text nofb vga=normal \
                ipa-api-url=http://127.0.0.1:6385 BOOTIF=${mac} initrd=deploy_ramdisk || goto retry
                initrd --name deploy_ramdisk http://192.0.2.1:8080/images/ipa.initramfs || goto retry
                boot

                :retry
                iseq ${i} ${attempts} && goto fail ||
                inc i
                echo No response, retrying in ${i} seconds.
                sleep ${i}
                goto deploy

                :fail
                echo Failed to get a response after ${attempts} attempts
                echo Powering off in 30 seconds.
                sleep 30
                poweroff

                """)
        }
    }

    @Test("GET /v1/boot/{node}/ipxe serves the ramdisk deploy's instance: its kernel and ramdisk, exactly")
    func ramdiskDeployScript() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor, deploy: "ramdisk", storage: "noop", instanceInfo: """
                {"kernel": "http://192.0.2.1:8080/images/vmlinuz", "ramdisk": "http://192.0.2.1:8080/images/initrd.img",
                 "ramdisk_kernel_arguments": "console=ttyS0"}
                """)
            #expect(try await provision(client, conductor, node, "active").status == .accepted)
            #expect(try projected(conductor, node).provisionState == .active)
            let script = try await ipxeScript(client, node)
            #expect(script.status == .ok)
            #expect(script.text == """
                #!ipxe
                # node \(node): instance, ramdisk

                :boot_ramdisk
                imgfree
                kernel --name kernel http://192.0.2.1:8080/images/vmlinuz root=/dev/ram0 text nofb vga=normal console=ttyS0 \
                initrd=ramdisk || goto boot_ramdisk
                initrd --name ramdisk http://192.0.2.1:8080/images/initrd.img || goto boot_ramdisk
                boot

                """)
        }
    }

    @Test("GET /v1/boot/{node}/ipxe serves sanhook/sanboot of the boot volume with its CHAP secret; 404 once undeployed")
    func bootFromVolumeScript() async throws {
        try await withAPI(versions: everyVersion) { client, conductor in
            let node = try await availableNode(client, conductor)
            _ = try await createInitiator(client, node)
            let target = try await createBootTarget(client, node)
            let shown = try await call(client, .get, "/v1/volume/targets/\(target)", version: version)
            #expect((shown.body["properties"] as? [String: Any])?["auth_password"] as? String == "******")

            #expect(try await provision(client, conductor, node, "active").status == .accepted)
            #expect(try projected(conductor, node).provisionState == .active)
            let script = try await ipxeScript(client, node)
            #expect(script.status == .ok)
            #expect(script.text == """
                #!ipxe
                # node \(node): instance, boot from volume

                :boot_iscsi
                imgfree
                set initiator-iqn iqn.2024-01.org.example:node-1
                set username chap-user
                set password chap-secret
                sanhook --drive 0x80 iscsi:192.0.2.10::3260:1:iqn.2010-10.org.openstack:volume-boot || goto fail_iscsi_retry
                sanboot --no-describe --drive 0x80 || goto fail_iscsi_retry

                :fail_iscsi_retry
                echo Failed to attach iSCSI volume(s), retrying in 10 seconds.
                sleep 10
                goto boot_iscsi

                """)
            #expect(try await call(client, .get, "/v1/boot/\(UUID().uuidString.lowercased())/ipxe", version: version).status == .notFound)

            #expect(try await provision(client, conductor, node, "deleted").status == .accepted)
            let gone = try await ipxeScript(client, node)
            #expect(gone.status == .notFound)
            #expect(faultMessage(gone.text).contains("has no iPXE script"))
        }
    }

    @Test("GET /v1/boot/{node}/ipxe on a server exposed without authentication: 403, secrets never served")
    func exposedWithoutAuthentication() async throws {
        try await withAPI(versions: everyVersion, configuration: ServerConfiguration(host: "0.0.0.0", port: 6385)) { client, _ in
            let node = try uuid(try await createNode(client))
            let script = try await ipxeScript(client, node)
            #expect(script.status == .forbidden)
        }
    }

    @Test("GET /v1/boot/{node}/ipxe with --htpasswd: 401 without credentials, served with them, also on a non-loopback address")
    func basicAuthentication() async throws {
        let exposed = ServerConfiguration(host: "0.0.0.0", port: 6385, authentication: BasicAuthFixtures.configuration.authentication)
        try await withAPI(versions: everyVersion, configuration: exposed) { client, _ in
            let node = try await client.execute(uri: "/v1/nodes", method: .post, headers: BasicAuthFixtures.headers("operator"),
                                                body: body(#"{"driver": "fake-hardware"}"#)) { response in
                #expect(response.status == .created)
                return try uuid(try #require(jsonObject(response.body)))
            }
            try await client.execute(uri: "/v1/boot/\(node)/ipxe", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/boot/\(node)/ipxe", method: .get, headers: BasicAuthFixtures.headers("operator")) { response in
                #expect(response.status == .notFound, "past authentication; the node boots nothing from the network yet")
            }
        }
    }
}

/// The faultstring inside an Ironic error body given as text.
private func faultMessage(_ text: String) -> String {
    guard let outer = jsonObject(text), let message = outer["error_message"] as? String else { return "" }
    return jsonObject(message)?["faultstring"] as? String ?? ""
}
