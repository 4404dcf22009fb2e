import Domain
import Testing

/// Ironic's provision states, events and named state groups, transcribed from ironic-facts §1.1–1.3
/// and §8.1 independently of `Domain`, so that the tests compare the implementation with the facts
/// and not with itself.
enum ProvisionFacts {
    /// §1.1: every API string with its "Default target" column (`nil` = null). The cleaning family
    /// defaults to `available` (automated cleaning); manual cleaning overrides it with `manageable`.
    static let states: [(name: String, defaultTarget: String?)] = [
        ("enroll", nil),
        ("verifying", "manageable"),
        ("manageable", nil),
        ("available", nil),
        ("deploying", "active"),
        ("wait call-back", "active"),
        ("deploy hold", "active"),
        ("deploy failed", "active"),
        ("active", nil),
        ("deleting", "available"),
        ("error", nil),
        ("cleaning", "available"),
        ("clean wait", "available"),
        ("clean hold", "available"),
        ("clean failed", "available"),
        ("inspecting", "manageable"),
        ("inspect wait", "manageable"),
        ("inspect failed", "manageable"),
        ("adopting", "active"),
        ("adopt failed", "active"),
        ("rescuing", "rescue"),
        ("rescue wait", "rescue"),
        ("rescue failed", "rescue"),
        ("rescue", nil),
        ("unrescuing", "active"),
        ("unrescue failed", "active"),
        ("servicing", "active"),
        ("service wait", "active"),
        ("service hold", "active"),
        ("service failed", "active"),
    ]

    static let stateNames: [String] = states.map(\.name)

    static let defaultTargets: [String: String?] = Dictionary(uniqueKeysWithValues: states.map { ($0.name, $0.defaultTarget) })

    /// Every event of §1.3: the thirteen API-reachable ones (§1.2) and the five internal-only ones.
    static let apiEventNames: [String] = [
        "manage", "provide", "inspect", "clean", "adopt", "deploy", "rebuild", "delete", "abort",
        "rescue", "unrescue", "unhold", "service",
    ]
    static let internalOnlyEventNames: [String] = ["done", "fail", "wait", "resume", "hold"]
    static let eventNames: [String] = apiEventNames + internalOnlyEventNames

    // §1.1 "Named groups in states.py".
    static let stable: Set<String> = ["enroll", "manageable", "available", "active", "error", "rescue"]
    static let unstable: Set<String> = [
        "deploying", "wait call-back", "cleaning", "clean wait", "verifying", "deleting", "inspecting",
        "inspect wait", "adopting", "rescuing", "rescue wait", "unrescuing", "servicing", "service wait",
    ]
    static let hold: Set<String> = ["deploy hold", "clean hold", "service hold"]
    static let stuckTreatedAsFail: Set<String> = [
        "deploying", "cleaning", "verifying", "inspecting", "adopting", "rescuing", "unrescuing", "deleting",
        "servicing",
    ]
    static let failure: Set<String> = [
        "deploy failed", "clean failed", "inspect failed", "rescue failed", "unrescue failed", "adopt failed",
        "service failed",
    ]
    /// Includes `available` because `[conductor]allow_deleting_available_nodes` defaults to True.
    static let deleteAllowed: Set<String> = ["manageable", "enroll", "adopt failed", "available"]
    static let updateAllowed: Set<String> = [
        "deploy failed", "inspecting", "inspect failed", "inspect wait", "clean failed", "error", "verifying",
        "adopt failed", "rescue failed", "unrescue failed", "service hold", "service failed",
    ]
    /// Without fast-track.
    static let lookupAllowed: Set<String> = [
        "deploying", "wait call-back", "cleaning", "clean wait", "inspecting", "inspect wait", "rescuing",
        "rescue wait", "service wait",
    ]

    /// §8.1 `_correct_stuck_states`: where `fail` takes each stuck state on conductor start.
    static let failureOnRestart: [String: String] = [
        "deploying": "deploy failed",
        "cleaning": "clean failed",
        "verifying": "enroll",
        "inspecting": "inspect failed",
        "adopting": "adopt failed",
        "rescuing": "rescue failed",
        "unrescuing": "unrescue failed",
        "deleting": "error",
        "servicing": "service failed",
    ]
}

