import ArgumentParser
import Domain
import Engine
import EventStore
import Foundation
import Logging
import Server

/// `ironlog serve`: opens the data directory's event log and serves Ironic's REST API over it
/// until SIGTERM or SIGINT, then shuts down gracefully and closes the log.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Ironic's REST API v1 over the data directory's event log.",
        discussion: """
            Runs until SIGTERM or SIGINT, then finishes the requests in flight, stops the engine at a step \
            boundary, closes the log and exits 0.

            On a loopback address the API needs no authentication. On any other address it refuses to start \
            unless --htpasswd FILE turns on HTTP basic auth, or --insecure-no-auth says to serve it open.
            """
    )

    @OptionGroup var data: DataDirectoryOption

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "HOST"))
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port to listen on.", valueName: "PORT"))
    var port: Int = 6385

    @Option(help: ArgumentHelp(
        "Require HTTP basic auth (Ironic's http_basic) against this htpasswd file of bcrypt hashes ($2y$, $2b$, $2a$; `htpasswd -B`).",
        valueName: "FILE"))
    var htpasswd: String?

    @Flag(help: "Serve without authentication on a non-loopback address. Anyone who can reach the address can drive the hardware.")
    var insecureNoAuth = false

    @Option(help: ArgumentHelp(
        "Allow browser calls from this origin (CORS), e.g. https://console.example.com; repeat for more, or * for any.",
        valueName: "ORIGIN"))
    var corsOrigin: [String] = []

    @Option(help: ArgumentHelp("The configured network (/v1/networks) the switch network interface puts nodes on while they are deployed.", valueName: "NAME"))
    var provisioningNetwork: String?

    @Option(help: ArgumentHelp("The configured network nodes are on while they are cleaned.", valueName: "NAME"))
    var cleaningNetwork: String?

    @Option(help: ArgumentHelp("The configured network nodes are on while they are rescued.", valueName: "NAME"))
    var rescuingNetwork: String?

    @Option(help: ArgumentHelp("The configured network nodes are on while they are inspected (default: the provisioning network).", valueName: "NAME"))
    var inspectionNetwork: String?

    @Option(help: ArgumentHelp("The configured network nodes are on while they are serviced (default: the provisioning network).", valueName: "NAME"))
    var servicingNetwork: String?

    /// The engine settings the options ask for: the network serving each phase.
    func engineConfiguration() -> EngineConfiguration {
        var configuration = EngineConfiguration()
        let phases: [(NetworkPhase, String?)] = [
            (.provisioning, provisioningNetwork), (.cleaning, cleaningNetwork), (.rescuing, rescuingNetwork),
            (.inspection, inspectionNetwork), (.servicing, servicingNetwork),
        ]
        for case let (phase, name?) in phases { configuration.phaseNetworks[phase] = name }
        return configuration
    }

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535, not \(port).")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
        if htpasswd != nil && insecureNoAuth {
            throw ValidationError("--htpasswd and --insecure-no-auth contradict each other: give one of them.")
        }
    }

    /// The server settings the options ask for, the htpasswd file read and checked; throws a
    /// message for the operator if the file is bad or the API would be exposed unauthenticated.
    func serverConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration(host: host, port: port, corsOrigins: corsOrigin)
        if let htpasswd {
            configuration.authentication = .httpBasic(try HTPasswdFile.load(path: htpasswd))
        }
        try configuration.checkExposure(insecureNoAuth: insecureNoAuth)
        return configuration
    }

    func run() async throws {
        LoggingSystem.bootstrap({ label, provider in
            var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
            handler.logLevel = .info
            return handler
        }, metadataProvider: RequestScope.metadataProvider)
        let logger = Logger(label: "ironlog")

        let configuration: ServerConfiguration
        do {
            configuration = try serverConfiguration()
        } catch {
            Self.printError("\(error)")
            throw ExitCode.failure
        }
        if insecureNoAuth && !configuration.isLoopback {
            logger.warning("Serving the API without authentication on \(host): anyone who can reach it can drive the hardware")
        }

        let engine: Conductor
        do {
            let progress = ProgressReporter("catching up projections")
            engine = try await Conductor.open(directory: data.path, configuration: engineConfiguration()) { done, total in
                progress.update(done, of: total)
            }
            progress.finish()
            do {
                try engine.verifyTail()
            } catch {
                engine.close()
                throw error
            }
        } catch {
            Self.printError("cannot open the data directory \(data.path): \(error)")
            throw ExitCode.failure
        }

        do {
            // Shuts the engine down too, gracefully, on SIGTERM or SIGINT.
            // The engine starts — interrupted work resumed — once the API is listening.
            try await runServer(conductor: engine, configuration: configuration, logger: logger, startingConductor: true)
        } catch {
            engine.close()
            Self.printError("the server stopped with an error: \(error)")
            throw ExitCode.failure
        }
        engine.close()
        logger.info("Shut down cleanly; event log closed", metadata: ["data": "\(data.path)"])
    }

    /// Prints `message` to stderr, prefixed so it reads as this command's.
    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("ironlog serve: error: \(message)\n".utf8))
    }
}
