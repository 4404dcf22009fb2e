import Foundation

/// Decodes `Decodable` values from a parsed ``JSONValue``, handing free-form `JSONValue` fields
/// over as they are (no decoding by trial and error) and parsing UUIDs without formatted scanning.
///
/// Semantics follow Foundation's `JSONDecoder` for what our types use: keyed and unkeyed
/// containers, `nil` for `null` or a missing key in `decodeIfPresent`, numbers into any integer
/// type that holds them exactly.
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Decodes a `T` from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoding.unbox(value, as: type, path: [])
    }

    /// Parses `data` and decodes a `T` from it.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(type, from: try JSONParser.parse(data))
    }
}

private struct JSONValueDecoding: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected \(type), found \(value)"))
    }

    static func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, path: [any CodingKey]) throws -> T {
        // Exact type comparisons and bit casts between identical types: no dynamic casting,
        // which would cost more than the decoding itself on this path.
        if T.self == JSONValue.self { return unsafeBitCast(value, to: T.self) }
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch(type, value, path) }
            return unsafeBitCast(text, to: T.self)
        }
        if T.self == UUID.self {
            guard case .string(let text) = value, let uuid = UUID(canonical: text[...]) ?? UUID(uuidString: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "Expected a UUID, found \(value)"))
            }
            return unsafeBitCast(uuid, to: T.self)
        }
        if T.self == Bool.self {
            guard case .bool(let flag) = value else { throw mismatch(type, value, path) }
            return unsafeBitCast(flag, to: T.self)
        }
        if T.self == Double.self {
            guard case .number(let number) = value else { throw mismatch(type, value, path) }
            return unsafeBitCast(number, to: T.self)
        }
        if T.self == Int64.self { return unsafeBitCast(try integer(value, Int64.self, path), to: T.self) }
        if T.self == UInt64.self { return unsafeBitCast(try integer(value, UInt64.self, path), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(value, Int.self, path), to: T.self) }
        if T.self == UInt16.self { return unsafeBitCast(try integer(value, UInt16.self, path), to: T.self) }
        if T.self == Int32.self { return unsafeBitCast(try integer(value, Int32.self, path), to: T.self) }
        if T.self == UInt32.self { return unsafeBitCast(try integer(value, UInt32.self, path), to: T.self) }
        if T.self == Int16.self { return unsafeBitCast(try integer(value, Int16.self, path), to: T.self) }
        if T.self == Int8.self { return unsafeBitCast(try integer(value, Int8.self, path), to: T.self) }
        if T.self == UInt8.self { return unsafeBitCast(try integer(value, UInt8.self, path), to: T.self) }
        if T.self == UInt.self { return unsafeBitCast(try integer(value, UInt.self, path), to: T.self) }
        return try T(from: JSONValueDecoding(value: value, codingPath: path))
    }

    private static func integer<I: FixedWidthInteger>(_ value: JSONValue, _ type: I.Type, _ path: [any CodingKey]) throws -> I {
        guard case .number(let number) = value, number.rounded() == number, let exact = I(exactly: number) else {
            throw mismatch(type, value, path)
        }
        return exact
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return Unkeyed(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func value(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value for \(key.stringValue)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoding.unbox(try value(key), as: type, path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try JSONValueDecoding.unbox(value, as: type, path: codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type as Int8.Type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type as Int16.Type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type as Int32.Type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type as UInt.Type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type as UInt8.Type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type as UInt16.Type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type as UInt32.Type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type as UInt64.Type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try JSONValueDecoding.unbox(try value(key), as: type, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoding(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoding(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { JSONValueDecoding(value: .object(members), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoding(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Unkeyed container is at its end"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONValueDecoding.unbox(value, as: type, path: path)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeGeneric(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeGeneric(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeGeneric(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decodeGeneric(Double.self)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeGeneric(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeGeneric(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeGeneric(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeGeneric(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeGeneric(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeGeneric(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeGeneric(type) }

    private mutating func decodeGeneric<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONValueDecoding.unbox(value, as: type, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: JSONValue].self)
        return try JSONValueDecoding(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([JSONValue].self)
        return try JSONValueDecoding(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(JSONValue.self)
        return JSONValueDecoding(value: value, codingPath: path)
    }
}

private struct Single: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try JSONValueDecoding.unbox(value, as: Double.self, path: codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoding.unbox(value, as: type, path: codingPath) }
}
