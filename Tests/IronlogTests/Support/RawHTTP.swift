import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 client over a blocking TCP socket to 127.0.0.1.
///
/// Deliberately independent of URLSession (and of any proxy settings in the environment): one
/// request per connection, `Connection: close`, the response read to end of stream.
enum RawHTTP {
    /// A parsed response.
    struct Response {
        /// The status code, e.g. 200.
        let status: Int
        /// Header fields, names lowercased; the last value wins.
        let headers: [String: String]
        /// The body bytes.
        let body: Data
    }

    /// A request that did not get a response.
    enum Failure: Error, CustomStringConvertible {
        /// A socket call failed (connection refused while the server starts, for example).
        case socket(String, Int32)
        /// The bytes received are not an HTTP response.
        case malformed(String)

        var description: String {
            switch self {
            case let .socket(operation, code): "\(operation): \(String(cString: strerror(code)))"
            case let .malformed(reason): "malformed response: \(reason)"
            }
        }
    }

    /// A TCP socket connected to 127.0.0.1:`port`, sends and receives giving up after `timeout`
    /// seconds if one is given; the caller closes it.
    private static func connected(port: Int, timeout: Int? = nil) throws -> Int32 {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw Failure.socket("socket", errno) }
        if let timeout {
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.socket("connect", code)
        }
        return fd
    }

    /// Sends `GET path` to 127.0.0.1:`port` and leaves the connection open without reading the
    /// response (for a response that does not end by itself, such as an event stream); the caller
    /// closes the returned socket.
    static func open(_ path: String, port: Int) throws -> Int32 {
        let fd = try connected(port: port)
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else {
            close(fd)
            throw Failure.socket("send", errno)
        }
        return fd
    }

    /// Sends `GET path` to 127.0.0.1:`port` and returns the response; gives up on a silent
    /// connection after `timeout` seconds.
    static func get(_ path: String, port: Int, timeout: Int = 5) throws -> Response {
        try request("GET", path, port: port, timeout: timeout)
    }

    /// Sends `method path` with an optional JSON `body` and extra header lines to
    /// 127.0.0.1:`port` and returns the response; gives up on a silent connection after `timeout`
    /// seconds.
    static func request(_ method: String, _ path: String, port: Int, body: Data? = nil, headers: [String: String] = [:],
                     timeout: Int = 5) throws -> Response {
        let fd = try connected(port: port, timeout: timeout)
        defer { close(fd) }

        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        request += "\r\n"
        var bytes = Array(request.utf8) + Array(body ?? Data())
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, 0) }
            guard n > 0 else { throw Failure.socket("send", errno) }
            sent += n
        }

        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure.socket("recv", errno) }
            received.append(contentsOf: buffer[0..<n])
        }
        return try parse(received)
    }

    /// Splits a complete response into status, headers and body (the body honouring Content-Length).
    static func parse(_ data: Data) throws -> Response {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = data.range(of: separator) else { throw Failure.malformed("no end of headers in \(data.count) bytes") }
        let head = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure.malformed("status line \"\(statusLine)\"")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed("header line \"\(line)\"") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = try dechunked(body)
        } else if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else { throw Failure.malformed("body is \(body.count) bytes, Content-Length \(length)") }
            body = body.prefix(length)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// The payload of a `Transfer-Encoding: chunked` body.
    static func dechunked(_ data: Data) throws -> Data {
        let bytes = [UInt8](data)
        var index = 0, out = Data()
        while true {
            guard let lineEnd = (index..<max(index, bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                let size = Int(String(String(decoding: bytes[index..<lineEnd], as: UTF8.self).prefix { $0 != ";" }), radix: 16)
            else { throw Failure.malformed("bad chunk header at byte \(index)") }
            if size == 0 { return out }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { throw Failure.malformed("chunk of \(size) bytes cut short") }
            out.append(contentsOf: bytes[start..<start + size])
            index = start + size + 2
        }
    }
}
