import Domain
import Drivers
import EventStore
import Foundation

/// The node's console (`/v1/nodes/{id}/states/console`), through its console interface.
extension Conductor {
    /// `GET /states/console`: whether the console is enabled and, if it is, how to reach it
    /// (`nil` while disabled). A console interface without a console (`no-console`) is 400,
    /// Ironic's `UnsupportedDriverExtension`.
    public func consoleInformation(_ uuid: UUID) async throws -> (enabled: Bool, info: JSONValue?) {
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        let task = try context.task(for: aggregate)
        let console = try consoleInterface(task)
        guard aggregate.node.consoleEnabled else { return (false, nil) }
        return (true, try await console.console(task))
    }

    /// `PUT /states/console`: starts or stops the console, then records `console_enabled`
    /// (`ConsoleModeSet`). Asking for the state it is already in does nothing, as in Ironic.
    public func setConsoleMode(_ uuid: UUID, enabled: Bool, metadata: EventMetadata) async throws {
        try commands.reservation.acquire(uuid)
        defer { commands.reservation.release(uuid) }
        guard let aggregate = try commands.aggregate(uuid), !aggregate.deleted else { throw DomainError.nodeNotFound(uuid.lowercased) }
        if NodeReservation.isBusy(aggregate.node) { throw DomainError.nodeLocked(node: uuid, holder: commands.reservation.host) }
        let task = try context.task(for: aggregate)
        let console = try consoleInterface(task)
        guard try !NodeDecider.decide(aggregate, .setConsoleMode(enabled: enabled)).isEmpty else { return }
        if enabled { try await console.startConsole(task) } else { try await console.stopConsole(task) }
        try await commands.handle(.setConsoleMode(enabled: enabled), node: uuid, metadata: metadata, origin: .engine)
    }

    private func consoleInterface(_ task: DriverTask) throws -> any ConsoleInterface {
        guard let console = task.driver.console, console.providesConsole else {
            throw DomainError.invalidParameter("Driver \(task.node.driver) does not support console (disabled or not implemented).")
        }
        return console
    }
}
