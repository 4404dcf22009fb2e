import Domain
import Testing

/// Ironic's provision transition table, transcribed row for row from ironic-facts §1.3 (the
/// `state_machine.py` table). Rows that list several events ("rescue / unrescue / delete") are kept
/// as written and expanded pairwise: the n-th event leads to the n-th target (or to the only target)
/// and is fired by the n-th driver (or the only one). "API" = a user verb; "int" = the conductor,
/// a driver, an agent callback or a timeout.
enum TransitionFacts {
    struct Row: Sendable {
        let from: String
        let events: String
        let to: String
        let driver: String
    }

    /// One expanded (from, event) → to transition.
    struct Expected: Sendable, Hashable {
        let from: String
        let event: String
        let to: String
        let isAPI: Bool
    }

    struct Pair: Sendable, Hashable {
        let from: String
        let event: String
    }

    private static func row(_ from: String, _ events: String, _ to: String, _ driver: String) -> Row {
        Row(from: from, events: events, to: to, driver: driver)
    }

    /// §1.3 verbatim (From | Event | To | Driver, the Driver column cut to API/int).
    static let rows: [Row] = [
        row("enroll", "manage", "verifying", "API"),
        row("verifying", "done", "manageable", "int"),
        row("verifying", "fail", "enroll", "int"),
        row("manageable", "provide", "cleaning", "API"),
        row("manageable", "clean", "cleaning", "API"),
        row("manageable", "inspect", "inspecting", "API"),
        row("manageable", "adopt", "adopting", "API"),
        row("available", "deploy", "deploying", "API"),
        row("available", "manage", "manageable", "API"),
        row("deploying", "wait", "wait call-back", "int"),
        row("deploying", "hold", "deploy hold", "int"),
        row("deploying", "done", "active", "int"),
        row("deploying", "fail", "deploy failed", "int"),
        row("wait call-back", "resume", "deploying", "int"),
        row("wait call-back", "hold", "deploy hold", "int"),
        row("wait call-back", "fail", "deploy failed", "int"),
        row("wait call-back", "abort", "deploy failed", "API"),
        row("wait call-back", "delete", "deleting", "API"),
        row("deploy hold", "unhold", "wait call-back", "API"),
        row("deploy hold", "abort", "deploy failed", "API"),
        row("deploy failed", "deploy / rebuild", "deploying", "API"),
        row("deploy failed", "delete", "deleting", "API"),
        row("active", "rebuild", "deploying", "API"),
        row("active", "delete", "deleting", "API"),
        row("active", "rescue", "rescuing", "API"),
        row("active", "service", "servicing", "API"),
        row("deleting", "clean", "cleaning", "int"),
        row("deleting", "fail", "error", "int"),
        row("error", "rebuild", "deploying", "API"),
        row("error", "delete", "deleting", "API"),
        row("cleaning", "wait", "clean wait", "int"),
        row("cleaning", "hold", "clean hold", "int"),
        row("cleaning", "done", "available", "int"),
        row("cleaning", "manage", "manageable", "int"),
        row("cleaning", "fail", "clean failed", "int"),
        row("clean wait", "resume", "cleaning", "int"),
        row("clean wait", "hold", "clean hold", "int"),
        row("clean wait", "fail", "clean failed", "int"),
        row("clean wait", "abort", "clean failed", "API"),
        row("clean hold", "unhold", "clean wait", "API"),
        row("clean hold", "abort", "clean failed", "API"),
        row("clean failed", "manage", "manageable", "API"),
        row("inspecting", "done", "manageable", "int"),
        row("inspecting", "wait", "inspect wait", "int"),
        row("inspecting", "fail", "inspect failed", "int"),
        row("inspect wait", "resume", "inspecting", "int"),
        row("inspect wait", "done", "manageable", "int"),
        row("inspect wait", "fail", "inspect failed", "int"),
        row("inspect wait", "abort", "inspect failed", "API"),
        row("inspect failed", "inspect", "inspecting", "API"),
        row("inspect failed", "manage", "manageable", "API"),
        row("adopting", "done", "active", "int"),
        row("adopting", "fail", "adopt failed", "int"),
        row("adopt failed", "adopt", "adopting", "API"),
        row("adopt failed", "manage", "manageable", "API"),
        row("rescuing", "wait", "rescue wait", "int"),
        row("rescuing", "done", "rescue", "int"),
        row("rescuing", "fail", "rescue failed", "int"),
        row("rescue wait", "resume", "rescuing", "int"),
        row("rescue wait", "fail", "rescue failed", "int"),
        row("rescue wait", "abort", "rescue failed", "API"),
        row("rescue wait", "delete", "deleting", "API"),
        row("rescue", "rescue", "rescuing", "API"),
        row("rescue", "unrescue", "unrescuing", "API"),
        row("rescue", "delete", "deleting", "API"),
        row("rescue failed", "rescue / unrescue / delete", "rescuing / unrescuing / deleting", "API"),
        row("unrescuing", "done", "active", "int"),
        row("unrescuing", "fail", "unrescue failed", "int"),
        row("unrescue failed", "rescue / unrescue / delete", "rescuing / unrescuing / deleting", "API"),
        row("servicing", "done", "active", "int"),
        row("servicing", "wait / hold / fail", "service wait / service hold / service failed", "int"),
        row("service wait", "resume", "servicing", "int"),
        row("service wait", "hold / fail", "service hold / service failed", "int"),
        row("service wait", "abort", "service failed", "API"),
        row("service wait", "delete", "deleting", "API"),
        row("service hold", "service", "servicing", "API"),
        row("service hold", "unhold", "service wait", "API"),
        row("service hold", "abort / fail", "service failed", "API / int"),
        row("service failed", "service", "servicing", "API"),
        row("service failed", "abort", "active", "API"),
        row("service failed", "rescue", "rescuing", "API"),
        row("service failed", "delete", "deleting", "API"),
        row("service failed", "wait / hold", "service wait / service hold", "int"),
    ]

