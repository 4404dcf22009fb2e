import Domain
import Foundation
import Testing

@Suite("Decide and evolve: BIOS settings, firmware, indicators, boot mode, virtual media, network events")
struct NodeDeciderHardwareRecordsTests {
    static let settings = [BIOSSetting(name: "b", value: "1"), BIOSSetting(name: "a", value: "x", attributeType: "String")]
    static let sorted = [BIOSSetting(name: "a", value: "x", attributeType: "String"), BIOSSetting(name: "b", value: "1")]

    @Test("a BIOS report is cached sorted by name; the same report again is no change")
    func cacheBIOS() {
        given(History.enroll).when(.cacheBIOSSettings(Self.settings)).then([.biosSettingsCached(settings: Self.sorted)])
        let cached = History.enroll + [.biosSettingsCached(settings: Self.sorted)]
        given(cached).when(.cacheBIOSSettings(Self.settings)).then([])
        given(cached).when(.cacheBIOSSettings([])).then([.biosSettingsCached(settings: [])])
    }

    @Test("evolve keeps a setting's created_at, sets updated_at when its value changes, drops settings no longer reported")
    func biosTimestamps() throws {
        let first = History.enroll + [.biosSettingsCached(settings: Self.sorted)]
        let changed = [BIOSSetting(name: "a", value: "y", attributeType: "String")]
        let state = try #require(GivenWhenThen.fold(first + [.biosSettingsCached(settings: changed)]))
        #expect(state.biosSettings.map(\.name) == ["a"])
        #expect(state.biosSettings[0].createdAt == GivenWhenThen.time(of: first.count - 1))
        #expect(state.biosSettings[0].updatedAt == GivenWhenThen.time(of: first.count))
        let unchanged = try #require(GivenWhenThen.fold(first + [.biosSettingsCached(settings: Self.sorted)]))
        #expect(unchanged.biosSettings.allSatisfy { $0.updatedAt == nil })
    }

    @Test("firmware components are cached like BIOS settings")
    func cacheFirmware() throws {
        let components = [FirmwareComponent(component: "bmc", initialVersion: "2"), FirmwareComponent(component: "bios", initialVersion: "1")]
        given(History.enroll).when(.cacheFirmwareComponents(components)).then([.firmwareComponentsCached(components: components.reversed())])
        let state = try #require(GivenWhenThen.fold(History.enroll + [.firmwareComponentsCached(components: components.reversed())]))
        #expect(state.firmwareComponents.map(\.component) == ["bios", "bmc"])
        #expect(state.firmwareComponents.allSatisfy { $0.createdAt != nil && $0.currentVersion == $0.initialVersion })
    }

    @Test("an indicator set is recorded; setting it to its state again is no change")
    func indicators() throws {
        let led = try #require(IndicatorID(parsing: "led@system"))
        #expect(IndicatorID(parsing: "led@moon") == nil && IndicatorID(parsing: "led") == nil && IndicatorID(parsing: "@system") == nil)
        given(History.enroll).when(.setIndicator(led, .blinking)).then([.indicatorSet(indicator: led, state: .blinking)])
        let set = History.enroll + [.indicatorSet(indicator: led, state: .blinking)]
        given(set).when(.setIndicator(led, .blinking)).then([])
        #expect(given(set).state?.indicators[led] == .blinking)
    }

    @Test("boot mode and secure boot are recorded on the node; refused in an unstable state (409)")
    func bootMode() {
        given(History.manageable).when(.setBootMode(.bios)).then([.bootModeSet(mode: .bios)])
        given(History.manageable).when(.setSecureBoot(true)).then([.secureBootSet(enabled: true)])
        let set = History.manageable + [.bootModeSet(mode: .bios), .secureBootSet(enabled: true)]
        #expect(given(set).state?.node.bootMode == .bios)
        #expect(given(set).state?.node.secureBoot == true)
        given(set).when(.setBootMode(.bios)).then([])
        given(History.cleanWait).when(.setBootMode(.uefi)).thenRefused(httpStatus: 409)
        given(History.inspectWait).when(.setSecureBoot(false)).thenRefused(httpStatus: 409)
    }

    @Test("the console mode is recorded as console_enabled; asking for the state it is in changes nothing")
    func consoleMode() {
        given(History.enroll).when(.setConsoleMode(enabled: true)).then([.consoleModeSet(enabled: true)])
        let enabled = History.enroll + [.consoleModeSet(enabled: true)]
        #expect(given(enabled).state?.node.consoleEnabled == true)
        given(enabled).when(.setConsoleMode(enabled: true)).then([])
        given(enabled).when(.setConsoleMode(enabled: false)).then([.consoleModeSet(enabled: false)])
        given(History.enroll).when(.setConsoleMode(enabled: false)).then([])
    }

