import Domain

extension DriverRegistry {
    /// Every hardware type and implementation Ironlog ships, the fake ones behaving as
    /// `fake` says, the network boot interfaces writing where `boot` says, `ipmitool` run as
    /// `ipmi` says, `ovs-vsctl` as `ovs` says.
    public static func standard(fake: FakeBehaviour = FakeBehaviour(), boot: BootConfiguration = .temporary,
                                ipmi: IPMITool = .standard, ovs: OVSTool = .standard) -> DriverRegistry {
        DriverRegistry(
            hardwareTypes: [.fakeHardware, .ipmi, .redfish, .manualManagement],
            implementations: [
                FakePower(fake), FakeManagement(fake), NoOpManagement(), FakeBoot(fake), FakeDeploy(fake), RamdiskDeploy(),
                FakeInspect(fake), NoInspect(), FakeRescue(fake), NoRescue(),
                StaticNetwork(fake: fake), StaticNetwork(name: "flat"), StaticNetwork(name: "noop"), SwitchNetwork(tool: ovs),
                StaticStorage(fake: fake), StaticStorage(),
                StaticConsole(name: "fake"), StaticConsole(name: "no-console"),
                StepOnlyInterface(fake: .raid, fake), StepOnlyInterface(none: .raid),
                StepOnlyInterface(fake: .bios, fake), StepOnlyInterface(none: .bios),
                StepOnlyInterface(fake: .firmware, fake), StepOnlyInterface(none: .firmware),
                StaticVendor(name: "fake"), StaticVendor(name: "no-vendor"),
                NetworkBoot(.ipxe, configuration: boot), NetworkBoot(.pxe, configuration: boot), DirectDeploy(), ExternalStorage(),
                IPMIPower(tool: ipmi), IPMIManagement(tool: ipmi),
                RedfishPower(), RedfishManagement(), RedfishInspect(), RedfishVirtualMediaBoot(), RedfishBIOS(),
            ]
        )
    }
}