    /// `rows` with every multi-event row expanded into one transition per event.
    static let transitions: [Expected] = rows.flatMap { row -> [Expected] in
        let events = row.events.split(separator: " / ").map(String.init)
        let targets = row.to.split(separator: " / ").map(String.init)
        let drivers = row.driver.split(separator: " / ").map(String.init)
        precondition(targets.count == 1 || targets.count == events.count, "bad row \(row)")
        precondition(drivers.count == 1 || drivers.count == events.count, "bad row \(row)")
        return events.indices.map { i in
            let driver = drivers.count == 1 ? drivers[0] : drivers[i]
            precondition(driver == "API" || driver == "int", "bad driver in \(row)")
            return Expected(from: row.from, event: events[i], to: targets.count == 1 ? targets[0] : targets[i], isAPI: driver == "API")
        }
    }

    static let byPair: [Pair: Expected] = Dictionary(
        transitions.map { (Pair(from: $0.from, event: $0.event), $0) },
        uniquingKeysWith: { first, _ in first }
    )
}

/// §1.2: each `target` of `PUT /v1/nodes/{id}/states/provision`, its internal event and the first
/// microversion (1.N) that accepts it.
struct VerbFact: Sendable, CustomTestStringConvertible {
    let verb: String
    let event: String
    let minimumMicroversion: Int
    var testDescription: String { "'\(verb)'" }
}

@Suite("Provision state machine (ironic-facts §1.2–1.4)")
struct ProvisionStateMachineTests {
    // MARK: The transcription itself

    @Test("The transcribed §1.3 table has 83 rows expanding to 93 distinct transitions over known states and events")
    func transcriptionIsWellFormed() {
        #expect(TransitionFacts.rows.count == 83)
        #expect(TransitionFacts.transitions.count == 93)
        #expect(TransitionFacts.byPair.count == TransitionFacts.transitions.count, "a (state, event) pair appears twice in §1.3")
        let states = Set(ProvisionFacts.stateNames)
        let events = Set(ProvisionFacts.eventNames)
        for t in TransitionFacts.transitions {
            #expect(states.contains(t.from), "unknown from-state '\(t.from)'")
            #expect(states.contains(t.to), "unknown to-state '\(t.to)'")
            #expect(events.contains(t.event), "unknown event '\(t.event)'")
        }
    }

    @Test("The events are exactly the thirteen API-reachable ones and the five internal-only outcomes")
    func eventsAreExactlyIronics() {
        #expect(Set(ProvisionEvent.allCases.map(\.rawValue)) == Set(ProvisionFacts.eventNames))
        #expect(ProvisionEvent.allCases.count == 18)
        #expect(Set(ProvisionEvent.internalOnly.map(\.rawValue)) == Set(ProvisionFacts.internalOnlyEventNames))
    }

    // MARK: Exhaustive (state × event)

