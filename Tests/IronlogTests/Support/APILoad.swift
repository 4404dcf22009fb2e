import EventStore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A JSON value as canonical text (sorted keys), so values compare as strings and cross threads.
enum CanonicalJSON {
    static func text(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "null" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every member of `object` as canonical text.
    static func fields(_ object: [String: Any]) -> [String: String] {
        object.mapValues { text($0) }
    }
}

/// One `ironlog serve` on a loopback port, called through its REST API at one microversion.
struct IronlogAPI: Sendable {
    let port: Int
    static let version = "1.89"

    /// An answer: status, request id, JSON body (nil when empty).
    struct Answer: @unchecked Sendable {
        let status: Int
        let requestID: String?
        let json: Any?
        var object: [String: Any]? { json as? [String: Any] }
        var acknowledged: Bool { (200..<300).contains(status) }
    }

    /// Sends a request; throws when no response arrives (the server died, or is not up).
    func call(_ method: String, _ path: String, _ body: Any? = nil, timeout: Int = 30) throws -> Answer {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        let response = try RawHTTP.request(method, path, port: port, body: data,
                                        headers: ["OpenStack-API-Version": "baremetal \(Self.version)"], timeout: timeout)
        let json = response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
        return Answer(status: response.status, requestID: response.headers["openstack-request-id"] ?? response.headers["x-openstack-request-id"],
                      json: json)
    }

    /// Every member of a paged collection (`key` in the document), following `next` links.
    func list(_ path: String, key: String) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var next: String? = path
        while let current = next {
            let answer = try call("GET", current)
            guard answer.status == 200, let page = answer.object, let members = page[key] as? [[String: Any]] else {
                throw LoadFailure("GET \(current) answered \(answer.status): \(CanonicalJSON.text(answer.json))")
            }
            items += members
            next = (page["next"] as? String).flatMap { URL(string: $0) }.map { url in
                url.path + (url.query.map { "?" + $0 } ?? "")
            }
        }
        return items
    }

    /// The request id of every event in the log, paging `GET /v1/events`.
    func eventRequestIDs() throws -> (ids: Set<String>, head: UInt64) {
        var ids: Set<String> = [], after: UInt64 = 0
        while true {
            let answer = try call("GET", "/v1/events?after=\(after)&limit=1000")
            guard answer.status == 200, let events = answer.object?["events"] as? [[String: Any]] else {
                throw LoadFailure("GET /v1/events answered \(answer.status)")
            }
            for event in events {
                if let id = event["request_id"] as? String { ids.insert(id) }
                if let position = (event["position"] as? NSNumber)?.uint64Value { after = max(after, position) }
            }
            if events.count < 1000 { return (ids, after) }
        }
    }

    /// The highest log position of each request id's events, paging `GET /v1/events`.
    func eventPositionsByRequestID() throws -> [String: UInt64] {
        var positions: [String: UInt64] = [:], after: UInt64 = 0
        while true {
            let answer = try call("GET", "/v1/events?after=\(after)&limit=1000")
            guard answer.status == 200, let events = answer.object?["events"] as? [[String: Any]] else {
                throw LoadFailure("GET /v1/events answered \(answer.status)")
            }
            for event in events {
                guard let position = (event["position"] as? NSNumber)?.uint64Value else { continue }
                if let id = event["request_id"] as? String { positions[id] = max(positions[id] ?? 0, position) }
                after = max(after, position)
            }
            if events.count < 1000 { return positions }
        }
    }

    /// The log head the root document reports.
    func logHead() throws -> UInt64 {
        let root = try call("GET", "/")
        guard let ironlog = root.object?["ironlog"] as? [String: Any], let head = (ironlog["log_head"] as? NSNumber)?.uint64Value else {
            throw LoadFailure("GET / carries no ironlog.log_head: \(CanonicalJSON.text(root.json))")
        }
        return head
    }

