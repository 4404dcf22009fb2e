import Domain
import Foundation

/// The OpenAPI 3.1 document of the whole API, `Sources/Server/Resources/openapi.json`.
///
/// The document is a file, not built in Swift: it is mostly schemas and prose, which read and
/// review best as JSON, and adding an operation is adding one block under `paths` (the route
/// check in `OpenAPIDocumentTests` names what is missing). It ships as the Server module's
/// resource, so the `ironlog` binary needs its `ironlog_Server.resources` bundle beside it (as
/// `swift build` leaves it).
enum OpenAPIDocument {
    /// The document as committed, or `nil` if the bundle does not hold it or it is not JSON.
    static let bundled: JSONValue? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONParser.parse(data)
    }()

    /// The HTTP methods an OpenAPI path item may name operations under.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The document as served to a request negotiated within `range`: `info.version` is this
    /// Ironlog release, and `x-ironic-api-versions` the microversions served.
    static func served(range: VersionRange) -> JSONValue? {
        guard case .object(var document)? = bundled, case .object(var info)? = document["info"] else { return nil }
        info["version"] = .string(IronlogVersion.current)
        info["x-ironic-api-versions"] = ["minimum": .string("\(range.minimum)"), "maximum": .string("\(range.maximum)")]
        document["info"] = .object(info)
        return .object(document)
    }

    /// Every operation the document describes, as `METHOD /path` with `{param}` path parameters.
    static func operations(of document: JSONValue) -> Set<String> {
        guard case .object(let members) = document, case .object(let paths)? = members["paths"] else { return [] }
        var operations: Set<String> = []
        for (path, item) in paths {
            guard case .object(let item) = item else { continue }
            for method in methods where item[method] != nil { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }
}
