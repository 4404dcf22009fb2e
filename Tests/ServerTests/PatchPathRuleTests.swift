import Testing

@testable import Server

/// Ironic's rule for a PATCH path, `^(/[\w-]+)+$`, and its 1.98 widening to JSON Pointer escapes.
@Suite("PATCH path rule, with ~0/~1 from 1.98")
struct PatchPathRuleTests {
    @Test("valid at every version", arguments: ["/extra", "/extra/foo", "/driver_info/ipmi-address", "/properties/capabilities"])
    func plain(path: String) {
        #expect(NodeRoutes.isValid(path: path, version: MicroVersion(1)))
        #expect(NodeRoutes.isValid(path: path, version: MicroVersion(115)))
    }

    @Test("escapes only from 1.98", arguments: ["/extra/a~1b", "/extra/a~0b", "/extra/~0~1", "/extra/x~1y/z"])
    func escaped(path: String) {
        #expect(!NodeRoutes.isValid(path: path, version: MicroVersion(97)))
        #expect(NodeRoutes.isValid(path: path, version: MicroVersion(98)))
    }

    @Test("invalid at every version", arguments: ["", "/", "extra", "/extra/", "//extra", "/extra/a b", "/extra/a~2", "/extra/a~", "/extra/a/b~"])
    func invalid(path: String) {
        #expect(!NodeRoutes.isValid(path: path, version: MicroVersion(97)))
        #expect(!NodeRoutes.isValid(path: path, version: MicroVersion(115)))
    }
}
