import AsyncHTTPClient
import Domain
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One JSON resource read from a BMC.
public struct RedfishResource: Sendable, Hashable {
    /// Its path on the BMC: its `@odata.id`, or the path it was read from if it has none.
    public let path: String
    /// Its body.
    public let json: JSONValue

    public init(path: String, json: JSONValue) {
        self.path = path
        self.json = json
    }

    /// The `@odata.id` of the link member `key` (`{"Bios": {"@odata.id": "…"}}` → `…`).
    public func link(_ key: String) -> String? {
        json[key]?["@odata.id"]?.stringValue
    }

    /// The `@odata.id`s of a collection's `Members`.
    public var members: [String] {
        (json["Members"]?.arrayValue ?? []).compactMap { $0["@odata.id"]?.stringValue }
    }

    /// The target of action `name` (`#ComputerSystem.Reset`), if the resource lists it.
    public func actionTarget(_ name: String) -> String? {
        json["Actions"]?[name]?["target"]?.stringValue
    }
}

/// Talks to one node's Redfish BMC over HTTP(S) with basic auth: GET, PATCH and POST of JSON,
/// with a timeout per request, bounded retries with backoff, redirects followed with their method
/// and body, and every failure turned into a ``DriverError`` that names the URL and the cause.
///
/// Retries: a request that could not connect is tried up to
/// ``RedfishConfiguration/connectionAttempts`` times in all; so is a GET or PATCH (which are
/// safe to repeat) that timed out, lost its connection or got a 5xx other than 501/505. A POST
/// (an action: a reset, inserting media) is repeated only when it cannot have reached the BMC —
/// it could not connect — or the BMC answered 503. 401 and 403 are never retried.
public struct RedfishClient: Sendable {
    /// The BMC and node the client talks to.
    public let info: RedfishDriverInfo
    /// Timeouts and retries.
    public let configuration: RedfishConfiguration
    let tls: TLSConfiguration?
    let authorization: String?

    static let logger = Logger(label: "ironlog.drivers.redfish")
    /// The largest body read, in bytes.
    static let maximumBody = 16 << 20

