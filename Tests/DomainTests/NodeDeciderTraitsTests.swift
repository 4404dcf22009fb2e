import Domain
import Foundation
import Testing

@Suite("Decide: traits (/v1/nodes/{id}/traits)")
struct NodeDeciderTraitsTests {
    /// The refusal decide gives for a trait Ironic would not accept.
    static func refusal(_ trait: String) -> DomainError {
        do {
            _ = try NodeTrait(trait)
            return .invalidParameter("\(trait) is a valid trait")
        } catch {
            return .invalidField("traits", reason: "\(error)")
        }
    }

    static let withTraits = History.enroll + [.traitsSet(traits: ["CUSTOM_GPU", "HW_CPU_X86_AVX2"])]

    @Test("PUT /traits replaces them all, de-duplicated and sorted")
    func setTraits() {
        given(History.enroll)
            .when(.setTraits(["HW_CPU_X86_AVX2", "CUSTOM_GPU", "CUSTOM_GPU"]))
            .then([.traitsSet(traits: ["CUSTOM_GPU", "HW_CPU_X86_AVX2"])])
        given(Self.withTraits).when(.setTraits(["STORAGE_DISK_SSD"])).then([.traitsSet(traits: ["STORAGE_DISK_SSD"])])
        given(Self.withTraits).when(.setTraits([])).then([.traitsSet(traits: [])])
    }

    @Test("setting the same traits is a no-op")
    func setSame() {
        given(Self.withTraits).when(.setTraits(["HW_CPU_X86_AVX2", "CUSTOM_GPU"])).then([])
    }

    @Test("invalid traits are refused (400)", arguments: [
        "custom_lower", "CUSTOM_", "", "CUSTOM-DASH", "1STARTS_WITH_DIGIT", "CUSTOM_" + String(repeating: "X", count: 249),
    ])
    func invalidTrait(trait: String) {
        given(History.enroll).when(.setTraits(["CUSTOM_OK", trait])).then(Self.refusal(trait), httpStatus: 400)
        given(History.enroll).when(.addTrait(trait)).then(Self.refusal(trait), httpStatus: 400)
    }

    @Test("a trait of exactly 255 characters is fine")
    func longestTrait() {
        let trait = "CUSTOM_" + String(repeating: "X", count: 248)
        given(History.enroll).when(.addTrait(trait)).then([.traitsSet(traits: [trait])])
    }

    @Test("PUT /traits/{t} adds one, keeping them sorted; adding one that is there is a no-op")
    func addTrait() {
        given(Self.withTraits).when(.addTrait("CUSTOM_AAA")).then([.traitsSet(traits: ["CUSTOM_AAA", "CUSTOM_GPU", "HW_CPU_X86_AVX2"])])
        given(Self.withTraits).when(.addTrait("CUSTOM_GPU")).then([])
    }

    @Test("DELETE /traits/{t} removes one")
    func removeTrait() {
        given(Self.withTraits).when(.removeTrait("CUSTOM_GPU")).then([.traitsSet(traits: ["HW_CPU_X86_AVX2"])])
    }

    @Test("removing a trait the node does not have is refused (404)")
    func removeUnknown() {
        given(Self.withTraits).when(.removeTrait("CUSTOM_NOPE")).then(.resourceNotFound(kind: "Trait", id: "CUSTOM_NOPE"), httpStatus: 404)
    }

    @Test("DELETE /traits removes them all; with none it is a no-op")
    func removeAll() {
        given(Self.withTraits).when(.removeTrait(nil)).then([.traitsSet(traits: [])])
        given(History.enroll).when(.removeTrait(nil)).then([])
    }
}
