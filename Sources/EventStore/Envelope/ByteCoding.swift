import Foundation

/// Appends big-endian integers and length-prefixed fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func uuid(_ value: UUID) {
        withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) }
    }

    /// A UTF-8 string with a 16-bit length prefix; callers check the length first.
    mutating func shortString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            u16(UInt16(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func raw(_ data: Data) { bytes.append(contentsOf: data) }
}

/// Reads what ``ByteWriter`` wrote, refusing to read past the end.
struct ByteReader {
    struct Truncated: Error {}

    private let buffer: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var remaining: Int { buffer.count - offset }

    @inline(__always)
    private mutating func advance(_ count: Int) throws(Truncated) -> Int {
        guard count <= remaining else { throw Truncated() }
        defer { offset += count }
        return offset
    }

    mutating func u8() throws(Truncated) -> UInt8 { buffer[try advance(1)] }

    mutating func u16() throws(Truncated) -> UInt16 {
        UInt16(bigEndian: buffer.loadUnaligned(fromByteOffset: try advance(2), as: UInt16.self))
    }

    mutating func u32() throws(Truncated) -> UInt32 {
        UInt32(bigEndian: buffer.loadUnaligned(fromByteOffset: try advance(4), as: UInt32.self))
    }

    mutating func u64() throws(Truncated) -> UInt64 {
        UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: try advance(8), as: UInt64.self))
    }

    mutating func uuid() throws(Truncated) -> UUID {
        UUID(uuid: buffer.loadUnaligned(fromByteOffset: try advance(16), as: uuid_t.self))
    }

    mutating func shortString() throws(Truncated) -> String {
        let count = Int(try u16())
        let start = try advance(count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<start + count]), as: UTF8.self)
    }

    mutating func bytes(_ count: Int) throws(Truncated) -> UnsafeRawBufferPointer {
        let start = try advance(count)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
    }
}

/// Big-endian `UInt64` keys, which sort in LMDB's byte order exactly as the numbers do.
enum PositionKey {
    @inline(__always)
    static func encode(_ position: UInt64) -> [UInt8] {
        withUnsafeBytes(of: position.bigEndian) { Array($0) }
    }

    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
    }
}