    /// A client for the BMC `info` describes.
    public init(_ info: RedfishDriverInfo, configuration: RedfishConfiguration = RedfishConfiguration()) throws(DriverError) {
        self.info = info
        self.configuration = configuration
        tls = info.address.hasPrefix("https://") ? try RedfishHTTP.tlsConfiguration(info.certificateCheck) : nil
        if let username = info.username {
            authorization = "Basic " + Data("\(username):\(info.password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
    }

    /// A client for `task`'s node, from its `driver_info`.
    public init(_ task: DriverTask, configuration: RedfishConfiguration = RedfishConfiguration()) throws(DriverError) {
        try self.init(RedfishDriverInfo(task), configuration: configuration)
    }

    // MARK: Requests

    /// Reads the JSON resource at `path` (an `@odata.id`, or a full URL on the same BMC).
    public func get(_ path: String) async throws(DriverError) -> RedfishResource {
        let response = try await send(.GET, path)
        return try resource(response)
    }

    /// Reads the JSON resource at `path`, or `nil` if the BMC does not have it or does not
    /// implement it (404, 405, 501).
    public func getIfPresent(_ path: String) async throws(DriverError) -> RedfishResource? {
        let response = try await send(.GET, path, acceptingStatus: [404, 405, 501])
        if [404, 405, 501].contains(response.status) { return nil }
        return try resource(response)
    }

    /// Changes the resource at `path` with `body` (a JSON merge).
    public func patch(_ path: String, _ body: JSONValue) async throws(DriverError) {
        _ = try await send(.PATCH, path, body: body)
    }

    /// Runs an action at `path` with `body`; returns the JSON the BMC answered with, if any.
    @discardableResult
    public func post(_ path: String, _ body: JSONValue) async throws(DriverError) -> JSONValue? {
        let response = try await send(.POST, path, body: body)
        return try? response.json()
    }

    /// The full URL of `path` on this BMC.
    public func url(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return info.address + (path.hasPrefix("/") ? path : "/" + path)
    }

    // MARK: Sending

    /// An answer read in full.
    struct Response: Sendable {
        let method: HTTPMethod
        let url: String
        let path: String
        let status: Int
        let body: [UInt8]
        let headers: HTTPHeaders

        func json() throws(DriverError) -> JSONValue {
            do {
                return try body.withUnsafeBytes { raw throws(JSONParser.Malformed) in try JSONParser.parse(raw) }
            } catch {
                let text = RedfishErrorMessage.plainText(String(decoding: body.prefix(200), as: UTF8.self)) ?? "an empty body"
                throw DriverError("The Redfish BMC at \(url) answered \(method.rawValue) with malformed JSON (\(error)): \(text)")
            }
        }
    }

    private func resource(_ response: Response) throws(DriverError) -> RedfishResource {
        let json = try response.json()
        guard json.objectValue != nil else {
            throw DriverError("The Redfish BMC at \(response.url) answered GET with JSON that is not an object")
        }
        return RedfishResource(path: json["@odata.id"]?.stringValue ?? response.path, json: json)
    }

    /// Sends a request, retrying and following redirects, and checks the answer: anything but
    /// 2xx (or a status in `acceptingStatus`) throws.
    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil,
              acceptingStatus: Set<Int> = []) async throws(DriverError) -> Response {
        var method = method
        var body = body
        var path = path
        for _ in 0..<5 {
            let response = try await sendRetrying(method, path, body: body)
            guard [301, 302, 303, 307, 308].contains(response.status) else {
                return try checked(response, acceptingStatus: acceptingStatus)
            }
            let location = try redirectTarget(response)
            if response.status == 303 || (method != .GET && response.status != 307 && response.status != 308) {
                guard method == .GET || response.status == 303 else {
                    throw DriverError("The Redfish BMC at \(response.url) redirected \(method.rawValue) to \(location) with HTTP \(response.status), "
                        + "which does not keep the request; set redfish_system_id to the system's @odata.id")
                }
                method = .GET
                body = nil
            }
            path = location
        }
        throw DriverError("The Redfish BMC at \(url(path)) redirected too many times")
    }

    /// Where a redirect points, as a path on this BMC; another host is refused (credentials
    /// would go with the request).
    private func redirectTarget(_ response: Response) throws(DriverError) -> String {
        guard let location = response.headers.first(name: "Location"), !location.isEmpty else {
            throw DriverError("The Redfish BMC at \(response.url) answered HTTP \(response.status) without a Location")
        }
        if location.hasPrefix("/") { return location }
        guard let target = URLComponents(string: location), let base = URLComponents(string: info.address),
              target.scheme?.lowercased() == base.scheme?.lowercased(), target.host?.lowercased() == base.host?.lowercased(),
              (target.port ?? Self.defaultPort(target.scheme)) == (base.port ?? Self.defaultPort(base.scheme)) else {
            throw DriverError("The Redfish BMC at \(response.url) redirected to \(location), which is not on the same BMC; refusing to follow it")
        }
        var path = target.percentEncodedPath
        if let query = target.percentEncodedQuery { path += "?" + query }
        return path.isEmpty ? "/" : path
    }

    private static func defaultPort(_ scheme: String?) -> Int { scheme?.lowercased() == "https" ? 443 : 80 }

    /// Sends once per attempt until one gets an answer worth returning.
    private func sendRetrying(_ method: HTTPMethod, _ path: String, body: JSONValue?) async throws(DriverError) -> Response {
        let attempts = configuration.connectionAttempts
        var attempt = 1
        while true {
            let outcome = await sendOnce(method, path, body: body)
            let retry: String
            switch outcome {
            case .success(let response):
                guard attempt < attempts, Self.isTransient(status: response.status, method: method) else { return response }
                retry = "HTTP \(response.status)" + (RedfishErrorMessage.extract(from: response.body).map { ": \($0)" } ?? "")
            case .failure(let failure):
                guard attempt < attempts, failure.isRetryable(for: method) else {
                    throw failure.error(attempts: attempt, configuration: configuration)
                }
                retry = failure.cause
            }
            let delay = configuration.retryDelay(before: attempt)
            Self.logger.notice("Redfish \(method.rawValue) \(url(path)) failed (\(retry)); attempt \(attempt + 1) of \(attempts) in \(delay)")
            do { try await Task.sleep(for: delay) } catch {
                throw DriverError("The request \(method.rawValue) \(url(path)) to the Redfish BMC was cancelled")
            }
            attempt += 1
        }
    }

    /// Whether an answer is worth asking again: a server error that may pass.
    static func isTransient(status: Int, method: HTTPMethod) -> Bool {
        guard status >= 500, status != 501, status != 505 else { return false }
        return method == .POST ? status == 503 : true
    }

    /// One request and its whole answer, or why there was none.
    private func sendOnce(_ method: HTTPMethod, _ path: String, body: JSONValue?) async -> Result<Response, TransportFailure> {
        BMCCalls.record()
        let url = url(path)
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.tlsConfiguration = tls
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "OData-Version", value: "4.0")
        request.headers.add(name: "User-Agent", value: "ironlog-redfish")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body {
            var bytes: [UInt8] = []
            JSONSerializer.write(body, into: &bytes)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(bytes)
        }
        let timeout = TimeAmount.nanoseconds(configuration.requestTimeout.microseconds * 1000)
        do {
            let response = try await RedfishHTTP.client.execute(request, deadline: .now() + timeout)
            let buffer = try await response.body.collect(upTo: Self.maximumBody)
            return .success(Response(method: method, url: url, path: path, status: Int(response.status.code),
                                     body: Array(buffer.readableBytesView), headers: response.headers))
        } catch {
            return .failure(TransportFailure(error, method: method, url: url, timeout: configuration.requestTimeout))
        }
    }

    /// `response` if its status is 2xx or accepted, else the error it means.
    private func checked(_ response: Response, acceptingStatus: Set<Int>) throws(DriverError) -> Response {
        if (200..<300).contains(response.status) || acceptingStatus.contains(response.status) { return response }
        let said = RedfishErrorMessage.extract(from: response.body).map { ": \($0)" } ?? ""
        let request = "\(response.method.rawValue) \(response.url)"
        switch response.status {
        case 401:
            throw DriverError("Authentication with the Redfish BMC failed (HTTP 401 for \(request))\(said). "
                + "Check redfish_username and redfish_password")
        case 403:
            throw DriverError("The Redfish BMC refused access (HTTP 403 for \(request))\(said). Check the privileges of redfish_username")
        case 404:
            throw DriverError("The Redfish BMC has no such resource (HTTP 404 for \(request))\(said)")
        case 405, 501:
            throw DriverError("The Redfish BMC does not support this (HTTP \(response.status) for \(request))\(said)")
        default:
            throw DriverError("The Redfish BMC answered HTTP \(response.status) to \(request)\(said)")
        }
    }
}
