import Hummingbird

/// The `fields` query parameter of a GET: which members of a resource to answer with.
enum FieldSelection {
    /// The names a `fields` value lists: comma-separated, trimmed, empty names dropped.
    static func names(_ selection: some StringProtocol) -> [String] {
        selection.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The names `?fields=` lists, `nil` without the parameter; 400 (Ironic's message) naming every
    /// one `isValid` refuses.
    static func requested(_ request: Request, valid isValid: (String) -> Bool) throws -> [String]? {
        guard let selection = request.uri.queryParameters["fields"] else { return nil }
        let fields = names(selection)
        let unknown = fields.filter { !isValid($0) }
        if !unknown.isEmpty { throw IronicError.badRequest("Field(s) \"\(unknown.joined(separator: ", "))\" are not valid") }
        return fields
    }
}
