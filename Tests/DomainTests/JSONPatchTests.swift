import Testing
import Domain

/// A node document like the one Ironic patches.
private let patchSampleNode: JSONValue = [
    "name": "node-1",
    "description": nil,
    "driver": "ipmi",
    "driver_info": ["ipmi_address": "10.0.0.5", "ipmi_username": "admin"],
    "extra": [:],
    "properties": ["capabilities": "boot_mode:uefi", "disks": ["sda", "sdb"]],
]

private func parsePatch(_ json: JSONValue) throws(PatchError) -> JSONPatch { try JSONPatch(json: json) }

private func patchOp(_ op: String, _ path: String, _ value: JSONValue? = nil) -> JSONValue {
    var members: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
    if let value { members["value"] = value }
    return .object(members)
}

@Suite("JSON Patch: reading a patch body")
struct JSONPatchParsingTests {
    @Test("an array of add/replace/remove operations is read in order")
    func readsOperations() throws {
        let parsed = try parsePatch([
            patchOp("add", "/extra/foo", "bar"),
            patchOp("replace", "/driver_info/ipmi_address", "10.0.0.6"),
            patchOp("remove", "/name"),
        ])
        #expect(parsed.operations.map(\.op) == [.add, .replace, .remove])
        #expect(parsed.operations.map(\.path) == ["/extra/foo", "/driver_info/ipmi_address", "/name"])
        #expect(parsed.operations[0].segments == ["extra", "foo"])
        #expect(parsed.operations[0].value == "bar")
        #expect(parsed.operations[2].value == nil)
    }

    @Test("an empty array is an empty patch")
    func emptyPatch() throws {
        let parsed = try parsePatch([])
        #expect(parsed.operations.isEmpty)
        #expect(try parsed.apply(to: patchSampleNode) == patchSampleNode)
    }

    @Test("a body that is not an array is refused")
    func notAnArray() {
        #expect(throws: PatchError.notAnArray) { try parsePatch(patchOp("add", "/extra/a", 1)) }
        #expect(throws: PatchError.notAnArray) { try parsePatch("add") }
    }

    @Test("an operation that is not an object is refused")
    func operationNotAnObject() {
        #expect(throws: PatchError.malformedOperation(index: 1, reason: "an operation must be an object")) {
            try parsePatch([patchOp("remove", "/name"), "remove"])
        }
    }

    @Test("op and path are required")
    func requiredMembers() {
        #expect(throws: PatchError.malformedOperation(index: 0, reason: "'op' is a required property")) {
            try parsePatch([["path": "/name"]])
        }
        #expect(throws: PatchError.malformedOperation(index: 0, reason: "'path' is a required property")) {
            try parsePatch([["op": "remove"]])
        }
        #expect(throws: PatchError.malformedOperation(index: 0, reason: "'path' must be a string")) {
            try parsePatch([["op": "remove", "path": 3]])
        }
    }

    @Test("members other than op, path and value are refused")
    func unexpectedMembers() {
        #expect(throws: PatchError.malformedOperation(
            index: 0, reason: "Additional properties are not allowed ('from' was unexpected)")) {
            try parsePatch([["op": "add", "path": "/extra/a", "from": "/extra/b", "value": 1]])
        }
    }

    @Test("only add, replace and remove are allowed", arguments: ["move", "copy", "test", "ADD", "delete", ""])
    func otherOpsRefused(name: String) {
        #expect(throws: PatchError.invalidOperation(name, path: "/extra/a")) {
            try parsePatch([patchOp(name, "/extra/a", 1)])
        }
    }

    @Test("an op that is not a string is refused")
    func nonStringOp() {
        #expect(throws: PatchError.invalidOperation("1", path: "/extra/a")) {
            try parsePatch([["op": 1, "path": "/extra/a", "value": 1]])
        }
    }

    @Test("add and replace need a value; null is a value")
    func valueRequired() throws {
        #expect(throws: PatchError.missingValue(.add, path: "/extra/a")) { try parsePatch([patchOp("add", "/extra/a")]) }
        #expect(throws: PatchError.missingValue(.replace, path: "/name")) { try parsePatch([patchOp("replace", "/name")]) }
        let parsed = try parsePatch([patchOp("replace", "/name", .null)])
        #expect(parsed.operations[0].value == .null)
    }

    @Test("remove needs no value, and one sent is ignored")
    func removeIgnoresValue() throws {
        let parsed = try parsePatch([patchOp("remove", "/extra/a", 5)])
        #expect(parsed.operations[0].value == nil)
    }

    @Test(
        "paths are segments of word characters and hyphens",
        arguments: ["/name", "/driver_info/ipmi_address", "/extra/foo-bar", "/properties/disks/0", "/properties/disks/-",
                    "/extra/ÄÖ_ü9", "/a/b/c/d"])
    func validPaths(path: String) throws {
        #expect(JSONPatch.segments(of: path) != nil)
        _ = try parsePatch([patchOp("remove", path)])
    }

    @Test(
        "other paths are refused",
        arguments: ["", "/", "name", "//name", "/name/", "/extra/foo bar", "/extra/foo.bar", "/extra/a:b", "/extra/a%2Fb",
                    "/extra/~", "/extra/~2", "/extra/a~", "/extra/\n", "/extra/a\nb"])
    func invalidPaths(path: String) {
        #expect(JSONPatch.segments(of: path) == nil)
        #expect(throws: PatchError.invalidPath(path)) { try parsePatch([patchOp("add", path, 1)]) }
    }

    @Test("~1 and ~0 escapes stand for / and ~ inside a key")
    func escapes() throws {
        #expect(JSONPatch.segments(of: "/extra/a~1b") == ["extra", "a/b"])
        #expect(JSONPatch.segments(of: "/extra/a~0b") == ["extra", "a~b"])
        #expect(JSONPatch.segments(of: "/extra/~01") == ["extra", "~1"])
        #expect(JSONPatch.segments(of: "/extra/~10") == ["extra", "/0"])
        #expect(JSONPatch.pointer(["extra", "a/b~c"]) == "/extra/a~1b~0c")
    }

    @Test("the patch round-trips through JSON and Codable")
    func roundTrip() throws {
        let body: JSONValue = [patchOp("add", "/extra/a~1b", ["x": 1]), patchOp("remove", "/name")]
        let parsed = try parsePatch(body)
        #expect(parsed.json == body)
        #expect(try JSONPatch(json: parsed.json) == parsed)
    }

    @Test("operations can be built directly, with the same checks")
    func buildOperations() throws {
        let operation = try JSONPatch.Operation(op: .add, path: "/extra/a", value: 1)
        #expect(operation.segments == ["extra", "a"])
        #expect(throws: PatchError.invalidPath("extra")) { try JSONPatch.Operation(op: .remove, path: "extra") }
        #expect(throws: PatchError.missingValue(.add, path: "/extra/a")) { try JSONPatch.Operation(op: .add, path: "/extra/a") }
    }
}