    @Test("a vendor passthru call is recorded without its arguments and changes no field")
    func vendorPassthru() {
        given(History.enroll).when(.recordVendorPassthru(method: "second_method", httpMethod: "POST"))
            .then([.vendorPassthruCalled(method: "second_method", httpMethod: "POST")])
        let called = History.enroll + [.vendorPassthruCalled(method: "second_method", httpMethod: "POST")]
        #expect(given(called).state?.node == given(History.enroll).state?.node)
    }

    @Test("virtual media: one image per device type; detaching named types or all; nothing attached is no change")
    func virtualMedia() throws {
        let cd = VirtualMedia(deviceType: .cdrom, imageURL: "http://images/a.iso")
        let disk = VirtualMedia(deviceType: .disk, imageURL: "http://images/b.img", imageDownloadSource: .local)
        given(History.enroll).when(.attachVirtualMedia(cd)).then([.virtualMediaAttached(media: cd)])
        let attached = History.enroll + [.virtualMediaAttached(media: disk), .virtualMediaAttached(media: cd)]
        #expect(given(attached).state?.virtualMedia == [cd, disk])
        given(attached).when(.detachVirtualMedia([.cdrom, .floppy])).then([.virtualMediaDetached(deviceTypes: [.cdrom])])
        given(attached).when(.detachVirtualMedia(nil)).then([.virtualMediaDetached(deviceTypes: [.cdrom, .disk])])
        given(History.enroll).when(.detachVirtualMedia(nil)).then([])
        #expect(given(attached + [.virtualMediaDetached(deviceTypes: [.disk])]).state?.virtualMedia == [cd])
    }

    @Test("a network event is recorded on a node with a port of its MAC; another MAC is refused (404)")
    func networkEvents() {
        let withPort = History.enroll + [.portCreated(port: Port(uuid: ID.port1, nodeUUID: ID.node, address: MAC.a))]
        let event = NetworkEvent(event: .bindPort, portID: "p", macAddress: MAC.a, status: "ACTIVE")
        given(withPort).when(.recordNetworkEvent(event)).then([.networkEventReceived(event: event)])
        var other = event
        other.macAddress = MAC.b
        given(withPort).when(.recordNetworkEvent(other)).thenRefused(httpStatus: 404)
    }

    @Test("inspection plugin data is recorded only while inspecting")
    func pluginData() {
        given(History.inspectWait).when(.recordInspectionPluginData(["root_disk": "sda"]))
            .then([.inspectionPluginDataRecorded(data: ["root_disk": "sda"])])
        given(History.manageable).when(.recordInspectionPluginData(["root_disk": "sda"])).thenRefused(httpStatus: 409)
    }

    @Test("the new records survive the aggregate's encoding; an aggregate without them encodes as before")
    func aggregateCoding() throws {
        let led = IndicatorID(component: .disk, name: "led")
        let events = History.enroll + [
            .biosSettingsCached(settings: Self.sorted), .indicatorSet(indicator: led, state: .on),
            .virtualMediaAttached(media: VirtualMedia(deviceType: .floppy, imageURL: "http://f")),
            .firmwareComponentsCached(components: [FirmwareComponent(component: "bios", initialVersion: "1")]),
        ]
        let state = try #require(GivenWhenThen.fold(events))
        let decoded = try JSONDecoder().decode(NodeAggregate.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
        let plain = try #require(GivenWhenThen.fold(History.enroll))
        let text = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!text.contains("bios_settings") && !text.contains("virtual_media") && !text.contains("indicators"))
    }

    @Test("every new event has a type name and goes through the log's encoding")
    func eventCoding() throws {
        let events: [NodeEvent] = [
            .biosSettingsCached(settings: Self.sorted), .firmwareComponentsCached(components: []),
            .indicatorSet(indicator: IndicatorID(component: .chassis, name: "led-0"), state: .off),
            .bootModeSet(mode: .uefi), .secureBootSet(enabled: false),
            .virtualMediaAttached(media: VirtualMedia(deviceType: .cdrom, imageURL: "http://x")),
            .virtualMediaDetached(deviceTypes: [.cdrom]),
            .networkEventReceived(event: NetworkEvent(event: .deletePort, portID: "p", macAddress: MAC.a, status: "DOWN",
                                                      deviceID: nil, bindingHostID: "h", bindingVNICType: "baremetal")),
            .inspectionPluginDataRecorded(data: ["a": 1]),
        ]
        for event in events {
            #expect(!event.typeName.isEmpty)
            #expect(try NodeEvent.decode(payload: event.encodedPayload()) == event)
        }
    }
}
