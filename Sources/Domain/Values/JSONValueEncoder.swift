import Foundation

/// Encodes `Encodable` values into a ``JSONValue`` and JSON bytes with sorted keys — the form of
/// every projection row, so the same value always gives the same bytes.
///
/// It follows Foundation's `JSONEncoder` for what our types use (keyed, unkeyed and single-value
/// containers; `nil` optionals left out by `encodeIfPresent`) and is several times faster, which
/// matters when a rebuild writes every node of a fleet.
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// `value` as a JSON value tree.
    public func encodeTree<T: Encodable>(_ value: T) throws -> JSONValue {
        if T.self == JSONValue.self { return unsafeBitCast(value, to: JSONValue.self) }
        let root = EncodingSlot()
        try value.encode(to: TreeEncoder(slot: root, codingPath: []))
        return root.resolved
    }

    /// `value` as JSON bytes, object keys sorted, `/` not escaped.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        if T.self == JSONValue.self {
            JSONSerializer.write(unsafeBitCast(value, to: JSONValue.self), into: &out)
            return out
        }
        // Written straight from the encoding slots: no intermediate tree.
        let root = EncodingSlot()
        try value.encode(to: TreeEncoder(slot: root, codingPath: []))
        root.write(into: &out)
        return out
    }
}

/// Writes a ``JSONValue`` as compact JSON with sorted keys.
public enum JSONSerializer {
    /// Appends `value`'s JSON text to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let flag): out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else {
                out.append(contentsOf: "\(number)".utf8)
            }
        case .string(let text): string(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string literal.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A value being built: filled in by a container, resolved once encoding is done.
private final class EncodingSlot {
    enum Content {
        case empty
        case value(JSONValue)
        /// Members in the order they were encoded: hashing each key would cost more than
        /// sorting them once when written. A key set twice keeps its last value.
        case object([(key: String, slot: EncodingSlot)])
        case array([EncodingSlot])
    }

    var content = Content.empty

    var resolved: JSONValue {
        switch content {
        case .empty: .null
        case .value(let value): value
        case .object(let members): .object(Dictionary(members.map { ($0.key, $0.slot.resolved) }, uniquingKeysWith: { $1 }))
        case .array(let elements): .array(elements.map(\.resolved))
        }
    }

    /// Appends this value's JSON text, keys sorted — the same bytes as serializing `resolved`.
    func write(into out: inout [UInt8]) {
        switch content {
        case .empty: JSONSerializer.write(.null, into: &out)
        case .value(let value): JSONSerializer.write(value, into: &out)
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // A stable sort keeps a repeated key's values in encoding order: the last one wins.
            let sorted = members.enumerated().sorted { $0.element.key < $1.element.key || ($0.element.key == $1.element.key && $0.offset < $1.offset) }
            var first = true
            for (index, member) in sorted.enumerated() {
                if index + 1 < sorted.count, sorted[index + 1].element.key == member.element.key { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONSerializer.string(member.element.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.element.slot.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// Makes this slot an object, keeping its members if it already is one.
    func beginObject() {
        if case .object = content { return }
        content = .object([])
    }

    func set(_ key: String, _ slot: EncodingSlot) {
        var members: [(key: String, slot: EncodingSlot)] = []
        if case .object(let existing) = content { members = existing }
        content = .empty
        members.append((key, slot))
        content = .object(members)
    }

    func append(_ slot: EncodingSlot) {
        var elements: [EncodingSlot] = []
        if case .array(let existing) = content { elements = existing }
        content = .empty
        elements.append(slot)
        content = .array(elements)
    }
}

private struct TreeEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.beginObject()
        return KeyedEncodingContainer(KeyedTree<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = slot.content {} else { slot.content = .array([]) }
        return UnkeyedTree(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(slot: slot, codingPath: codingPath) }

    static func box<T: Encodable>(_ value: T, path: [any CodingKey]) throws -> EncodingSlot {
        let slot = EncodingSlot()
        // Exact type comparisons, no dynamic casts: this runs for every field of every row.
        if T.self == JSONValue.self {
            slot.content = .value(unsafeBitCast(value, to: JSONValue.self))
        } else if T.self == String.self {
            slot.content = .value(.string(unsafeBitCast(value, to: String.self)))
        } else if T.self == Bool.self {
            slot.content = .value(.bool(unsafeBitCast(value, to: Bool.self)))
        } else if T.self == Double.self {
            slot.content = .value(.number(unsafeBitCast(value, to: Double.self)))
        } else if T.self == Int64.self {
            slot.content = .value(.number(Double(unsafeBitCast(value, to: Int64.self))))
        } else if T.self == UInt64.self {
            slot.content = .value(.number(Double(unsafeBitCast(value, to: UInt64.self))))
        } else if T.self == Int.self {
            slot.content = .value(.number(Double(unsafeBitCast(value, to: Int.self))))
        } else if T.self == UUID.self {
            slot.content = .value(.string(unsafeBitCast(value, to: UUID.self).uuidString))
        } else {
            try value.encode(to: TreeEncoder(slot: slot, codingPath: path))
        }
        return slot
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.set(key.stringValue, Self.value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(value))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { slot.set(key.stringValue, Self.value(.number(Double(value)))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        slot.set(key.stringValue, try TreeEncoder.box(value, path: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingSlot()
        slot.set(key.stringValue, child)
        return TreeEncoder(slot: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingSlot()
        slot.set(key.stringValue, child)
        return TreeEncoder(slot: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingSlot()
        slot.set("super", child)
        return TreeEncoder(slot: child, codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodingSlot()
        slot.set(key.stringValue, child)
        return TreeEncoder(slot: child, codingPath: codingPath + [key])
    }

    private static func value(_ json: JSONValue) -> EncodingSlot {
        let slot = EncodingSlot()
        slot.content = .value(json)
        return slot
    }
}

private struct IndexCodingKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let elements) = slot.content { return elements.count }
        return 0
    }

    private func add(_ json: JSONValue) {
        let child = EncodingSlot()
        child.content = .value(json)
        slot.append(child)
    }

    mutating func encodeNil() throws { add(.null) }
    mutating func encode(_ value: Bool) throws { add(.bool(value)) }
    mutating func encode(_ value: String) throws { add(.string(value)) }
    mutating func encode(_ value: Double) throws { add(.number(value)) }
    mutating func encode(_ value: Float) throws { add(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { add(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { add(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { add(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { add(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { add(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { add(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { add(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { add(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { add(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { add(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.append(try TreeEncoder.box(value, path: codingPath + [IndexCodingKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingSlot()
        slot.append(child)
        return TreeEncoder(slot: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = EncodingSlot()
        slot.append(child)
        return TreeEncoder(slot: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingSlot()
        slot.append(child)
        return TreeEncoder(slot: child, codingPath: codingPath)
    }
}

private struct SingleTree: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .value(.number(value)) }
    mutating func encode(_ value: Float) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { slot.content = .value(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { slot.content = .value(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.content = try TreeEncoder.box(value, path: codingPath).content
    }
}
