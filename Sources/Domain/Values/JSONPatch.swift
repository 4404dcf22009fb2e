/// An RFC 6902 JSON Patch as Ironic's `PATCH` endpoints accept it.
///
/// Ironic narrows RFC 6902:
/// - only `add`, `replace` and `remove` (no `move`, `copy`, `test`);
/// - an operation has `op`, `path` and, for `add` and `replace`, `value` — nothing else;
/// - `path` matches `^(/[\w-]+)+$`: one or more non-empty segments of word characters and `-`,
///   where (API 1.98) `~0` and `~1` may stand for `~` and `/` inside a key. The root path (`""`)
///   and empty segments are refused.
///
/// Application follows RFC 6902 (and python-jsonpatch, which Ironic uses): `add` on an object
/// member creates or replaces it; `add` into an array inserts before the index (or appends at
/// `-`); `replace` and `remove` need their target to exist; every container on the way must
/// exist. Operations apply in order, each to the result of the previous one.
///
/// Resource rules (which top-level fields are patchable, no new root attributes) belong to the
/// caller; ``touchedTopLevelFields`` and ``checkNoNewRootAttributes(in:)`` help with them.
public struct JSONPatch: Hashable, Sendable, Codable {
    /// The operations Ironic allows.
    public enum Op: String, Hashable, Sendable, Codable, CaseIterable {
        case add, replace, remove
    }

    /// One operation: what to do, where, and with which value.
    public struct Operation: Hashable, Sendable {
        /// What to do.
        public let op: Op
        /// The path as received (a JSON Pointer, escapes intact).
        public let path: String
        /// The path's segments, unescaped (`~1` → `/`, `~0` → `~`); never empty.
        public let segments: [String]
        /// The value for `add` and `replace`; `nil` for `remove` (a `value` sent with `remove` is ignored).
        public let value: JSONValue?

        /// Builds an operation, checking the path and that `add`/`replace` have a value.
        public init(op: Op, path: String, value: JSONValue? = nil) throws(PatchError) {
            guard let segments = JSONPatch.segments(of: path) else { throw .invalidPath(path) }
            if op != .remove, value == nil { throw .missingValue(op, path: path) }
            self.op = op
            self.path = path
            self.segments = segments
            self.value = op == .remove ? nil : value
        }

        /// The operation as JSON: `{"op": ..., "path": ..., "value": ...}`.
        public var json: JSONValue {
            var members: [String: JSONValue] = ["op": .string(op.rawValue), "path": .string(path)]
            if let value { members["value"] = value }
            return .object(members)
        }

        /// The first segment: the resource field this operation touches.
        public var topLevelField: String { segments[0] }
    }

    /// The operations, in the order they apply.
    public let operations: [Operation]

    /// A patch of already-built operations.
    public init(operations: [Operation]) {
        self.operations = operations
    }

