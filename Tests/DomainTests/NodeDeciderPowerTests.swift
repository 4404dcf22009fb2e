import Domain
import Foundation
import Testing

@Suite("Decide: power (PUT /states/power, BMC reports)")
struct NodeDeciderPowerTests {
    @Test("every power target is requested as asked", arguments: PowerTarget.allCases)
    func request(target: PowerTarget) {
        given(History.enroll + History.poweredOn)
            .when(.requestPower(target: target, timeout: nil))
            .then([.powerActionRequested(target: target, timeout: nil)])
        given(History.active + History.poweredOn)
            .when(.requestPower(target: target, timeout: 30))
            .then([.powerActionRequested(target: target, timeout: 30)])
    }

    @Test("a timeout below 1 is refused (400)", arguments: [0, -1, -600])
    func badTimeout(timeout: Int) {
        given(History.enroll)
            .when(.requestPower(target: .softOff, timeout: timeout))
            .then(.invalidParameter("Invalid timeout value \(timeout); it must be a positive integer"), httpStatus: 400)
    }

    @Test("a timeout of 1 is the smallest allowed")
    func smallestTimeout() {
        given(History.enroll).when(.requestPower(target: .rebooting, timeout: 1)).then([.powerActionRequested(target: .rebooting, timeout: 1)])
    }

    @Test("power actions are refused while cleaning or in clean wait (400)", arguments: [ProvisionState.cleaning, .cleanWait])
    func refusedWhileCleaning(state: ProvisionState) {
        for target in PowerTarget.allCases {
            given(History.reaching(state))
                .when(.requestPower(target: target, timeout: nil))
                .then(.invalidStateRequested(action: target.rawValue, node: ID.node, state: state), httpStatus: 400)
        }
    }

    @Test("power actions are allowed in other busy states, e.g. clean hold, deploying, maintenance")
    func allowedElsewhere() {
        given(History.reaching(.cleanHold))
            .when(.requestPower(target: .off, timeout: nil))
            .then([.powerActionRequested(target: .off, timeout: nil)])
        given(History.deploying + History.inMaintenance)
            .when(.requestPower(target: .on, timeout: nil))
            .then([.powerActionRequested(target: .on, timeout: nil)])
    }

    @Test("disable_power_off refuses power off and soft power off (409)", arguments: [PowerTarget.off, .softOff])
    func disablePowerOff(target: PowerTarget) {
        given(History.enrolled { $0.disablePowerOff = true })
            .when(.requestPower(target: target, timeout: nil))
            .then(.powerOffDisabled(ID.node), httpStatus: 409)
    }

    @Test("disable_power_off still allows power on and reboots", arguments: [PowerTarget.on, .rebooting, .softRebooting])
    func disablePowerOffAllowsOthers(target: PowerTarget) {
        given(History.enrolled { $0.disablePowerOff = true })
            .when(.requestPower(target: target, timeout: nil))
            .then([.powerActionRequested(target: target, timeout: nil)])
    }

    @Test("the BMC's report changes the power state")
    func recordChange() {
        given(History.enroll).when(.recordPowerState(.on)).then([.powerStateChanged(from: nil, to: .on)])
        given(History.enroll + History.poweredOn).when(.recordPowerState(.off)).then([.powerStateChanged(from: .on, to: .off)])
        given(History.enroll + History.poweredOn).when(.recordPowerState(nil)).then([.powerStateChanged(from: .on, to: nil)])
        given(History.enroll + History.poweredOn).when(.recordPowerState(.error)).then([.powerStateChanged(from: .on, to: .error)])
    }

    @Test("an unchanged report with nothing in flight is a no-op")
    func recordUnchanged() {
        given(History.enroll + History.poweredOn).when(.recordPowerState(.on)).then([])
        given(History.enroll).when(.recordPowerState(nil)).then([])
    }

    @Test("an unchanged report ends an action in flight (clears target_power_state)")
    func recordEndsAction() {
        given(History.enroll + History.poweredOn + [.powerActionRequested(target: .rebooting, timeout: nil)])
            .when(.recordPowerState(.on))
            .then([.powerStateChanged(from: .on, to: .on)])
    }

    @Test("a failed power action is recorded")
    func failAction() {
        given(History.enroll + [.powerActionRequested(target: .on, timeout: nil)])
            .when(.failPowerAction(target: .on, error: "BMC unreachable"))
            .then([.powerActionFailed(target: .on, error: "BMC unreachable")])
    }

    @Test("the boot device is set as asked", arguments: BootDevice.allCases)
    func bootDevice(device: BootDevice) {
        given(History.enroll).when(.setBootDevice(device, persistent: true)).then([.bootDeviceSet(device: device, persistent: true)])
        given(History.active).when(.setBootDevice(device, persistent: false)).then([.bootDeviceSet(device: device, persistent: false)])
    }
}
