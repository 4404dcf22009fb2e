import Domain
import Drivers
import Engine
import EventStore
import Foundation
import Testing

/// The driver layer on its own: hardware types and their default interfaces, interface checks,
/// resolution and validation, the manual clock, and the fake hardware's injected behaviour.
@Suite("Drivers: registry, clock and fake hardware")
struct DriverRegistryTests {
    let registry = Self.fakeOnly()

    /// A conductor with only the fake and no-op implementations enabled, so these checks do not
    /// depend on which real-hardware drivers are built in.
    static func fakeOnly() -> DriverRegistry {
        let fake = FakeBehaviour()
        return DriverRegistry(hardwareTypes: [.fakeHardware, .ipmi], implementations: [
            FakePower(fake), FakeManagement(fake), NoOpManagement(), FakeBoot(fake), FakeDeploy(fake), RamdiskDeploy(),
            FakeInspect(fake), NoInspect(), FakeRescue(fake), NoRescue(),
            StaticNetwork(fake: fake), StaticNetwork(name: "flat"), StaticNetwork(name: "noop"), StaticStorage(fake: fake), StaticStorage(),
            StaticConsole(name: "fake"), StaticConsole(name: "no-console"),
            StepOnlyInterface(fake: .raid, fake), StepOnlyInterface(none: .raid), StepOnlyInterface(fake: .bios, fake),
            StepOnlyInterface(none: .bios), StepOnlyInterface(fake: .firmware, fake), StepOnlyInterface(none: .firmware),
            StaticVendor(name: "fake"), StaticVendor(name: "no-vendor"),
        ])
    }

    /// A driver task for a node of `driver` with `driverInfo` and explicit `interfaces`.
    private func task(_ driver: String = "fake-hardware", driverInfo: JSONValue = .emptyObject,
                      interfaces: [HardwareInterfaceKind: String] = [:], registry: DriverRegistry? = nil,
                      clock: any EngineClock = ManualClock()) throws -> DriverTask {
        var node = Node(uuid: UUID(), driver: driver)
        node.driverInfo = driverInfo
        node.interfaces = interfaces
        return DriverTask(node: node, driver: try (registry ?? self.registry).resolve(node), clock: clock)
    }