    /// Reads a patch from a request body: an array of `{op, path, value?}` objects.
    ///
    /// Throws for anything else: a body that is not an array, an operation that is not an object,
    /// lacks `op` or `path`, has other members, names another op, has a malformed path, or is an
    /// `add`/`replace` without `value`. An empty array is a valid, empty patch.
    public init(json: JSONValue) throws(PatchError) {
        guard case .array(let items) = json else { throw .notAnArray }
        var operations: [Operation] = []
        operations.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw .malformedOperation(index: index, reason: "an operation must be an object")
            }
            if let unexpected = members.keys.sorted().first(where: { !["op", "path", "value"].contains($0) }) {
                throw .malformedOperation(
                    index: index, reason: "Additional properties are not allowed ('\(unexpected)' was unexpected)")
            }
            guard let opValue = members["op"] else {
                throw .malformedOperation(index: index, reason: "'op' is a required property")
            }
            guard let pathValue = members["path"] else {
                throw .malformedOperation(index: index, reason: "'path' is a required property")
            }
            guard case .string(let path) = pathValue else {
                throw .malformedOperation(index: index, reason: "'path' must be a string")
            }
            guard case .string(let opName) = opValue, let op = Op(rawValue: opName) else {
                throw .invalidOperation(opValue.stringValue ?? Self.render(opValue), path: path)
            }
            operations.append(try Operation(op: op, path: path, value: members["value"]))
        }
        self.operations = operations
    }

    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        do {
            try self.init(json: json)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// The patch as JSON, an array of operations.
    public var json: JSONValue { .array(operations.map(\.json)) }

    /// The top-level fields the patch touches (each path's first segment, unescaped).
    public var touchedTopLevelFields: Set<String> { Set(operations.map(\.topLevelField)) }

    /// Ironic's rule that a patch may not add a new attribute to the root: throws
    /// ``PatchError/newRootAttribute(path:)`` for the first `add` whose path is a single segment
    /// naming a member that `document` lacks. Like Ironic, every operation is checked against the
    /// document as it is before the patch.
    public func checkNoNewRootAttributes(in document: JSONValue) throws(PatchError) {
        let members = document.objectValue ?? [:]
        for operation in operations where operation.op == .add && operation.segments.count == 1 {
            if members[operation.segments[0]] == nil { throw .newRootAttribute(path: operation.path) }
        }
    }

    /// The document with every operation applied in order. The input is not changed; on error
    /// nothing of the patch applies.
    public func apply(to document: JSONValue) throws(PatchError) -> JSONValue {
        var result = document
        for operation in operations {
            result = try Self.apply(operation, to: result, depth: 0)
        }
        return result
    }

    // MARK: - Paths

    /// The unescaped segments of `path`, or `nil` if it breaks Ironic's path rule.
    public static func segments(of path: String) -> [String]? {
        guard path.hasPrefix("/") else { return nil }
        var segments: [String] = []
        for raw in path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard !raw.isEmpty else { return nil }
            var segment = String.UnicodeScalarView()
            var scalars = raw.makeIterator()
            while let scalar = scalars.next() {
                if scalar == "~" {
                    switch scalars.next() {
                    case "0": segment.append("~")
                    case "1": segment.append("/")
                    default: return nil
                    }
                } else if isPathCharacter(scalar) {
                    segment.append(scalar)
                } else {
                    return nil
                }
            }
            segments.append(String(segment))
        }
        return segments.isEmpty ? nil : segments
    }

    /// The JSON Pointer for `segments` (escaping `~` as `~0` and `/` as `~1`).
    public static func pointer(_ segments: some Sequence<String>) -> String {
        segments.map { "/" + $0.replacingTilde() }.joined()
    }

    /// Python's `\w` (Unicode letters, digits, `_`) or `-`.
    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" || scalar == "-" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    // MARK: - Application

    /// Applies `operation` to `node`, which sits at `operation.segments[..<depth]`.
    private static func apply(_ operation: Operation, to node: JSONValue, depth: Int) throws(PatchError) -> JSONValue {
        let segment = operation.segments[depth]
        let isTarget = depth == operation.segments.count - 1
        switch node {
        case .object(var members):
            if isTarget {
                switch operation.op {
                case .add:
                    members[segment] = operation.value ?? .null
                case .replace:
                    guard members[segment] != nil else {
                        throw .nonexistentTarget(.replace, path: operation.path, member: segment)
                    }
                    members[segment] = operation.value ?? .null
                case .remove:
                    guard members.removeValue(forKey: segment) != nil else {
                        throw .nonexistentTarget(.remove, path: operation.path, member: segment)
                    }
                }
            } else {
                guard let child = members[segment] else {
                    throw .memberNotFound(
                        path: operation.path, member: segment, parent: pointer(operation.segments[..<depth]))
                }
                members[segment] = try apply(operation, to: child, depth: depth + 1)
            }
            return .object(members)

        case .array(var elements):
            if isTarget {
                switch operation.op {
                case .add:
                    if segment == "-" {
                        elements.append(operation.value ?? .null)
                    } else {
                        let index = try arrayIndex(segment, in: operation)
                        guard index <= elements.count else { throw .outsideOfList(.add, path: operation.path) }
                        elements.insert(operation.value ?? .null, at: index)
                    }
                case .replace:
                    let index = try arrayIndex(segment, in: operation)
                    guard index < elements.count else { throw .outsideOfList(.replace, path: operation.path) }
                    elements[index] = operation.value ?? .null
                case .remove:
                    let index = try arrayIndex(segment, in: operation)
                    guard index < elements.count else {
                        throw .nonexistentTarget(.remove, path: operation.path, member: segment)
                    }
                    elements.remove(at: index)
                }
            } else {
                let index = try arrayIndex(segment, in: operation)
                guard index < elements.count else { throw .indexOutOfBounds(path: operation.path, index: segment) }
                elements[index] = try apply(operation, to: elements[index], depth: depth + 1)
            }
            return .array(elements)

        case .null, .bool, .number, .string:
            throw .notAContainer(path: operation.path, member: segment)
        }
    }

    /// An array index segment: `0` or digits without a leading zero. `-` is not one here.
    private static func arrayIndex(_ segment: String, in operation: Operation) throws(PatchError) -> Int {
        let digits = segment.unicodeScalars
        guard let first = digits.first, digits.allSatisfy({ ("0"..."9").contains($0) }),
              first != "0" || digits.count == 1, let index = Int(segment)
        else { throw .invalidArrayIndex(path: operation.path, index: segment) }
        return index
    }

    /// Compact JSON-ish text of a value, for messages about ops that are not strings.
    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): text
        case .array(let elements): "[" + elements.map(render).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { "'\($0)': \(render(members[$0]!))" }.joined(separator: ", ") + "}"
        }
    }
}

