// swift-tools-version:6.1
import PackageDescription

/// Ironlog: a bare-metal provisioning engine, event-sourced over LMDB, speaking Ironic's REST API v1.
///
/// Dependencies, and why each earns its build time:
/// - swift-crypto: SHA-256 for the log's hash chain and AES-GCM for secrets in events
///   (BoringSSL-backed, hardware-accelerated).
/// - swift-argument-parser: the declarative `ironlog` command line.
/// - swift-log: structured logging shared by every module.
/// - swift-service-lifecycle: graceful start-up and SIGTERM/SIGINT shutdown of every long-running part.
/// - hummingbird: the HTTP server (SwiftNIO underneath) for Ironic's REST API.
/// - swift-subprocess: runs `ipmitool` for the ipmi hardware type, with a timeout and both
///   output streams read concurrently.
/// - async-http-client: the HTTP(S) client the Redfish drivers talk to BMCs with; swift-nio and
///   swift-nio-ssl, which it is built on, are named for the types the drivers use from them
///   (TLS settings, headers, I/O errors).
/// - hummingbird-auth: bcrypt verification of the htpasswd file behind `--htpasswd` (Ironic's http_basic).
/// - swift-metrics and swift-prometheus: the request, append and lag series `GET /metrics` serves, in a
///   registry each server owns rather than a process-wide bootstrap.
let package = Package(
    name: "ironlog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ironlog", targets: ["ironlog"]),
        .library(name: "EventStore", targets: ["EventStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(
            name: "EventStore",
            dependencies: [
                "CLMDB",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Domain", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Projections", dependencies: ["Domain", "EventStore", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Drivers",
            dependencies: [
                "Domain",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "Engine",
            dependencies: ["Domain", "EventStore", "Projections", "Drivers", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "Engine",
                "Domain",
                "Drivers",
                "EventStore",
                "Projections",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document served at GET /v1/openapi.json (docs/api.md says why a file), and
            // the web UI's HTML, CSS and JavaScript modules served under /ui/ (docs/ui.md).
            resources: [.copy("Resources/openapi.json"), .copy("Resources/ui")]
        ),
        .executableTarget(
            name: "ironlog",
            dependencies: [
                "EventStore",
                "Domain",
                "Projections",
                "Engine",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "Domain", "EventStore"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Domain", "EventStore", "Projections", "Drivers"]),
        .testTarget(name: "DriversTests", dependencies: ["Drivers", "Domain", "Engine", "EventStore", "Projections"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server",
                "Engine",
                "Domain",
                "Drivers",
                "EventStore",
                "Projections",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .testTarget(name: "IronlogTests", dependencies: ["CLMDB", "EventStore", "Domain", "Projections", "Drivers", "Engine"]),
    ],
    swiftLanguageModes: [.v6]
)
