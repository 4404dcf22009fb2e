import AsyncHTTPClient
import Domain
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The process's one HTTP client for every BMC, so connections are pooled and reused (per
/// host, port and TLS settings). It follows no redirects itself — ``RedfishClient`` does, keeping
/// the method and body — and makes one connection attempt per request: ``RedfishClient`` retries
/// on its own schedule (``RedfishConfiguration``). It lives as long as the process.
enum RedfishHTTP {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// The TLS settings `check` asks for. TLS 1.2 is the oldest accepted (many BMCs, sushy among
    /// them, speak only 1.2); CA bundles are read now, so a bad path or file fails before any request.
    static func tlsConfiguration(_ check: RedfishDriverInfo.CertificateCheck) throws(DriverError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        switch check {
        case .system:
            break
        case .none:
            tls.certificateVerification = .none
        case .caBundle(let path):
            tls.trustRoots = .certificates(try certificates(at: path))
        }
        return tls
    }

    /// The PEM certificates in the file at `path`, or in the files of the directory at `path`.
    static func certificates(at path: String) throws(DriverError) -> [NIOSSLCertificate] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriverError("redfish_verify_ca names \(path), which does not exist")
        }
        let files: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.sorted().map { (path as NSString).appendingPathComponent($0) }
        } else {
            files = [path]
        }
        var certificates: [NIOSSLCertificate] = []
        for file in files {
            if let loaded = try? NIOSSLCertificate.fromPEMFile(file) { certificates += loaded }
        }
        guard !certificates.isEmpty else {
            throw DriverError("redfish_verify_ca names \(path), which holds no PEM certificate")
        }
        return certificates
    }
}