    @Test("From each state, every event either follows §1.3 (target and trigger) or is refused",
          arguments: ProvisionFacts.stateNames)
    func everyEventFromState(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName), "no ProvisionState '\(stateName)'")
        for eventName in ProvisionFacts.eventNames {
            let event = try #require(ProvisionEvent(rawValue: eventName), "no ProvisionEvent '\(eventName)'")
            let pair = "('\(stateName)', \(eventName))"
            let next = ProvisionStateMachine.next(from: state, on: event)
            let transition = ProvisionStateMachine.transition(from: state, on: event)
            if let expected = TransitionFacts.byPair[TransitionFacts.Pair(from: stateName, event: eventName)] {
                #expect(next?.rawValue == expected.to,
                        "\(pair) should lead to '\(expected.to)' but leads to \(next.map { "'\($0.rawValue)'" } ?? "nothing (refused)")")
                #expect(transition?.to == next, "\(pair): transition(from:on:) and next(from:on:) disagree")
                let expectedTrigger: ProvisionStateMachine.Trigger = expected.isAPI ? .api : .internal
                #expect(transition?.trigger == expectedTrigger,
                        "\(pair) should be \(expected.isAPI ? "API" : "internal"), is \(transition.map { "\($0.trigger)" } ?? "missing")")
                #expect(transition?.from == state && transition?.event == event, "\(pair): the row found is for another pair")
            } else {
                #expect(next == nil, "\(pair) is not in §1.3 and must be refused, but leads to '\(next?.rawValue ?? "")'")
                #expect(transition == nil, "\(pair) is not in §1.3 but has a transition")
            }
        }
    }

    @Test("The implementation's table holds exactly the 93 transitions of §1.3, once each")
    func implementationTableHasNoExtraRows() {
        let rows = ProvisionStateMachine.transitions
        #expect(rows.count == TransitionFacts.transitions.count)
        let actual = Set(rows.map { TransitionFacts.Expected(from: $0.from.rawValue, event: $0.event.rawValue, to: $0.to.rawValue, isAPI: $0.trigger == .api) })
        #expect(actual.count == rows.count, "the implementation lists a transition twice")
        let expected = Set(TransitionFacts.transitions)
        for extra in actual.subtracting(expected) {
            Issue.record("not in §1.3: ('\(extra.from)', \(extra.event)) → '\(extra.to)' [\(extra.isAPI ? "API" : "int")]")
        }
        for missing in expected.subtracting(actual) {
            Issue.record("missing from the implementation: ('\(missing.from)', \(missing.event)) → '\(missing.to)' [\(missing.isAPI ? "API" : "int")]")
        }
    }

    @Test("Internal-only outcomes (done, fail, wait, resume, hold) never drive an API transition")
    func apiTransitionsUseAPIEvents() {
        for t in ProvisionStateMachine.transitions where t.trigger == .api {
            #expect(!ProvisionEvent.internalOnly.contains(t.event), "('\(t.from.rawValue)', \(t.event.rawValue)) is API-driven")
            #expect(ProvisionVerb.allCases.contains { $0.event == t.event },
                    "('\(t.from.rawValue)', \(t.event.rawValue)) is API-driven but no verb fires \(t.event.rawValue)")
        }
    }

    @Test("Every non-stable state has a way out, and every failure and hold state has one the operator can take",
          arguments: ProvisionFacts.stateNames)
    func noDeadEnds(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName))
        let exits = ProvisionEvent.allCases.compactMap { ProvisionStateMachine.transition(from: state, on: $0) }
        if !state.isStable {
            #expect(!exits.isEmpty, "'\(stateName)' is a dead end")
        }
        if ProvisionState.failure.contains(state) || ProvisionState.hold.contains(state) {
            #expect(exits.contains { $0.trigger == .api }, "'\(stateName)' has no operator exit")
        }
    }

    // MARK: Walks through the machine

    @Test("Enrol, verify, provide, clean, deploy, tear down and clean again, as §1.3 chains it")
    func lifecycleWalk() {
        let walk: [(ProvisionEvent, ProvisionState)] = [
            (.manage, .verifying), (.done, .manageable), (.provide, .cleaning), (.wait, .cleanWait),
            (.resume, .cleaning), (.done, .available), (.deploy, .deploying), (.wait, .waitCallBack),
            (.resume, .deploying), (.done, .active), (.delete, .deleting), (.clean, .cleaning),
            (.done, .available),
        ]
        var state = ProvisionState.enroll
        for (event, expected) in walk {
            let next = ProvisionStateMachine.next(from: state, on: event)
            #expect(next == expected, "('\(state.rawValue)', \(event.rawValue)) should lead to '\(expected.rawValue)'")
            guard let next else { return }
            state = next
        }
    }

    // MARK: Targets (§1.4)

    static let previousTargets: [ProvisionState?] = [nil, .manageable, .available, .active, .rescue]

    @Test("A stable state shows no target whatever the previous target was",
          arguments: ProvisionFacts.stateNames.filter { ProvisionFacts.stable.contains($0) })
    func stableStatesClearTheTarget(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName))
        for previous in Self.previousTargets {
            #expect(ProvisionStateMachine.target(entering: state, previousTarget: previous) == nil,
                    "entering '\(stateName)' with previous target \(previous?.rawValue ?? "null") must clear the target")
        }
    }

    @Test("Outside cleaning, entering a state shows its §1.1 default target whatever the previous target was",
          arguments: ProvisionFacts.stateNames.filter { !$0.hasPrefix("clean") })
    func enteringShowsDefaultTarget(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName))
        let expected = try #require(ProvisionFacts.defaultTargets[stateName])
        for previous in Self.previousTargets {
            let actual = ProvisionStateMachine.target(entering: state, previousTarget: previous)
            #expect(actual?.rawValue == expected,
                    "entering '\(stateName)' with previous target \(previous?.rawValue ?? "null"): expected \(expected ?? "null"), got \(actual?.rawValue ?? "null")")
        }
    }

    @Test("Automated cleaning shows target available through cleaning, clean wait, clean hold and clean failed",
          arguments: ["cleaning", "clean wait", "clean hold", "clean failed"])
    func automatedCleaningTargetsAvailable(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName))
        for previous: ProvisionState? in [nil, .available] {
            #expect(ProvisionStateMachine.target(entering: state, previousTarget: previous) == .available,
                    "automated clean entering '\(stateName)' (previous target \(previous?.rawValue ?? "null"))")
        }
    }

    @Test("Manual cleaning (target manageable) keeps manageable through cleaning, clean wait and clean hold",
          arguments: ["cleaning", "clean wait", "clean hold"])
    func manualCleaningKeepsManageable(_ stateName: String) throws {
        let state = try #require(ProvisionState(rawValue: stateName))
        #expect(ProvisionStateMachine.target(entering: state, previousTarget: .manageable) == .manageable,
                "manual clean entering '\(stateName)' must keep target manageable")
    }

    @Test("""
        A failed or aborted manual clean shows clean failed with target manageable, which is how \
        clients tell it from a failed automated clean (§1.1 clean failed row, §1.4 abort keeps manageable)
        """)
    func failedManualCleanKeepsManageable() {
        #expect(ProvisionStateMachine.target(entering: .cleanFailed, previousTarget: .manageable) == .manageable)
    }

    /// Walks `steps` from `start` with `target` starting at `startTarget`, checking state and target after each event.
    private func walk(from start: ProvisionState, target startTarget: ProvisionState?,
                      _ steps: [(event: ProvisionEvent, state: ProvisionState, target: ProvisionState?)]) {
        var state = start
        var target = startTarget
        for step in steps {
            guard let next = ProvisionStateMachine.next(from: state, on: step.event) else {
                Issue.record("('\(state.rawValue)', \(step.event.rawValue)) is refused; expected '\(step.state.rawValue)'")
                return
            }
            #expect(next == step.state, "('\(state.rawValue)', \(step.event.rawValue)) should lead to '\(step.state.rawValue)'")
            target = ProvisionStateMachine.target(entering: next, previousTarget: target)
            #expect(target == step.target,
                    "after \(step.event.rawValue) into '\(next.rawValue)' the target should be \(step.target?.rawValue ?? "null"), is \(target?.rawValue ?? "null")")
            state = next
        }
    }

    @Test("A manual clean shows target manageable from start to abort, and none once back in manageable")
    func manualCleanWalkTargets() {
        // The `clean` verb passes `manageable` as the override (Ironic's do_node_clean target_state).
        walk(from: .manageable, target: .manageable, [
            (.clean, .cleaning, .manageable), (.wait, .cleanWait, .manageable), (.hold, .cleanHold, .manageable),
            (.unhold, .cleanWait, .manageable), (.abort, .cleanFailed, .manageable), (.manage, .manageable, nil),
        ])
    }

    @Test("Teardown then automated clean shows target available until the node settles")
    func automatedCleanWalkTargets() {
        walk(from: .active, target: nil, [
            (.delete, .deleting, .available), (.clean, .cleaning, .available), (.wait, .cleanWait, .available),
            (.fail, .cleanFailed, .available), (.manage, .manageable, nil), (.provide, .cleaning, .available),
            (.done, .available, nil),
        ])
    }

    @Test("A deploy shows target active through its wait and hold states, and none once active")
    func deployWalkTargets() {
        walk(from: .available, target: nil, [
            (.deploy, .deploying, .active), (.wait, .waitCallBack, .active), (.hold, .deployHold, .active),
            (.unhold, .waitCallBack, .active), (.resume, .deploying, .active), (.done, .active, nil),
        ])
    }

    @Test("A clean failed on conductor start shows the default target available, losing the manual-clean hint (§8.1)")
    func restartFailedCleanShowsAvailable() throws {
        let failed = try #require(ProvisionState.cleaning.failureOnRestart)
        #expect(failed == .cleanFailed)
        // The restart path fires `fail` with no target override.
        #expect(ProvisionStateMachine.target(entering: failed, previousTarget: nil) == .available)
    }

    @Test("A finished manual clean lands on manageable and clears the target")
    func finishedManualCleanClearsTarget() {
        #expect(ProvisionStateMachine.next(from: .cleaning, on: .manage) == .manageable)
        #expect(ProvisionStateMachine.target(entering: .manageable, previousTarget: .manageable) == nil)
    }

    // MARK: Verbs (§1.2)

    static let verbFacts: [VerbFact] = [
        VerbFact(verb: "manage", event: "manage", minimumMicroversion: 4),
        VerbFact(verb: "provide", event: "provide", minimumMicroversion: 4),
        VerbFact(verb: "inspect", event: "inspect", minimumMicroversion: 6),
        VerbFact(verb: "abort", event: "abort", minimumMicroversion: 13),
        VerbFact(verb: "clean", event: "clean", minimumMicroversion: 15),
        VerbFact(verb: "adopt", event: "adopt", minimumMicroversion: 17),
        VerbFact(verb: "rescue", event: "rescue", minimumMicroversion: 38),
        VerbFact(verb: "unrescue", event: "unrescue", minimumMicroversion: 38),
        VerbFact(verb: "active", event: "deploy", minimumMicroversion: 1),
        VerbFact(verb: "deploy", event: "deploy", minimumMicroversion: 73),
        VerbFact(verb: "rebuild", event: "rebuild", minimumMicroversion: 1),
        VerbFact(verb: "deleted", event: "delete", minimumMicroversion: 1),
        VerbFact(verb: "undeploy", event: "delete", minimumMicroversion: 73),
        VerbFact(verb: "unhold", event: "unhold", minimumMicroversion: 85),
        VerbFact(verb: "service", event: "service", minimumMicroversion: 87),
    ]

    @Test("The provision verbs are exactly the fifteen targets of §1.2")
    func verbsAreExactlyIronics() {
        #expect(Set(ProvisionVerb.allCases.map(\.rawValue)) == Set(Self.verbFacts.map(\.verb)))
        #expect(ProvisionVerb.allCases.count == Self.verbFacts.count)
    }

    @Test("Each verb fires its §1.2 event and is accepted from its §1.2 microversion",
          arguments: ProvisionStateMachineTests.verbFacts)
    func verbMapsToEventAndMicroversion(_ fact: VerbFact) throws {
        let verb = try #require(ProvisionVerb(rawValue: fact.verb), "no ProvisionVerb '\(fact.verb)'")
        #expect(verb.event.rawValue == fact.event, "'\(fact.verb)' should fire \(fact.event), fires \(verb.event.rawValue)")
        #expect(verb.minimumMicroversion == fact.minimumMicroversion,
                "'\(fact.verb)' should need 1.\(fact.minimumMicroversion), needs 1.\(verb.minimumMicroversion)")
    }

    @Test("No verb fires an internal-only event, and internal-only events are not verbs",
          arguments: ProvisionFacts.internalOnlyEventNames)
    func internalOnlyEventsAreNotVerbs(_ eventName: String) throws {
        let event = try #require(ProvisionEvent(rawValue: eventName))
        #expect(!ProvisionVerb.allCases.contains { $0.event == event }, "a verb fires internal-only '\(eventName)'")
        #expect(ProvisionVerb(rawValue: eventName) == nil, "'\(eventName)' must be rejected as a verb (400)")
    }

    @Test("Every API-reachable event is fired by some verb", arguments: ProvisionFacts.apiEventNames)
    func everyAPIEventHasAVerb(_ eventName: String) throws {
        let event = try #require(ProvisionEvent(rawValue: eventName))
        #expect(ProvisionVerb.allCases.contains { $0.event == event }, "no verb fires '\(eventName)'")
    }
}
