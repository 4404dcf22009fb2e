/// A value that does not have the form Ironic requires: a node name, a MAC address, a trait, a
/// switch id, an identifier in a URL.
///
/// Each case carries the offending value as it was received, so that the message names it; the
/// API answers all of them with 400.
public enum ValueError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Not a valid node name (≥ v1.10 rules); `reason` says which rule it breaks.
    case invalidName(String, reason: String)
    /// A node name that is one of the words reserved for sub-resources (`detail`, `validate`, ...).
    case reservedName(String)
    /// Neither a UUID nor a valid name (Ironic's `InvalidUuidOrName`).
    case invalidUUIDOrName(String)
    /// Not a MAC address (Ironic's `InvalidMAC`).
    case invalidMAC(String)
    /// Not a trait name; `reason` says which rule it breaks.
    case invalidTrait(String, reason: String)
    /// A `local_link_connection.switch_id` that is neither a MAC address nor an OpenFlow datapath id
    /// (Ironic's `InvalidSwitchID`).
    case invalidSwitchID(String)

    /// The value that was refused, as received.
    public var value: String {
        switch self {
        case .invalidName(let value, _), .reservedName(let value), .invalidUUIDOrName(let value),
             .invalidMAC(let value), .invalidTrait(let value, _), .invalidSwitchID(let value):
            value
        }
    }

    /// A sentence naming the value and what is wrong with it, worded like Ironic's.
    public var description: String {
        switch self {
        case let .invalidName(name, reason):
            "Expected a logical name but received \(name): \(reason)."
        case .reservedName(let name):
            "The word \"\(name)\" is reserved and can not be used as a node name. "
                + "Reserved words are: \(NodeName.reservedWords.joined(separator: ", "))."
        case .invalidUUIDOrName(let ident):
            "Expected a logical name or UUID but received \(ident)."
        case .invalidMAC(let address):
            "Expected a MAC address but received \(address)."
        case let .invalidTrait(trait, reason):
            "Invalid trait \(trait): \(reason). A valid trait must be no longer than 255 characters. "
                + "Standard traits are defined in the os_traits library. A custom trait must start with the prefix "
                + "CUSTOM_ and use the following characters: A-Z, 0-9 and _"
        case .invalidSwitchID(let switchID):
            "Expected a MAC address or OpenFlow datapath ID but received \(switchID)."
        }
    }
}
