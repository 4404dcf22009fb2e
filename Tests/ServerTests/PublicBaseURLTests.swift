import Hummingbird
import Testing

@testable import Server

@Suite("Links are built from the Host header, falling back to the bound address")
struct PublicBaseURLTests {
    private func request(authority: String?) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/"),
            body: RequestBody(buffer: ByteBuffer())
        )
    }

    @Test("uses the Host header when there is one")
    func fromHost() {
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 6385)
        #expect(PublicBaseURL.of(request(authority: "ironic.example.com:6385"), configuration: configuration) == "http://ironic.example.com:6385")
        #expect(PublicBaseURL.of(request(authority: "[fd00::1]:6385"), configuration: configuration) == "http://[fd00::1]:6385")
    }

    @Test("falls back to the bound address without a usable Host header")
    func fallback() {
        #expect(PublicBaseURL.of(request(authority: nil), configuration: ServerConfiguration(host: "10.0.0.5", port: 7000)) == "http://10.0.0.5:7000")
        #expect(PublicBaseURL.of(request(authority: "evil.com/x?"), configuration: ServerConfiguration(host: "10.0.0.5", port: 7000)) == "http://10.0.0.5:7000")
        #expect(PublicBaseURL.of(request(authority: nil), configuration: ServerConfiguration(host: "::1", port: 6385)) == "http://[::1]:6385")
    }
}
