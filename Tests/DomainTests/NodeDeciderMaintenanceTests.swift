import Domain
import Foundation
import Testing

@Suite("Decide: maintenance, fault and last_error")
struct NodeDeciderMaintenanceTests {
    @Test("an operator puts a node in maintenance, with or without a reason")
    func setMaintenance() {
        given(History.enroll).when(.setMaintenance(reason: "disk swap", fault: nil)).then([.maintenanceSet(reason: "disk swap")])
        given(History.enroll).when(.setMaintenance(reason: nil, fault: nil)).then([.maintenanceSet(reason: nil)])
    }

    @Test("maintenance can be set in any state, mid-transition too", arguments: ProvisionState.allCases)
    func setMaintenanceAnyState(state: ProvisionState) {
        given(History.reaching(state)).when(.setMaintenance(reason: "r", fault: nil)).then([.maintenanceSet(reason: "r")])
    }

    @Test("setting maintenance again updates the reason")
    func setMaintenanceAgain() {
        given(History.enroll + History.inMaintenance)
            .when(.setMaintenance(reason: "new reason", fault: nil))
            .then([.maintenanceSet(reason: "new reason")])
    }

    @Test("the engine's automatic maintenance records a fault")
    func setMaintenanceWithFault() {
        given(History.active)
            .when(.setMaintenance(reason: "power sync failed 3 times", fault: "power failure"))
            .then([.maintenanceSet(reason: "power sync failed 3 times"), .faultChanged(fault: "power failure")])
        given(History.active + [.maintenanceSet(reason: "x"), .faultChanged(fault: "power failure")])
            .when(.setMaintenance(reason: "still failing", fault: "power failure"))
            .then([.maintenanceSet(reason: "still failing")])
    }

    @Test("clearing maintenance")
    func clearMaintenance() {
        given(History.enroll + History.inMaintenance).when(.clearMaintenance).then([.maintenanceCleared])
        given(History.enroll + [.maintenanceSet(reason: "x"), .faultChanged(fault: "clean failure")]).when(.clearMaintenance).then([.maintenanceCleared])
    }

    @Test("clearing maintenance on a node not in it is a no-op")
    func clearMaintenanceNoOp() {
        given(History.enroll).when(.clearMaintenance).then([])
    }

    @Test("last_error is recorded and cleared; the same value again is a no-op")
    func lastError() {
        given(History.enroll).when(.setLastError("boom")).then([.lastErrorChanged(error: "boom")])
        given(History.enroll + [.lastErrorChanged(error: "boom")]).when(.setLastError(nil)).then([.lastErrorChanged(error: nil)])
        given(History.enroll + [.lastErrorChanged(error: "boom")]).when(.setLastError("boom")).then([])
        given(History.enroll).when(.setLastError(nil)).then([])
    }
}