    /// Waits (yielding, bounded) until `count` tasks sleep on `clock`.
    private func waitForSleepers(_ clock: ManualClock, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while clock.sleeperCount != count {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(count) sleepers never appeared (there are \(clock.sleeperCount))")
                throw CancellationError()
            }
            await Task.yield()
        }
    }

    // MARK: Default interfaces

    @Test("a fake-hardware node defaults to the fake implementation of every interface kind", arguments: HardwareInterfaceKind.allCases)
    func fakeHardwareDefaults(kind: HardwareInterfaceKind) {
        #expect(registry.defaultInterface(kind, for: "fake-hardware") == "fake")
    }

    @Test("fake-hardware offers only the enabled deploy interfaces, fake first")
    func fakeHardwareDeployInterfaces() {
        #expect(registry.available(.deploy, for: "fake-hardware") == ["fake", "ramdisk"])
        #expect(!registry.isEnabled(.deploy, "direct"))
        #expect(registry.isEnabled(.deploy, "ramdisk"))
    }

    @Test("ipmi gets no power interface here, because ipmitool is not enabled; its other defaults are the first enabled ones")
    func ipmiDefaults() {
        #expect(registry.defaultInterface(.power, for: "ipmi") == nil)
        #expect(registry.defaultInterface(.boot, for: "ipmi") == nil)
        #expect(registry.defaultInterface(.management, for: "ipmi") == "noop")
        #expect(registry.defaultInterface(.deploy, for: "ipmi") == "ramdisk")
        #expect(registry.defaultInterface(.inspect, for: "ipmi") == "no-inspect")
        #expect(registry.defaultInterface(.network, for: "ipmi") == "flat")
        #expect(registry.defaultInterface(.rescue, for: "ipmi") == "no-rescue")
        #expect(registry.defaultInterface(.storage, for: "ipmi") == "noop")
        #expect(registry.defaultInterface(.vendor, for: "ipmi") == "no-vendor")
    }

    @Test("a hardware type this conductor does not have has no defaults")
    func unknownHardwareTypeDefaults() {
        #expect(registry.defaultInterface(.power, for: "idrac") == nil)
        #expect(registry.defaults(for: "idrac", except: [:]).isEmpty)
    }

    @Test("a configured default wins when the hardware type supports it, and is ignored when it does not")
    func configuredDefaults() {
        var registry = Self.fakeOnly()
        registry.configuredDefaults = [.deploy: "ramdisk", .power: "ipmitool"]
        #expect(registry.defaultInterface(.deploy, for: "fake-hardware") == "ramdisk")
        #expect(registry.defaultInterface(.power, for: "fake-hardware") == "fake")
    }

    @Test("the defaults of a new node leave out the kinds it sets itself")
    func defaultsExceptExplicit() {
        let defaults = registry.defaults(for: "fake-hardware", except: [.deploy: "ramdisk"])
        #expect(defaults[.deploy] == nil)
        #expect(defaults.count == HardwareInterfaceKind.allCases.count - 1)
        #expect(defaults.values.allSatisfy { $0 == "fake" })
    }

    // MARK: Resolution and checks

    @Test("an explicit interface overrides the default when the node's driver is resolved")
    func explicitOverrideResolves() throws {
        let task = try task(interfaces: [.deploy: "ramdisk", .rescue: "no-rescue"])
        #expect(task.driver.names[.deploy] == "ramdisk")
        #expect(task.driver.names[.rescue] == "no-rescue")
        #expect(task.driver.names[.power] == "fake")
        #expect(task.driver.names.count == HardwareInterfaceKind.allCases.count)
        #expect(task.driver.deploy?.writesImage == false)
        #expect(task.driver.hardwareType == .fakeHardware)
    }

    @Test("an interface the hardware type does not support is refused, naming what it supports")
    func unsupportedInterfaceRefused() {
        let error = #expect(throws: DriverError.self) {
            try registry.checkInterfaces(driver: "fake-hardware", interfaces: [.power: "ipmitool"])
        }
        #expect(error?.message.contains("'power'") == true)
        #expect(error?.message.contains("ipmitool") == true)
        #expect(error?.message.contains("Hardware type fake-hardware supports: fake.") == true)
    }

    @Test("an interface the hardware type supports but this conductor has not enabled is refused, naming the enabled ones")
    func disabledInterfaceRefused() {
        let error = #expect(throws: DriverError.self) {
            try registry.checkInterfaces(driver: "fake-hardware", interfaces: [.deploy: "direct"])
        }
        #expect(error?.message.contains("not enabled") == true)
        #expect(error?.message.contains("fake, ramdisk") == true)
    }

    @Test("an unknown hardware type is refused by the checks and by resolution")
    func unknownDriverRefused() {
        let error = #expect(throws: DriverError.self) {
            try registry.checkInterfaces(driver: "idrac", interfaces: [:])
        }
        #expect(error?.message == "Could not find the following driver(s) or hardware type(s): idrac.")
        #expect(throws: DriverError.self) { try task("idrac") }
    }

    @Test("supported and enabled explicit interfaces pass the checks")
    func supportedInterfacesPass() throws {
        try registry.checkInterfaces(driver: "fake-hardware", interfaces: [.deploy: "ramdisk", .rescue: "no-rescue", .network: "flat"])
        try registry.checkInterfaces(driver: "ipmi", interfaces: [.management: "noop"])
    }

    @Test("resolving a node whose interface is not available for its hardware type fails")
    func resolveUnavailableInterface() {
        let error = #expect(throws: DriverError.self) { try task(interfaces: [.power: "redfish"]) }
        #expect(error?.message.contains("\"redfish\"") == true)
    }

    // MARK: Validation

    @Test("every interface of a fake-hardware node validates it")
    func fakeHardwareValidates() throws {
        let results = registry.validate(try task())
        #expect(results.count == HardwareInterfaceKind.allCases.count)
        for kind in HardwareInterfaceKind.allCases {
            #expect(results[kind] == InterfaceValidation(result: true, reason: nil), "\(kind)")
        }
    }

    @Test("validation reports per kind: no-rescue refuses, and a kind without an interface says so")
    func validationPerKind() throws {
        let noRescue = registry.validate(try task(interfaces: [.rescue: "no-rescue"]))
        #expect(noRescue[.rescue]?.result == false)
        #expect(noRescue[.rescue]?.reason?.contains("no-rescue") == true)
        #expect(noRescue[.deploy]?.result == true)

        let ipmi = registry.validate(try task("ipmi"))
        #expect(ipmi[.power] == InterfaceValidation(result: false, reason: "No power interface is set or enabled for this node"))
        #expect(ipmi[.boot]?.result == false)
        #expect(ipmi[.management]?.result == true)
        // The ramdisk deploy needs the instance's kernel and ramdisk, and says so.
        #expect(ipmi[.deploy]?.result == false)
        #expect(ipmi[.deploy]?.reason?.contains("instance_info.kernel") == true)
    }

    @Test("the conductor validates an enrolled node with its drivers")
    func conductorValidates() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let node = try await fixture.enroll(fields: ["rescue_interface": "no-rescue"])
        let results = try fixture.conductor.validate(node)
        #expect(results[.power]?.result == true)
        #expect(results[.deploy]?.result == true)
        #expect(results[.rescue]?.result == false)
        #expect(throws: DomainError.nodeNotFound(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!.lowercased)) {
            try fixture.conductor.validate(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)
        }
    }

    // MARK: Enrolment through the conductor

    @Test("enrolling through the conductor fills in every default interface and keeps the ones given")
    func conductorEnrollFillsDefaults() async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let uuid = UUID()
        try await fixture.conductor.enroll(uuid, fields: ["driver": "fake-hardware", "deploy_interface": "ramdisk"], metadata: requestMetadata())
        let node = try fixture.node(uuid)
        #expect(node.interfaces.count == HardwareInterfaceKind.allCases.count)
        #expect(node.interfaces[.deploy] == "ramdisk")
        #expect(node.interfaces.filter { $0.key != .deploy }.values.allSatisfy { $0 == "fake" })
    }

    @Test("enrolling through the conductor refuses an unsupported interface or an unknown hardware type", arguments: [
        ["driver": "fake-hardware", "power_interface": "ipmitool"] as [String: JSONValue],
        ["driver": "fake-hardware", "boot_interface": "redfish-virtual-media"],
        ["driver": "idrac"],
    ])
    func conductorEnrollRefuses(fields: [String: JSONValue]) async throws {
        let fixture = try await ConductorFixture.start()
        defer { fixture.stop(); fixture.remove() }
        let uuid = UUID()
        let error = await #expect(throws: DomainError.self) {
            try await fixture.conductor.enroll(uuid, fields: fields, metadata: requestMetadata())
        }
        guard case .invalidParameter? = error else {
            Issue.record("Expected InvalidParameter, got \(String(describing: error))")
            return
        }
        #expect(try fixture.conductor.commands.aggregate(uuid) == nil)
    }

    // MARK: The manual clock

    @Test("a sleeper on the manual clock wakes only once the clock is moved past its deadline")
    func manualClockWakesAtDeadline() async throws {
        let clock = ManualClock(start: 1_000_000)
        let sleeper = Task { try await clock.sleep(for: .seconds(10)) }
        try await waitForSleepers(clock, 1)

        clock.advance(by: .milliseconds(9999))
        #expect(clock.sleeperCount == 1)
        #expect(clock.nowMicroseconds == 1_000_000 + 9_999_000)
        clock.advance(by: .milliseconds(1))
        #expect(clock.sleeperCount == 0)
        try await sleeper.value
    }

    @Test("sleepers wake each at their own deadline")
    func manualClockSeveralSleepers() async throws {
        let clock = ManualClock()
        let short = Task { try await clock.sleep(for: .seconds(5)) }
        let long = Task { try await clock.sleep(for: .seconds(20)) }
        try await waitForSleepers(clock, 2)
        clock.advance(by: .seconds(10))
        try await short.value
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(10))
        try await long.value
        #expect(clock.sleeperCount == 0)
    }

    @Test("a sleep of no time returns at once")
    func manualClockZeroSleep() async throws {
        let clock = ManualClock()
        try await clock.sleep(for: .zero)
        #expect(clock.sleeperCount == 0)
    }

    @Test("cancelling a sleeper throws CancellationError and removes it")
    func manualClockCancellation() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await waitForSleepers(clock, 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("durations convert to whole microseconds")
    func durationMicroseconds() {
        #expect(Duration.seconds(1800).microseconds == 1_800_000_000)
        #expect(Duration.milliseconds(1).microseconds == 1000)
        #expect(Duration.microseconds(7).microseconds == 7)
        #expect(Duration.zero.microseconds == 0)
    }

    // MARK: Fake hardware behaviour

    @Test("fake_fail given as a list fails each action it names and no other")
    func fakeFailList() async throws {
        let journal = InMemoryActionJournal()
        let registry = DriverRegistry.standard(fake: FakeBehaviour(journal: journal))
        let task = try task(driverInfo: ["fake_fail": ["power.get_power_state", "deploy.write_image"]], registry: registry)
        let power = try #require(task.driver.power)
        let deploy = try #require(task.driver.deploy)

        let readError = await #expect(throws: DriverError.self) { try await power.powerState(task) }
        #expect(readError?.message == "Fake failure injected at power.get_power_state")
        await #expect(throws: DriverError("Fake failure injected at deploy.write_image")) {
            try await deploy.execute(Step(.deploy, "write_image", priority: 80), phase: .deploy, task)
        }
        try await power.setPowerState(task, .on, timeout: nil)
        #expect(try await deploy.execute(Step(.deploy, "tear_down_agent", priority: 40), phase: .deploy, task) == .done)
        // Failed actions are not journalled: they did not happen.
        #expect(journal.actions(of: task.node.uuid) == ["power.set_power_state", "deploy.tear_down_agent", "boot.clean_up_ramdisk"])
    }

    @Test("fake_fail as a single name fails only that action")
    func fakeFailSingle() async throws {
        let task = try task(driverInfo: ["fake_fail": "power.set_power_state"])
        let power = try #require(task.driver.power)
        await #expect(throws: DriverError.self) { try await power.setPowerState(task, .off, timeout: nil) }
        // A reboot is its own action.
        try await power.setPowerState(task, .rebooting, timeout: nil)
        #expect(try await power.powerState(task) == .on)
    }

    @Test("fake_delay makes an action sleep its seconds on the engine's clock before it takes effect")
    func fakeDelaySleepsOnClock() async throws {
        let clock = ManualClock()
        let journal = InMemoryActionJournal()
        let fake = FakeBehaviour(journal: journal)
        let task = try task(driverInfo: ["fake_delay": 3], registry: .standard(fake: fake), clock: clock)
        let power = try #require(task.driver.power)

        let setting = Task { try await power.setPowerState(task, .on, timeout: nil) }
        try await waitForSleepers(clock, 1)
        #expect(fake.hardwarePower(of: task.node.uuid) == nil)
        #expect(journal.count == 0)

        clock.advance(by: .milliseconds(2999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        try await setting.value
        #expect(fake.hardwarePower(of: task.node.uuid) == .on)
        #expect(journal.actions(of: task.node.uuid) == ["power.set_power_state"])
    }

    @Test("a delayed action cancelled while it sleeps fails with a driver error and does nothing")
    func fakeDelayCancelled() async throws {
        let clock = ManualClock()
        let fake = FakeBehaviour()
        let task = try task(driverInfo: ["fake_delay": 3], registry: .standard(fake: fake), clock: clock)
        let power = try #require(task.driver.power)
        let setting = Task { try await power.setPowerState(task, .on, timeout: nil) }
        try await waitForSleepers(clock, 1)
        setting.cancel()
        await #expect(throws: DriverError("Cancelled during power.set_power_state")) { try await setting.value }
        #expect(fake.hardwarePower(of: task.node.uuid) == nil)
    }

    @Test("per-kind delays configured on the fake hardware apply to every node of that kind's actions")
    func configuredDelays() async throws {
        let clock = ManualClock()
        let fake = FakeBehaviour(delays: [.management: 2...2])
        let task = try task(registry: .standard(fake: fake), clock: clock)
        let management = try #require(task.driver.management)
        let power = try #require(task.driver.power)

        // Power has no delay.
        #expect(try await power.powerState(task) == .off)
        let reading = Task { try await management.bootDevice(task) }
        try await waitForSleepers(clock, 1)
        clock.advance(by: .seconds(2))
        let device = try await reading.value
        #expect(device.device == .pxe)
    }

    @Test("fake_wait hands the named step to an agent and leaves others to finish")
    func fakeWait() async throws {
        let task = try task(driverInfo: ["fake_wait": ["deploy.write_image", "inspect.inspect_hardware", "rescue.rescue"]])
        let deploy = try #require(task.driver.deploy)
        #expect(try await deploy.execute(Step(.deploy, "write_image", priority: 80), phase: .deploy, task) == .wait)
        #expect(try await deploy.execute(Step(.deploy, "tear_down_agent", priority: 40), phase: .deploy, task) == .done)
        #expect(try await task.driver.inspect?.inspectHardware(task) == .wait)
        #expect(try await task.driver.rescue?.rescue(task) == .wait)
    }

    @Test("the fake power follows what was set, and what someone set behind the engine's back")
    func fakePowerState() async throws {
        let fake = FakeBehaviour()
        let task = try task(registry: .standard(fake: fake))
        let power = try #require(task.driver.power)
        #expect(try await power.powerState(task) == .off)
        try await power.setPowerState(task, .softRebooting, timeout: nil)
        #expect(try await power.powerState(task) == .on)
        fake.setHardwarePower(.off, of: task.node.uuid)
        #expect(try await power.powerState(task) == .off)
        #expect(power.supportedTargets(task) == PowerTarget.allCases)
    }

    @Test("the fake management boots from PXE or disk only")
    func fakeManagementBootDevices() async throws {
        let task = try task()
        let management = try #require(task.driver.management)
        #expect(management.supportedBootDevices(task) == [.pxe, .disk])
        try await management.setBootDevice(task, .disk, persistent: true)
        let error = await #expect(throws: DriverError.self) { try await management.setBootDevice(task, .cdrom, persistent: false) }
        #expect(error?.message.contains("cdrom") == true)
    }

    @Test("the fake inspection reports its fixed server, or the inventory driver_info gives it, as node properties")
    func fakeInspection() async throws {
        let plain = try task()
        let fixed = try await plain.driver.inspect?.inspectHardware(plain)
        guard case .found(_, let properties)? = fixed else {
            Issue.record("Expected an inventory, got \(String(describing: fixed))")
            return
        }
        #expect(properties == ["cpus": 8, "cpu_arch": "x86_64", "memory_mb": 16384, "local_gb": 446])

        let given: JSONValue = ["cpu": ["count": 2, "architecture": "riscv64"], "memory": ["physical_mb": 2048], "disks": []]
        let custom = try task(driverInfo: ["fake_inventory": given])
        #expect(try await custom.driver.inspect?.inspectHardware(custom) == .found(inventory: given, properties: ["cpus": 2, "cpu_arch": "riscv64", "memory_mb": 2048]))
    }

    @Test("the fake deploy offers Ironic's direct deploy steps; booting the instance is the one not safe to repeat")
    func fakeDeploySteps() throws {
        let task = try task()
        let deploy = try #require(task.driver.deploy)
        let steps = deploy.steps(for: .deploy, task)
        #expect(steps.map(\.name) == LifecyclePathTests.deploySteps)
        #expect(steps.map(\.priority) == [100, 80, 60, 40, 30, 20])
        #expect(steps.filter { !$0.repeatable }.map(\.name) == ["boot_instance"])
        #expect(deploy.steps(for: .clean, task).map(\.name) == ["erase_devices_metadata", "erase_devices"])
        #expect(deploy.steps(for: .clean, task).map(\.priority) == [99, 0])
    }

    @Test("the fake RAID and firmware steps that destroy or flash are not safe to repeat; BIOS steps are")
    func stepRepeatability() throws {
        let task = try task()
        let clean = task.driver.steps(for: .clean, task)
        let unsafe = Set(clean.filter { !$0.repeatable }.map { "\($0.interface.rawValue).\($0.name)" })
        #expect(unsafe == ["raid.create_configuration", "firmware.update"])
        #expect(clean.contains { $0.interface == .bios && $0.name == "apply_configuration" && $0.repeatable })
    }

    @Test("a step is recorded as its interface, name, priority and arguments")
    func stepJSON() {
        let step = Step(.bios, "apply_configuration", priority: 0).with(priority: 5, args: ["settings": []])
        #expect(step.json == ["interface": "bios", "step": "apply_configuration", "priority": 5, "args": ["settings": []]])
    }

    @Test("inspection properties take the first disk in whole GiB less one, and leave out what the inventory lacks")
    func inspectionProperties() {
        #expect(InspectionOutcome.properties(of: ["disks": [["size": 10_737_418_245]]]) == ["local_gb": 9])
        #expect(InspectionOutcome.properties(of: ["disks": [["size": 100]]]) == ["local_gb": 0])
        #expect(InspectionOutcome.properties(of: [:]) == [:])
    }
}