extension String {
    /// The key escaped for a JSON Pointer segment (`~` → `~0`, then `/` → `~1`).
    fileprivate func replacingTilde() -> String {
        var escaped = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// Why a JSON Patch was refused: a malformed body, an op Ironic does not allow, a bad path, a
/// missing value, a new root attribute, or an operation that cannot apply to the document.
///
/// The API answers all of these with 400. Messages follow Ironic's (jsonschema's for a malformed
/// body, python-jsonpatch's for failed operations); Ironic wraps the latter as
/// `Couldn't apply patch '<op>'. Reason: <message>`.
public enum PatchError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The body is not a JSON array.
    case notAnArray
    /// Operation `index` (0-based) is not an object, lacks `op`/`path`, has a non-string `path`,
    /// or has members other than `op`, `path`, `value`.
    case malformedOperation(index: Int, reason: String)
    /// `op` is not `add`, `replace` or `remove` (`move`, `copy`, `test`, anything else).
    case invalidOperation(String, path: String)
    /// `path` breaks Ironic's rule `^(/[\w-]+)+$` (with `~0`/`~1` escapes).
    case invalidPath(String)
    /// An `add` or `replace` without `value`.
    case missingValue(JSONPatch.Op, path: String)
    /// An `add` of a top-level member the resource does not have.
    case newRootAttribute(path: String)
    /// `replace` or `remove` of a member or element that does not exist.
    case nonexistentTarget(JSONPatch.Op, path: String, member: String)
    /// A container on the way to the target does not exist; `parent` is the pointer of the
    /// object that lacks `member` (`""` for the document itself).
    case memberNotFound(path: String, member: String, parent: String)
    /// A segment addressing an array element is not an index (`-` included, where it can't apply).
    case invalidArrayIndex(path: String, index: String)
    /// An array on the way to the target has no element at `index`.
    case indexOutOfBounds(path: String, index: String)
    /// `add` beyond an array's end, or `replace` of an element past it.
    case outsideOfList(JSONPatch.Op, path: String)
    /// The path goes through a string, number, boolean or null.
    case notAContainer(path: String, member: String)

    /// The operation's path, when the error concerns one operation.
    public var path: String? {
        switch self {
        case .notAnArray, .malformedOperation: nil
        case .invalidPath(let path): path
        case .invalidOperation(_, let path), .missingValue(_, let path), .newRootAttribute(let path),
             .nonexistentTarget(_, let path, _), .memberNotFound(let path, _, _), .invalidArrayIndex(let path, _),
             .indexOutOfBounds(let path, _), .outsideOfList(_, let path), .notAContainer(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .notAnArray:
            "Schema error for patch: a JSON Patch must be an array of operations"
        case let .malformedOperation(index, reason):
            "Schema error for patch: operation \(index): \(reason)"
        case let .invalidOperation(op, _):
            "Schema error for patch: '\(op)' is not one of ['add', 'replace', 'remove']"
        case .invalidPath(let path):
            "Schema error for patch: '\(path)' does not match '^(/([\\w-]|~[01])+)+$'"
        case let .missingValue(op, path):
            "'add' and 'replace' operations need a value: '\(op.rawValue)' on \(path) does not contain a 'value' member"
        case .newRootAttribute(let path):
            "Adding a new attribute (\(path)) to the root of the resource is not allowed"
        case let .nonexistentTarget(op, _, member):
            "can't \(op.rawValue) a non-existent object '\(member)'"
        case let .memberNotFound(_, member, parent):
            "member '\(member)' not found in \(parent.isEmpty ? "the resource" : parent)"
        case let .invalidArrayIndex(_, index):
            "'\(index)' is not a valid sequence index"
        case let .indexOutOfBounds(_, index):
            "index '\(index)' is out of bounds"
        case let .outsideOfList(op, _):
            op == .add ? "can't insert outside of list" : "can't replace outside of list"
        case let .notAContainer(path, member):
            "unable to fully resolve json pointer \(path), part \(member)"
        }
    }
}
