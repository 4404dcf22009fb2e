import Domain

/// Ironic shows deploy step arguments with password-like values masked (`mask_dict_password`):
/// any member, at any depth, whose name contains one of these words shows as `******`.
enum StepArgumentMasking {
    /// The words that make a member secret, lower-case.
    static let markers = ["password", "secret", "token", "passwd", "pswd"]

    /// `args` with every secret member's value masked.
    static func masked(_ args: JSONValue) -> JSONValue {
        switch args {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, value) in members {
                let lowered = key.lowercased()
                result[key] = markers.contains(where: lowered.contains) ? .string("******") : masked(value)
            }
            return .object(result)
        case .array(let items):
            return .array(items.map(masked))
        default:
            return args
        }
    }
}