@Suite("JSON Patch: applying to a document")
struct JSONPatchApplyTests {
    @Test("add sets a nested member, creating it")
    func addNestedCreates() throws {
        let result = try parsePatch([patchOp("add", "/driver_info/ipmi_port", 623)]).apply(to: patchSampleNode)
        #expect(result["driver_info"]?["ipmi_port"] == 623)
        #expect(result["driver_info"]?["ipmi_address"] == "10.0.0.5")
    }

    @Test("add on an existing member replaces it")
    func addNestedReplaces() throws {
        let result = try parsePatch([patchOp("add", "/driver_info/ipmi_address", "10.0.0.9")]).apply(to: patchSampleNode)
        #expect(result["driver_info"]?["ipmi_address"] == "10.0.0.9")
    }

    @Test("add on an existing top-level field replaces it")
    func addTopLevelExisting() throws {
        let result = try parsePatch([patchOp("add", "/name", "node-2")]).apply(to: patchSampleNode)
        #expect(result["name"] == "node-2")
    }

    @Test("replace changes an existing nested member")
    func replaceNested() throws {
        let result = try parsePatch([patchOp("replace", "/driver_info/ipmi_address", "10.0.0.6")]).apply(to: patchSampleNode)
        #expect(result["driver_info"]?["ipmi_address"] == "10.0.0.6")
        #expect(result["driver_info"]?["ipmi_username"] == "admin")
    }

    @Test("replace with null keeps the member, set to null")
    func replaceWithNull() throws {
        let result = try parsePatch([patchOp("replace", "/name", .null)]).apply(to: patchSampleNode)
        #expect(result["name"] == .null)
        #expect(result.objectValue?.keys.contains("name") == true)
    }