    /// Polls `GET /` until the server answers, or `seconds` pass.
    func waitUntilServing(_ server: IronlogProcess, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard server.isRunning else { throw LoadFailure("ironlog serve exited before answering; stderr:\n\(server.standardError)") }
            if let answer = try? call("GET", "/", timeout: 5), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LoadFailure("ironlog serve did not answer within \(seconds) s; stderr:\n\(server.standardError)")
    }
}

/// A failure of the load's own bookkeeping or of a read it depends on.
struct LoadFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The kinds of resource the load creates, with their collections.
enum LoadResource: String, Sendable, CaseIterable {
    case node, port, connector, target

    var collection: String {
        switch self {
        case .node: "/v1/nodes"
        case .port: "/v1/ports"
        case .connector: "/v1/volume/connectors"
        case .target: "/v1/volume/targets"
        }
    }

    /// The list of every resource with all its fields, and the document member holding it.
    var detailList: (path: String, key: String) {
        switch self {
        case .node: ("/v1/nodes/detail?limit=1000", "nodes")
        case .port: ("/v1/ports/detail?limit=1000", "ports")
        case .connector: ("/v1/volume/connectors?detail=True&limit=1000", "connectors")
        case .target: ("/v1/volume/targets?detail=True&limit=1000", "targets")
        }
    }

    /// The fields an acknowledged answer fixes until a later acknowledged request changes them.
    /// Fields the engine changes on its own (states, timestamps, internal info) are left out;
    /// a node's `maintenance` is compared apart, since a failed cleaning sets it.
    var settledFields: [String] {
        switch self {
        case .node: ["uuid", "name", "driver", "extra", "description", "properties"]
        case .port: ["uuid", "address", "node_uuid", "extra", "pxe_enabled", "local_link_connection", "physical_network"]
        case .connector: ["uuid", "type", "connector_id", "node_uuid", "extra"]
        case .target: ["uuid", "volume_type", "volume_id", "boot_index", "node_uuid", "extra", "properties"]
        }
    }
}

/// One acknowledged request: what was asked and what the API answered.
struct Acknowledgement: Sendable {
    let worker: Int
    let requestID: String
    let method: String
    let path: String
    let status: Int
    let resource: LoadResource
    let uuid: String
    /// The answer's members as canonical JSON (empty for an answer without a body).
    let answer: [String: String]
}

/// What the acknowledged requests say one resource is.
struct Expectation: Sendable {
    let resource: LoadResource
    let uuid: String
    /// The node it belongs to (itself for a node).
    let node: String
    var exists: Bool
    /// ``LoadResource/settledFields`` as last answered.
    var fields: [String: String]
    /// The maintenance flag last answered (nodes).
    var maintenance: Bool?
    /// The last provision verb acknowledged (nodes).
    var provisionVerb: String?
    /// The power state last asked for and acknowledged, unless a provision verb acknowledged
    /// since then may change the power (nodes).
    var powerTarget: String?
    /// A request on it got no answer since the last acknowledged one: it may or may not have
    /// happened, so the next check reads the resource back instead of judging it.
    var uncertain = false
}

/// Everything a set of workers was answered, shared between their threads.
final class AcknowledgementJournal: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Acknowledgement] = []
    private var states: [String: Expectation] = [:]

    var count: Int { lock.withLock { entries.count } }
    var acknowledgements: [Acknowledgement] { lock.withLock { entries } }
    var expectations: [String: Expectation] { lock.withLock { states } }

    func record(_ acknowledgement: Acknowledgement, _ update: (inout Expectation?) -> Void) {
        lock.withLock {
            entries.append(acknowledgement)
            update(&states[acknowledgement.uuid])
        }
    }

    func update(_ uuid: String, _ change: (inout Expectation?) -> Void) {
        lock.withLock { change(&states[uuid]) }
    }

    func expectation(_ uuid: String) -> Expectation? { lock.withLock { states[uuid] } }
}

/// A flag set once, read from many threads.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    var isSet: Bool { lock.withLock { set } }
    func raise() { lock.withLock { set = true } }
}