/// The raw values of a set of states, for comparing with the facts' strings.
func names(_ states: Set<ProvisionState>) -> Set<String> { Set(states.map(\.rawValue)) }

@Suite("Provision states (ironic-facts §1.1)")
struct ProvisionStatesTests {
    @Test("There are exactly the thirty provision states of §1.1, with Ironic's exact API strings")
    func allStatesHaveIronicAPIStrings() {
        let actual = ProvisionState.allCases.map(\.rawValue)
        #expect(actual.count == 30)
        #expect(Set(actual) == Set(ProvisionFacts.stateNames))
        #expect(Set(actual).count == actual.count, "duplicate raw values: \(actual)")
        #expect(ProvisionFacts.stateNames.count == 30, "the transcription of §1.1 itself must list 30 states")
    }

    @Test("Each state decodes from its API string", arguments: ProvisionFacts.stateNames)
    func stateDecodesFromAPIString(_ name: String) throws {
        let state = try #require(ProvisionState(rawValue: name), "no ProvisionState has raw value '\(name)'")
        #expect(state.rawValue == name)
    }

    @Test("Pseudo-values are never provision states", arguments: [
        "deploy complete", "deleted", "rebuild", "deploy", "undeploy", "service", "None", "noop", "",
    ])
    func pseudoValuesAreNotStates(_ name: String) {
        #expect(ProvisionState(rawValue: name) == nil, "'\(name)' is a pseudo-value, not a persisted provision_state")
    }

    @Test("Each state's default target is §1.1's Default target column", arguments: ProvisionFacts.stateNames)
    func defaultTargetMatchesFacts(_ name: String) throws {
        let state = try #require(ProvisionState(rawValue: name))
        let expected = try #require(ProvisionFacts.defaultTargets[name])
        #expect(state.defaultTarget?.rawValue == expected,
                "'\(name)': default target should be \(expected ?? "null"), is \(state.defaultTarget?.rawValue ?? "null")")
    }

    @Test("Stable states, and only they, have no default target")
    func stableStatesHaveNoDefaultTarget() {
        for state in ProvisionState.allCases {
            #expect((state.defaultTarget == nil) == ProvisionFacts.stable.contains(state.rawValue),
                    "'\(state.rawValue)': stable \(ProvisionFacts.stable.contains(state.rawValue)), default target \(state.defaultTarget?.rawValue ?? "null")")
        }
    }

    @Test("STABLE is enroll, manageable, available, active, error, rescue")
    func stableSet() {
        #expect(names(ProvisionState.stable) == ProvisionFacts.stable)
        for state in ProvisionState.allCases {
            #expect(state.isStable == ProvisionFacts.stable.contains(state.rawValue), "isStable of '\(state.rawValue)'")
        }
    }

    @Test("UNSTABLE is the fourteen states that change without a request")
    func unstableSet() {
        #expect(names(ProvisionState.unstable) == ProvisionFacts.unstable)
    }

    @Test("Hold states are deploy hold, clean hold, service hold, and are neither stable nor unstable")
    func holdSet() {
        #expect(names(ProvisionState.hold) == ProvisionFacts.hold)
        #expect(ProvisionState.hold.isDisjoint(with: ProvisionState.stable))
        #expect(ProvisionState.hold.isDisjoint(with: ProvisionState.unstable))
    }

    @Test("No state is both stable and unstable")
    func stableAndUnstableAreDisjoint() {
        #expect(ProvisionState.stable.isDisjoint(with: ProvisionState.unstable))
    }

    @Test("FAILURE_STATES are the seven '… failed' states")
    func failureSet() {
        #expect(names(ProvisionState.failure) == ProvisionFacts.failure)
    }

    @Test("STUCK_STATES_TREATED_AS_FAIL are the nine active-work states")
    func stuckTreatedAsFailSet() {
        #expect(names(ProvisionState.stuckTreatedAsFail) == ProvisionFacts.stuckTreatedAsFail)
    }

    @Test("DELETE_ALLOWED_STATES are manageable, enroll, adopt failed and (by default) available")
    func deleteAllowedSet() {
        #expect(names(ProvisionState.deleteAllowed) == ProvisionFacts.deleteAllowed)
    }

    @Test("UPDATE_ALLOWED_STATES are the twelve states a node with a target may be PATCHed in")
    func updateAllowedSet() {
        #expect(names(ProvisionState.updateAllowed) == ProvisionFacts.updateAllowed)
    }

    @Test("LOOKUP_ALLOWED_STATES (without fast-track) are the nine states an agent may look a node up in")
    func lookupAllowedSet() {
        #expect(names(ProvisionState.lookupAllowed) == ProvisionFacts.lookupAllowed)
    }

    @Test("A stuck state fails on conductor start as §8.1 says; any other state is left alone",
          arguments: ProvisionFacts.stateNames)
    func failureOnRestartMatchesFacts(_ name: String) throws {
        let state = try #require(ProvisionState(rawValue: name))
        let expected = ProvisionFacts.failureOnRestart[name]
        #expect(state.failureOnRestart?.rawValue == expected,
                "'\(name)' on restart: expected \(expected ?? "nil"), got \(state.failureOnRestart?.rawValue ?? "nil")")
    }

    @Test("Wait and hold states are not failed on restart (they keep waiting for the agent or the operator)")
    func waitAndHoldStatesSurviveRestart() {
        for name in ["wait call-back", "clean wait", "inspect wait", "rescue wait", "service wait",
                     "deploy hold", "clean hold", "service hold"] {
            #expect(ProvisionState(rawValue: name)?.failureOnRestart == nil, "'\(name)' must survive a restart")
        }
    }
}

