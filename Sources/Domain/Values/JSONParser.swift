import Foundation

/// A small, fast JSON parser straight into ``JSONValue``.
///
/// Replaying the log decodes every event's payload, so decoding speed is replay speed. Going
/// through `JSONValue` (and ``JSONValueDecoder``) instead of Foundation's `JSONDecoder` avoids its
/// trial-and-error decoding of free-form fields, which throws and formats an error per guess.
public enum JSONParser {
    /// Why bytes are not JSON, and where.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let offset: Int
        public let reason: String
        public var description: String { "malformed JSON at byte \(offset): \(reason)" }
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    public static func parse(_ data: Data) throws(Malformed) -> JSONValue {
        do {
            return try data.withUnsafeBytes { raw throws -> JSONValue in try parse(raw) }
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(offset: 0, reason: "\(error)")
        }
    }

    /// Parses one JSON document read in place.
    public static func parse(_ raw: UnsafeRawBufferPointer) throws(Malformed) -> JSONValue {
        var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
        do {
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.offset == parser.bytes.count else { throw Malformed(offset: parser.offset, reason: "trailing characters") }
            return value
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(offset: parser.offset, reason: "\(error)")
        }
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        func fail(_ reason: String) -> Malformed { Malformed(offset: offset, reason: reason) }

        mutating func value(depth: Int) throws(Malformed) -> JSONValue {
            guard depth < 512 else { throw fail("nesting too deep") }
            skipWhitespace()
            guard offset < bytes.count else { throw fail("unexpected end") }
            switch bytes[offset] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: StaticString) throws(Malformed) {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count,
                  memcmp(bytes.baseAddress! + offset, word.utf8Start, count) == 0 else { throw fail("expected \(word)") }
            offset += count
        }

        mutating func object(depth: Int) throws(Malformed) -> JSONValue {
            offset += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                offset += 1
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                guard offset < bytes.count else { throw fail("unterminated object") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                guard bytes[offset] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                offset += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(Malformed) -> JSONValue {
            offset += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard offset < bytes.count else { throw fail("unterminated array") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                guard bytes[offset] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                offset += 1
                return .array(elements)
            }
        }

        mutating func string() throws(Malformed) -> String {
            offset += 1
            let start = offset
            // Fast path: no escapes.
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
            guard offset < bytes.count else { throw fail("unterminated string") }
            if bytes[offset] == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            var scalars = Array(bytes[start..<offset])
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    offset += 1
                    return String(decoding: scalars, as: UTF8.self)
                }
                if byte != UInt8(ascii: "\\") { scalars.append(byte); offset += 1; continue }
                offset += 1
                guard offset < bytes.count else { break }
                let escaped = bytes[offset]
                offset += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), offset + 1 < bytes.count,
                       bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                        offset += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scalars.append(contentsOf: Array(String(scalar).utf8))
                default: throw fail("bad escape")
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws(Malformed) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw fail("short \\u escape") }
            var code: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("bad \\u escape")
                }
                code = code << 4 | digit
                offset += 1
            }
            return code
        }

        mutating func number() throws(Malformed) -> Double {
            let start = offset
            var integral = true
            var negative = false
            var magnitude: UInt64 = 0
            if bytes[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
            let digitsStart = offset
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    if integral { magnitude = magnitude &* 10 &+ UInt64(byte - UInt8(ascii: "0")) }
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                    integral = false
                } else {
                    break
                }
                offset += 1
            }
            guard offset > digitsStart else { throw fail("unexpected character") }
            if integral, offset - digitsStart <= 15 {
                return negative ? -Double(magnitude) : Double(magnitude)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            guard let value = Double(text) else { throw Malformed(offset: start, reason: "bad number") }
            return value
        }
    }
}
