import Hummingbird

/// Before microversion 1.91 Ironic (through pecan's content-type guessing) drops a trailing
/// `.json` from the last segment of a path, so `GET /v1/nodes/node-1.json` shows `node-1`. From
/// 1.91 the suffix is part of the ident like any other characters.
///
/// Ironlog applies the rule to the route parameter that ends the path (`{node_ident}`,
/// `{port_ident}`, …): below 1.91 its `.json` is dropped before the handler reads it.
enum LegacyJSONSuffix {
    /// The microversion from which the suffix is kept.
    static let keptFrom = 91
    /// The suffix.
    static let suffix = ".json"

    /// `context` with the path's last parameter stripped of `.json` when `version` is below 1.91.
    static func apply(to context: inout IronlogRequestContext, path: String, version: MicroVersion) {
        guard !version.allows(keptFrom) else { return }
        for (key, value) in context.coreContext.parameters where value.count > suffix.count && value.hasSuffix(suffix) {
            guard path.hasSuffix("/" + value) else { continue }
            context.coreContext.parameters[key] = value.dropLast(suffix.count)
        }
    }
}