/// Concurrent API load: each worker owns the nodes it enrolls (and their ports and volume
/// connectors and targets) and drives them through enroll, manage, provide, deploy, undeploy,
/// power changes, maintenance patches and port and volume changes, picking with its own seeded
/// generator. Every answered 2xx is journaled with the request id and the answer's fields.
final class APILoad: @unchecked Sendable {
    let journal = AcknowledgementJournal()
    let workers: Int
    /// Each worker's generator and counter, touched only by its own thread while it runs.
    private final class WorkerState: @unchecked Sendable {
        var rng: SplitMix64
        var counter = 0
        init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    }
    private let states: [WorkerState]
    /// Requests answered with something other than 2xx (refused: they store nothing).
    private let refusedLock = NSLock()
    private var refusedCount = 0
    var refused: Int { refusedLock.withLock { refusedCount } }
    /// Refused requests by method, path and status, with one answer of each.
    private var refusedKinds: [String: Int] = [:]
    private var refusedSamples: [String: String] = [:]
    var refusals: [String: (count: Int, sample: String)] {
        refusedLock.withLock { refusedKinds.mapValues { ($0, "") }.merging(refusedSamples.mapValues { (0, $0) }) { ($0.count, $1.sample) } }
    }

    init(workers: Int, seed: UInt64) {
        self.workers = workers
        states = (0..<workers).map { WorkerState(seed: seed &+ UInt64($0) &* 0x9E37_79B9) }
    }

