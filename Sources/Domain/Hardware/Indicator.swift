import Foundation

/// The state of an indicator (an LED) of a node's component (Ironic's `indicator_states`).
public enum IndicatorState: String, Sendable, Hashable, Codable, CaseIterable {
    case on = "ON"
    case off = "OFF"
    case blinking = "BLINKING"
    case unknown = "UNKNOWN"
}

/// The components that carry indicators (Ironic's `components`).
public enum IndicatorComponent: String, Sendable, Hashable, Codable, CaseIterable {
    case system, chassis, disk, power, nic
}

/// One indicator of a component, as `GET /management/indicators` names it: `{indicator}@{component}`.
public struct IndicatorID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var component: IndicatorComponent
    public var name: String

    public init(component: IndicatorComponent, name: String) {
        self.component = component
        self.name = name
    }

    /// Parses `name@component`; `nil` for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let component = IndicatorComponent(rawValue: String(parts[1])) else { return nil }
        self.init(component: component, name: String(parts[0]))
    }

    /// `name@component`.
    public var description: String { "\(name)@\(component.rawValue)" }

    public static func < (lhs: IndicatorID, rhs: IndicatorID) -> Bool { lhs.description < rhs.description }
}