/// §1.6: `PUT /v1/nodes/{id}/states/power` targets.
struct PowerTargetFact: Sendable, CustomTestStringConvertible {
    let target: String
    let targetPowerState: String
    let minimumMicroversion: Int
    var testDescription: String { "'\(target)'" }
}

@Suite("Power targets (ironic-facts §1.6)")
struct PowerTargetTests {
    static let facts: [PowerTargetFact] = [
        PowerTargetFact(target: "power on", targetPowerState: "power on", minimumMicroversion: 1),
        PowerTargetFact(target: "power off", targetPowerState: "power off", minimumMicroversion: 1),
        PowerTargetFact(target: "rebooting", targetPowerState: "power on", minimumMicroversion: 1),
        PowerTargetFact(target: "soft power off", targetPowerState: "power off", minimumMicroversion: 27),
        PowerTargetFact(target: "soft rebooting", targetPowerState: "power on", minimumMicroversion: 27),
    ]

    @Test("The requestable power targets are exactly power on, power off, rebooting, soft power off, soft rebooting")
    func requestableTargets() {
        #expect(Set(PowerTarget.allCases.map(\.rawValue)) == Set(Self.facts.map(\.target)))
        #expect(PowerTarget.allCases.count == Self.facts.count)
    }

    @Test("While a power action runs, target_power_state shows where it ends; soft actions need 1.27",
          arguments: PowerTargetTests.facts)
    func targetPowerStateAndMicroversion(_ fact: PowerTargetFact) throws {
        let target = try #require(PowerTarget(rawValue: fact.target))
        #expect(target.targetPowerState.rawValue == fact.targetPowerState)
        #expect(target.minimumMicroversion == fact.minimumMicroversion)
        #expect(target.powersOff == (fact.targetPowerState == "power off"))
    }

    @Test("Power states use Ironic's wire strings")
    func powerStateStrings() {
        #expect(PowerState.on.rawValue == "power on")
        #expect(PowerState.off.rawValue == "power off")
        #expect(PowerState(rawValue: "power on") == .on)
        #expect(PowerState(rawValue: "power off") == .off)
    }
}