    /// Runs every worker on a thread of its own against `api` until `stop` is raised or a request
    /// gets no answer (the server was killed); returns when every worker has ended.
    func run(_ api: IronlogAPI, until stop: StopFlag) async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        Thread { self.work(worker, api, stop); continuation.resume() }.start()
                    }
                }
            }
        }
    }

    // MARK: - One worker

    private func work(_ worker: Int, _ api: IronlogAPI, _ stop: StopFlag) {
        var rng = states[worker].rng
        defer { states[worker].rng = rng }
        while !stop.isSet {
            do {
                try step(worker, api, &rng)
            } catch {
                return  // no answer: the server is gone; the round is over for this worker
            }
        }
    }

    private func owned(_ worker: Int, _ resource: LoadResource) -> [Expectation] {
        journal.expectations.values.filter { $0.resource == resource && $0.exists && ownerOf($0.node) == worker }
            .sorted { $0.uuid < $1.uuid }
    }

    private func ownerOf(_ node: String) -> Int { nodeOwners.withLock { $0[node] ?? -1 } }
    private let nodeOwners = Locked<[String: Int]>([:])

    private func next(_ worker: Int) -> Int {
        states[worker].counter += 1
        return states[worker].counter
    }

    /// One request (two when the node's state is read first).
    private func step(_ worker: Int, _ api: IronlogAPI, _ rng: inout SplitMix64) throws {
        let nodes = owned(worker, .node)
        if nodes.count < 3 || (nodes.count < 8 && Int.random(in: 0..<12, using: &rng) == 0) {
            return try enroll(worker, api)
        }
        let node = nodes[Int.random(in: 0..<nodes.count, using: &rng)]
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<30: try provision(worker, api, node, &rng)
        case 30..<40: try power(worker, api, node)
        case 40..<52: try patchNode(worker, api, node, &rng)
        case 52..<62: try createPort(worker, api, node)
        case 62..<70: try changePort(worker, api, node.uuid, &rng)
        case 70..<80: try createConnector(worker, api, node)
        case 80..<86: try deleteVolume(worker, api, node.uuid, .connector, &rng)
        case 86..<94: try createTarget(worker, api, node)
        default: try deleteVolume(worker, api, node.uuid, .target, &rng)
        }
    }

    /// Sends a request about `uuid`; a request without an answer marks it uncertain and throws.
    private func send(_ worker: Int, _ api: IronlogAPI, _ method: String, _ path: String, _ body: Any?,
                      about uuid: String, creating: Expectation? = nil) throws -> IronlogAPI.Answer? {
        do {
            let answer = try api.call(method, path, body)
            if !answer.acknowledged {
                let kind = "\(method) \(path.split(separator: "/").filter { UUID(uuidString: String($0)) == nil }.joined(separator: "/")) \(answer.status)"
                refusedLock.withLock {
                    refusedCount += 1
                    refusedKinds[kind, default: 0] += 1
                    if refusedSamples[kind] == nil { refusedSamples[kind] = CanonicalJSON.text(answer.json) }
                }
            }
            return answer.acknowledged ? answer : nil
        } catch {
            journal.update(uuid) { state in
                if state == nil { state = creating }
                state?.uncertain = true
            }
            throw error
        }
    }

    private func acknowledge(_ worker: Int, _ method: String, _ path: String, _ answer: IronlogAPI.Answer, _ resource: LoadResource,
                             _ uuid: String, _ update: (inout Expectation?) -> Void) {
        let acknowledgement = Acknowledgement(worker: worker, requestID: answer.requestID ?? "", method: method, path: path,
                                              status: answer.status, resource: resource, uuid: uuid,
                                              answer: answer.object.map(CanonicalJSON.fields) ?? [:])
        journal.record(acknowledgement, update)
    }

    /// The settled fields of an answer, with the resource's own state updated from it.
    private func answered(_ resource: LoadResource, _ answer: IronlogAPI.Answer, node: String) -> Expectation? {
        guard let object = answer.object, let uuid = object["uuid"] as? String else { return nil }
        let all = CanonicalJSON.fields(object)
        var fields: [String: String] = [:]
        for name in resource.settledFields { fields[name] = all[name] ?? "null" }
        return Expectation(resource: resource, uuid: uuid, node: node, exists: true, fields: fields,
                           maintenance: resource == .node ? object["maintenance"] as? Bool : nil)
    }

    private func enroll(_ worker: Int, _ api: IronlogAPI) throws {
        let uuid = UUID().uuidString.lowercased(), index = next(worker)
        nodeOwners.withLock { $0[uuid] = worker }
        let body: [String: Any] = ["uuid": uuid, "name": "torture-\(worker)-\(index)", "driver": "fake-hardware",
                                   "extra": ["worker": worker, "index": index], "properties": ["cpus": 4, "memory_mb": 8192],
                                   "instance_info": ["image_source": "http://127.0.0.1/image.qcow2"]]
        let pending = Expectation(resource: .node, uuid: uuid, node: uuid, exists: false, fields: [:])
        guard let answer = try send(worker, api, "POST", "/v1/nodes", body, about: uuid, creating: pending) else { return }
        let state = answered(.node, answer, node: uuid)
        acknowledge(worker, "POST", "/v1/nodes", answer, .node, uuid) { $0 = state }
    }

    private func patchNode(_ worker: Int, _ api: IronlogAPI, _ node: Expectation, _ rng: inout SplitMix64) throws {
        var patch: [[String: Any]] = [["op": "add", "path": "/extra/mark", "value": "m-\(next(worker))"]]
        if Int.random(in: 0..<2, using: &rng) == 0 {
            patch.append(["op": "replace", "path": "/maintenance", "value": !(node.maintenance ?? false)])
        } else {
            patch.append(["op": "replace", "path": "/description", "value": "d-\(next(worker))"])
        }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            patch.append(["op": "add", "path": "/instance_info/image_source", "value": "http://127.0.0.1/image-\(next(worker)).qcow2"])
        }
        let path = "/v1/nodes/\(node.uuid)"
        guard let answer = try send(worker, api, "PATCH", path, patch, about: node.uuid) else { return }
        let state = answered(.node, answer, node: node.uuid)
        acknowledge(worker, "PATCH", path, answer, .node, node.uuid) { current in
            let (verb, power) = (current?.provisionVerb, current?.powerTarget)
            current = state
            current?.provisionVerb = verb
            current?.powerTarget = power
        }
    }

    private func provision(_ worker: Int, _ api: IronlogAPI, _ node: Expectation, _ rng: inout SplitMix64) throws {
        guard let read = try? api.call("GET", "/v1/nodes/\(node.uuid)"), let object = read.object,
            let state = object["provision_state"] as? String
        else { throw LoadFailure("no answer") }
        let maintenance = object["maintenance"] as? Bool ?? false
        if maintenance {
            // Provisioning is refused in maintenance: take it out first.
            let path = "/v1/nodes/\(node.uuid)"
            let patch: [[String: Any]] = [["op": "replace", "path": "/maintenance", "value": false]]
            guard let answer = try send(worker, api, "PATCH", path, patch, about: node.uuid) else { return }
            let updated = answered(.node, answer, node: node.uuid)
            acknowledge(worker, "PATCH", path, answer, .node, node.uuid) { current in
                let (verb, power) = (current?.provisionVerb, current?.powerTarget)
                current = updated
                current?.provisionVerb = verb
                current?.powerTarget = power
            }
            return
        }
        let verb: String
        switch state {
        case "enroll", "clean failed", "inspect failed", "adopt failed": verb = "manage"
        case "manageable": verb = "provide"
        case "available": verb = Int.random(in: 0..<4, using: &rng) == 0 ? "manage" : "deploy"
        case "active", "deploy failed", "error": verb = "undeploy"
        default: return  // on its way somewhere: leave it be
        }
        let path = "/v1/nodes/\(node.uuid)/states/provision"
        do {
            guard let answer = try send(worker, api, "PUT", path, ["target": verb], about: node.uuid) else { return }
            acknowledge(worker, "PUT", path, answer, .node, node.uuid) { state in
                state?.provisionVerb = verb
                state?.powerTarget = nil
            }
        } catch {
            journal.update(node.uuid) { state in
                state?.provisionVerb = nil
                state?.powerTarget = nil
            }
            throw error
        }
    }

    private func power(_ worker: Int, _ api: IronlogAPI, _ node: Expectation) throws {
        guard let read = try? api.call("GET", "/v1/nodes/\(node.uuid)"), let object = read.object else { throw LoadFailure("no answer") }
        let target = object["power_state"] as? String == "power on" ? "power off" : "power on"
        let path = "/v1/nodes/\(node.uuid)/states/power"
        do {
            guard let answer = try send(worker, api, "PUT", path, ["target": target], about: node.uuid) else { return }
            acknowledge(worker, "PUT", path, answer, .node, node.uuid) { $0?.powerTarget = target }
        } catch {
            journal.update(node.uuid) { $0?.powerTarget = nil }
            throw error
        }
    }

    private func createPort(_ worker: Int, _ api: IronlogAPI, _ node: Expectation) throws {
        let uuid = UUID().uuidString.lowercased(), index = next(worker)
        let address = String(format: "52:54:%02x:%02x:%02x:%02x", worker, (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF)
        let body: [String: Any] = ["uuid": uuid, "node_uuid": node.uuid, "address": address, "extra": ["index": index]]
        let pending = Expectation(resource: .port, uuid: uuid, node: node.uuid, exists: false, fields: [:])
        guard let answer = try send(worker, api, "POST", "/v1/ports", body, about: uuid, creating: pending) else { return }
        let state = answered(.port, answer, node: node.uuid)
        acknowledge(worker, "POST", "/v1/ports", answer, .port, uuid) { $0 = state }
    }

    private func changePort(_ worker: Int, _ api: IronlogAPI, _ node: String, _ rng: inout SplitMix64) throws {
        let ports = owned(worker, .port).filter { $0.node == node }
        guard !ports.isEmpty else { return }
        let port = ports[Int.random(in: 0..<ports.count, using: &rng)]
        let path = "/v1/ports/\(port.uuid)"
        if Int.random(in: 0..<2, using: &rng) == 0 {
            let patch: [[String: Any]] = [["op": "add", "path": "/extra/mark", "value": "p-\(next(worker))"]]
            guard let answer = try send(worker, api, "PATCH", path, patch, about: port.uuid) else { return }
            let state = answered(.port, answer, node: node)
            acknowledge(worker, "PATCH", path, answer, .port, port.uuid) { $0 = state }
        } else {
            guard let answer = try send(worker, api, "DELETE", path, nil, about: port.uuid) else { return }
            acknowledge(worker, "DELETE", path, answer, .port, port.uuid) { $0?.exists = false }
        }
    }

    private func createConnector(_ worker: Int, _ api: IronlogAPI, _ node: Expectation) throws {
        let uuid = UUID().uuidString.lowercased(), index = next(worker)
        let body: [String: Any] = ["uuid": uuid, "node_uuid": node.uuid, "type": "iqn",
                                   "connector_id": "iqn.2026-11.org.ironlog:torture-\(worker)-\(index)", "extra": ["index": index]]
        let pending = Expectation(resource: .connector, uuid: uuid, node: node.uuid, exists: false, fields: [:])
        guard let answer = try send(worker, api, "POST", "/v1/volume/connectors", body, about: uuid, creating: pending) else { return }
        let state = answered(.connector, answer, node: node.uuid)
        acknowledge(worker, "POST", "/v1/volume/connectors", answer, .connector, uuid) { $0 = state }
    }

    private func createTarget(_ worker: Int, _ api: IronlogAPI, _ node: Expectation) throws {
        let uuid = UUID().uuidString.lowercased(), index = next(worker)
        let body: [String: Any] = ["uuid": uuid, "node_uuid": node.uuid, "volume_type": "iscsi", "boot_index": index,
                                   "volume_id": "volume-\(worker)-\(index)", "extra": ["index": index]]
        let pending = Expectation(resource: .target, uuid: uuid, node: node.uuid, exists: false, fields: [:])
        guard let answer = try send(worker, api, "POST", "/v1/volume/targets", body, about: uuid, creating: pending) else { return }
        let state = answered(.target, answer, node: node.uuid)
        acknowledge(worker, "POST", "/v1/volume/targets", answer, .target, uuid) { $0 = state }
    }

    private func deleteVolume(_ worker: Int, _ api: IronlogAPI, _ node: String, _ resource: LoadResource, _ rng: inout SplitMix64) throws {
        let members = owned(worker, resource).filter { $0.node == node }
        guard !members.isEmpty else { return }
        let member = members[Int.random(in: 0..<members.count, using: &rng)]
        let path = "\(resource.collection)/\(member.uuid)"
        guard let answer = try send(worker, api, "DELETE", path, nil, about: member.uuid) else { return }
        acknowledge(worker, "DELETE", path, answer, resource, member.uuid) { $0?.exists = false }
    }

    // MARK: - Checks

    /// Reads every resource whose last request got no answer back from `api` and takes what it
    /// says as the new acknowledged state (the request may or may not have happened). Returns
    /// a description of each that is neither the state before nor a state that request could make.
    func resolveUncertain(_ api: IronlogAPI) throws {
        for (uuid, state) in journal.expectations where state.uncertain {
            let answer = try api.call("GET", "\(state.resource.collection)/\(uuid)")
            journal.update(uuid) { current in
                if answer.status == 200, let resolved = answered(state.resource, answer, node: state.node) {
                    current = resolved
                } else {
                    current?.exists = false
                    current?.uncertain = false
                }
                current?.provisionVerb = nil
            }
        }
    }

    /// Compares the acknowledged state with what the API lists now: one line per difference, and
    /// how many resources were compared.
    func differences(_ api: IronlogAPI) throws -> (problems: [String], compared: Int) {
        var listed: [LoadResource: [String: [String: Any]]] = [:]
        for resource in LoadResource.allCases {
            let (path, key) = resource.detailList
            listed[resource] = Dictionary(try api.list(path, key: key).compactMap { item in (item["uuid"] as? String).map { ($0, item) } },
                                          uniquingKeysWith: { first, _ in first })
        }
        var problems: [String] = [], compared = 0
        for (uuid, expected) in journal.expectations.sorted(by: { $0.key < $1.key }) where !expected.uncertain {
            compared += 1
            let actual = listed[expected.resource]?[uuid]
            guard expected.exists else {
                if actual != nil { problems.append("\(expected.resource) \(uuid): its delete was acknowledged, but it is listed") }
                continue
            }
            guard let actual else {
                problems.append("\(expected.resource) \(uuid): acknowledged, but not listed")
                continue
            }
            for (name, value) in expected.fields where CanonicalJSON.text(actual[name]) != value {
                problems.append("\(expected.resource) \(uuid): \(name) is \(CanonicalJSON.text(actual[name])), acknowledged \(value)")
            }
            if expected.resource == .node, let maintenance = expected.maintenance, actual["fault"] is NSNull || actual["fault"] == nil,
                actual["maintenance"] as? Bool != maintenance
            {
                problems.append("node \(uuid): maintenance is \(CanonicalJSON.text(actual["maintenance"])), acknowledged \(maintenance)")
            }
        }
        return (problems, compared)
    }

    /// Provision states a node rests in.
    static let restingStates: Set<String> = ["enroll", "manageable", "available", "active"]

    /// Whether `state` is a failed state, which must carry a `last_error`.
    static func isFailed(_ state: String) -> Bool { state.hasSuffix("failed") || state == "error" }

    /// Every node not at rest: in a transitional or waiting state, with a power action pending,
    /// or failed without a reason. Empty once the fleet has settled.
    ///
    /// A power request clears `last_error` (as in Ironic), so nodes in `powered` — a power request
    /// was acknowledged, or may have happened, since their last provision verb — may be failed
    /// without one.
    static func unsettled(_ nodes: [[String: Any]], powered: Set<String> = []) -> [String] {
        nodes.compactMap { node in
            let uuid = node["uuid"] as? String ?? "?", state = node["provision_state"] as? String ?? "null"
            let lastError = node["last_error"] as? String
            if !restingStates.contains(state) && !isFailed(state) { return "node \(uuid) is in \(state)" }
            if isFailed(state) && (lastError ?? "").isEmpty && !powered.contains(uuid) {
                return "node \(uuid) is in \(state) without a last_error"
            }
            if let target = node["target_power_state"] as? String { return "node \(uuid) still has a pending power action (\(target))" }
            return nil
        }
    }

    /// Nodes a power request was acknowledged for since their last acknowledged provision verb,
    /// or whose last request got no answer.
    var powered: Set<String> {
        Set(journal.expectations.values.filter { $0.resource == .node && ($0.powerTarget != nil || $0.uncertain) }.map(\.uuid))
    }

    /// Nodes whose state does not follow from the last provision verb acknowledged for them.
    func provisionMismatches(_ nodes: [[String: Any]]) -> [String] {
        let byUUID = Dictionary(nodes.compactMap { node in (node["uuid"] as? String).map { ($0, node) } }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for (uuid, expected) in journal.expectations where expected.resource == .node && expected.exists && !expected.uncertain {
            guard let verb = expected.provisionVerb, let node = byUUID[uuid], let state = node["provision_state"] as? String else { continue }
            let allowed: Set<String> = switch verb {
            case "manage": ["manageable", "enroll"]
            case "provide": ["available", "clean failed"]
            case "deploy": ["active", "deploy failed"]
            default: ["available", "clean failed", "error"]
            }
            let failedWithReason = !((node["last_error"] as? String) ?? "").isEmpty
            if !allowed.contains(state) || (state == "enroll" && !failedWithReason) {
                problems.append("node \(uuid): acknowledged \(verb), now \(state) (last_error: \(node["last_error"] as? String ?? "none"))")
            }
        }
        for (uuid, expected) in journal.expectations where expected.resource == .node && expected.exists && !expected.uncertain {
            guard let target = expected.powerTarget, let node = byUUID[uuid] else { continue }
            if node["power_state"] as? String != target {
                problems.append("node \(uuid): acknowledged \(target), now \(CanonicalJSON.text(node["power_state"])) (last_error: \(node["last_error"] as? String ?? "none"))")
            }
        }
        return problems
    }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}
