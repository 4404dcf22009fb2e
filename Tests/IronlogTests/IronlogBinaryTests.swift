import Foundation
import Testing

@Suite("Locating the ironlog executable")
struct IronlogBinaryTests {
    @Test("finds an executable ironlog")
    func finds() throws {
        let url = try IronlogBinary.url()
        #expect(url.lastPathComponent == "ironlog")
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }

    @Test("falls back to <package root>/.build/debug/ironlog")
    func fallback() throws {
        guard ProcessInfo.processInfo.environment["IRONLOG_BINARY"] == nil else { return }
        let last = try #require(IronlogBinary.candidateURLs().last)
        #expect(last.path.hasSuffix("/.build/debug/ironlog"))
        let packageRoot = last.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Package.swift").path))
    }
}