    @Test("replace of a missing member is refused")
    func replaceMissing() {
        #expect(throws: PatchError.nonexistentTarget(.replace, path: "/driver_info/ipmi_port", member: "ipmi_port")) {
            try parsePatch([patchOp("replace", "/driver_info/ipmi_port", 623)]).apply(to: patchSampleNode)
        }
    }

    @Test("remove deletes a nested member")
    func removeNested() throws {
        let result = try parsePatch([patchOp("remove", "/driver_info/ipmi_address")]).apply(to: patchSampleNode)
        #expect(result["driver_info"] == ["ipmi_username": "admin"])
    }

    @Test("remove of a missing member is refused with python-jsonpatch's message")
    func removeMissing() {
        let error = PatchError.nonexistentTarget(.remove, path: "/extra/x", member: "x")
        #expect(throws: error) { try parsePatch([patchOp("remove", "/extra/x")]).apply(to: patchSampleNode) }
        #expect(error.description == "can't remove a non-existent object 'x'")
        #expect(error.path == "/extra/x")
    }

    @Test("intermediate containers must exist")
    func missingIntermediate() {
        let error = PatchError.memberNotFound(path: "/driver_info/ipmi/address", member: "ipmi", parent: "/driver_info")
        #expect(throws: error) { try parsePatch([patchOp("add", "/driver_info/ipmi/address", "x")]).apply(to: patchSampleNode) }
        #expect(error.description == "member 'ipmi' not found in /driver_info")
        #expect(throws: PatchError.memberNotFound(path: "/bios/x", member: "bios", parent: "")) {
            try parsePatch([patchOp("add", "/bios/x", 1)]).apply(to: patchSampleNode)
        }
    }

    @Test("a path through a scalar is refused")
    func throughScalar() {
        #expect(throws: PatchError.notAContainer(path: "/driver/x", member: "x")) {
            try parsePatch([patchOp("add", "/driver/x", 1)]).apply(to: patchSampleNode)
        }
        #expect(throws: PatchError.notAContainer(path: "/description/x", member: "x")) {
            try parsePatch([patchOp("remove", "/description/x")]).apply(to: patchSampleNode)
        }
    }

    @Test("add into an array inserts before the index")
    func arrayInsert() throws {
        let result = try parsePatch([patchOp("add", "/properties/disks/1", "nvme0n1")]).apply(to: patchSampleNode)
        #expect(result["properties"]?["disks"] == ["sda", "nvme0n1", "sdb"])
        let atStart = try parsePatch([patchOp("add", "/properties/disks/0", "x")]).apply(to: patchSampleNode)
        #expect(atStart["properties"]?["disks"] == ["x", "sda", "sdb"])
        let atEnd = try parsePatch([patchOp("add", "/properties/disks/2", "x")]).apply(to: patchSampleNode)
        #expect(atEnd["properties"]?["disks"] == ["sda", "sdb", "x"])
    }

    @Test("add at - appends")
    func arrayAppend() throws {
        let result = try parsePatch([patchOp("add", "/properties/disks/-", "sdc")]).apply(to: patchSampleNode)
        #expect(result["properties"]?["disks"] == ["sda", "sdb", "sdc"])
    }

    @Test("add past the end of an array is refused")
    func arrayInsertOutside() {
        let error = PatchError.outsideOfList(.add, path: "/properties/disks/3")
        #expect(throws: error) { try parsePatch([patchOp("add", "/properties/disks/3", "x")]).apply(to: patchSampleNode) }
        #expect(error.description == "can't insert outside of list")
    }

    @Test("replace and remove of array elements need the element")
    func arrayReplaceRemove() throws {
        let replaced = try parsePatch([patchOp("replace", "/properties/disks/1", "sdz")]).apply(to: patchSampleNode)
        #expect(replaced["properties"]?["disks"] == ["sda", "sdz"])
        let removed = try parsePatch([patchOp("remove", "/properties/disks/0")]).apply(to: patchSampleNode)
        #expect(removed["properties"]?["disks"] == ["sdb"])
        #expect(throws: PatchError.outsideOfList(.replace, path: "/properties/disks/2")) {
            try parsePatch([patchOp("replace", "/properties/disks/2", "x")]).apply(to: patchSampleNode)
        }
        #expect(throws: PatchError.nonexistentTarget(.remove, path: "/properties/disks/2", member: "2")) {
            try parsePatch([patchOp("remove", "/properties/disks/2")]).apply(to: patchSampleNode)
        }
    }

    @Test("array indexes are decimal without leading zeros; - only for add")
    func badArrayIndexes() {
        for index in ["01", "x", "1x"] {
            #expect(throws: PatchError.invalidArrayIndex(path: "/properties/disks/\(index)", index: index)) {
                try parsePatch([patchOp("add", "/properties/disks/\(index)", "x")]).apply(to: patchSampleNode)
            }
        }
        #expect(throws: PatchError.invalidArrayIndex(path: "/properties/disks/-", index: "-")) {
            try parsePatch([patchOp("replace", "/properties/disks/-", "x")]).apply(to: patchSampleNode)
        }
        #expect(throws: PatchError.invalidArrayIndex(path: "/properties/disks/-", index: "-")) {
            try parsePatch([patchOp("remove", "/properties/disks/-")]).apply(to: patchSampleNode)
        }
    }

    @Test("a path through an array element reaches inside it")
    func throughArray() throws {
        let document: JSONValue = ["extra": ["nics": [["mac": "a"], ["mac": "b"]]]]
        let result = try parsePatch([patchOp("replace", "/extra/nics/1/mac", "c")]).apply(to: document)
        #expect(result["extra"]?["nics"] == [["mac": "a"], ["mac": "c"]])
        #expect(throws: PatchError.indexOutOfBounds(path: "/extra/nics/2/mac", index: "2")) {
            try parsePatch([patchOp("replace", "/extra/nics/2/mac", "c")]).apply(to: document)
        }
    }

    @Test("escaped keys address members whose names contain / and ~")
    func escapedKeys() throws {
        let document: JSONValue = ["extra": ["a/b": 1, "c~d": 2]]
        let result = try parsePatch([
            patchOp("replace", "/extra/a~1b", 10),
            patchOp("remove", "/extra/c~0d"),
            patchOp("add", "/extra/e~1f~0g", 3),
        ]).apply(to: document)
        #expect(result == ["extra": ["a/b": 10, "e/f~g": 3]])
    }

    @Test("operations apply in order, each seeing the previous result")
    func sequential() throws {
        let result = try parsePatch([
            patchOp("add", "/extra/foo", [:]),
            patchOp("add", "/extra/foo/bar", "baz"),
            patchOp("replace", "/extra/foo/bar", "qux"),
            patchOp("remove", "/driver_info/ipmi_username"),
        ]).apply(to: patchSampleNode)
        #expect(result["extra"] == ["foo": ["bar": "qux"]])
        #expect(result["driver_info"] == ["ipmi_address": "10.0.0.5"])
    }

    @Test("a failing operation fails the whole patch and leaves the input alone")
    func atomic() {
        let original = patchSampleNode
        #expect(throws: PatchError.self) {
            try parsePatch([patchOp("add", "/extra/foo", 1), patchOp("remove", "/extra/missing")]).apply(to: original)
        }
        #expect(original == patchSampleNode)
    }

    @Test("patching the document's own root members works like any object")
    func topLevelRemove() throws {
        let result = try parsePatch([patchOp("remove", "/description")]).apply(to: patchSampleNode)
        #expect(result["description"] == nil)
    }
}

