/// How deeply a value nests, and how deeply a client's may.
///
/// The log encodes events, and the API renders them, inside a few more levels of their own; the
/// JSON coders stop at 512 levels. A client's value nesting near that would be refused by the
/// encoder (a 500) or, once stored, break every response showing it, so clients' values are held
/// far below: at most ``maximumClientDepth`` levels, in a request body and in a field a patch
/// leaves.
extension JSONValue {
    /// The deepest nesting a value from a client may have.
    public static let maximumClientDepth = 64

    /// 0 for a scalar, 1 for an array or object of scalars (or an empty one), and so on.
    public var nestingDepth: Int {
        switch self {
        case .null, .bool, .number, .string: 0
        case .array(let items): 1 + (items.lazy.map(\.nestingDepth).max() ?? 0)
        case .object(let members): 1 + (members.values.lazy.map(\.nestingDepth).max() ?? 0)
        }
    }
}
