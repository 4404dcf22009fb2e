import AsyncHTTPClient
import Domain
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Why a request got no answer, sorted into what may be tried again.
struct TransportFailure: Error, Sendable {
    enum Kind: Sendable {
        /// No connection was made: the request never reached the BMC.
        case unreachable
        /// The answer did not come within the request timeout.
        case timedOut
        /// The connection broke after the request may have been sent.
        case connectionLost
        /// TLS failed (handshake, certificate): trying again will not help.
        case tls
        /// The task was cancelled.
        case cancelled
        /// Anything else (a malformed URL, an oversized answer).
        case other
    }

    let kind: Kind
    let cause: String
    let method: HTTPMethod
    let url: String

    init(_ error: any Error, method: HTTPMethod, url: String, timeout: Duration) {
        self.method = method
        self.url = url
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: (kind, cause) = (.unreachable, "the connection timed out")
            case .deadlineExceeded, .readTimeout, .writeTimeout: (kind, cause) = (.timedOut, "no answer within \(timeout)")
            case .tlsHandshakeTimeout: (kind, cause) = (.unreachable, "the TLS handshake timed out")
            case .remoteConnectionClosed: (kind, cause) = (.connectionLost, "the BMC closed the connection")
            case .cancelled: (kind, cause) = (.cancelled, "the request was cancelled")
            default: (kind, cause) = (.other, "\(error)")
            }
        case let error as NIOConnectionError:
            let reasons = error.connectionErrors.map { "\($0.error)" }
            (kind, cause) = (.unreachable, "cannot connect: " + (reasons.isEmpty ? "\(error)" : Set(reasons).sorted().joined(separator: "; ")))
        case let error as IOError:
            if [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL].contains(error.errnoCode) {
                (kind, cause) = (.unreachable, "cannot connect: \(error)")
            } else {
                (kind, cause) = (.connectionLost, "connection error: \(error)")
            }
        case is ChannelError:
            (kind, cause) = (.connectionLost, "connection error: \(error)")
        case let error as NIOSSLError:
            (kind, cause) = (.tls, "TLS failed: \(error)")
        case let error as BoringSSLError:
            (kind, cause) = (.tls, "TLS failed: \(error)")
        case is NIOTooManyBytesError:
            (kind, cause) = (.other, "the answer is larger than \(RedfishClient.maximumBody) bytes")
        case is CancellationError:
            (kind, cause) = (.cancelled, "the request was cancelled")
        default:
            (kind, cause) = (.other, "\(error)")
        }
    }

    /// Whether the same request may be sent again: always if it never reached the BMC; for a
    /// POST (an action) not otherwise, since it may already have been carried out.
    func isRetryable(for method: HTTPMethod) -> Bool {
        switch kind {
        case .unreachable: true
        case .timedOut, .connectionLost: method != .POST
        case .tls, .cancelled, .other: false
        }
    }

    /// The error for the node, after `attempts` tries.
    func error(attempts: Int, configuration: RedfishConfiguration) -> DriverError {
        let tries = attempts == 1 ? "" : " (\(attempts) attempts)"
        switch kind {
        case .unreachable:
            return DriverError("The Redfish BMC at \(url) is unreachable\(tries): \(cause)")
        case .timedOut:
            return DriverError("The Redfish BMC at \(url) timed out\(tries) on \(method.rawValue): \(cause)")
        case .connectionLost:
            return DriverError("The connection to the Redfish BMC at \(url) failed\(tries) during \(method.rawValue): \(cause)")
        case .tls:
            return DriverError("The TLS connection to the Redfish BMC at \(url) failed: \(cause). Check redfish_verify_ca")
        case .cancelled:
            return DriverError("The request \(method.rawValue) \(url) to the Redfish BMC was cancelled")
        case .other:
            return DriverError("The request \(method.rawValue) \(url) to the Redfish BMC failed: \(cause)")
        }
    }
}