@Suite("JSON Patch: Ironic's resource helpers")
struct JSONPatchIronicRuleTests {
    @Test("touched top-level fields are each path's first segment, unescaped")
    func touchedFields() throws {
        let parsed = try parsePatch([
            patchOp("add", "/driver_info/ipmi_address", "x"),
            patchOp("remove", "/driver_info/ipmi_username"),
            patchOp("replace", "/name", "n"),
            patchOp("add", "/a~1b/c", 1),
        ])
        #expect(parsed.touchedTopLevelFields == ["driver_info", "name", "a/b"])
    }

    @Test("adding a new attribute to the root is refused")
    func newRootAttribute() {
        let error = PatchError.newRootAttribute(path: "/foo")
        #expect(throws: error) { try parsePatch([patchOp("add", "/foo", "bar")]).checkNoNewRootAttributes(in: patchSampleNode) }
        #expect(error.description == "Adding a new attribute (/foo) to the root of the resource is not allowed")
    }

    @Test("add of an existing root field, nested adds, replace and remove pass the root check")
    func rootCheckAllowsOthers() throws {
        try parsePatch([
            patchOp("add", "/name", "n"),
            patchOp("add", "/description", "d"),
            patchOp("add", "/extra/new", 1),
            patchOp("add", "/driver_info/ipmi_port", 623),
            patchOp("replace", "/foo", 1),
            patchOp("remove", "/bar"),
        ]).checkNoNewRootAttributes(in: patchSampleNode)
    }

    @Test("the root check looks at the document before the patch")
    func rootCheckUsesOriginal() {
        #expect(throws: PatchError.newRootAttribute(path: "/name")) {
            try parsePatch([patchOp("remove", "/name"), patchOp("add", "/name", "again")])
                .checkNoNewRootAttributes(in: ["driver": "ipmi"])
        }
    }

    @Test("messages name what went wrong")
    func messages() {
        #expect(PatchError.invalidOperation("move", path: "/a").description
            == "Schema error for patch: 'move' is not one of ['add', 'replace', 'remove']")
        #expect(PatchError.invalidPath("/a b").description.contains("'/a b' does not match"))
        #expect(PatchError.missingValue(.add, path: "/extra/a").description.contains("need a value"))
        #expect(PatchError.nonexistentTarget(.replace, path: "/extra/y", member: "y").description
            == "can't replace a non-existent object 'y'")
        #expect(PatchError.invalidArrayIndex(path: "/x/y", index: "y").description == "'y' is not a valid sequence index")
        #expect(PatchError.notAnArray.path == nil)
        #expect(PatchError.invalidPath("/a b").path == "/a b")
    }
}
