import Foundation

/// One BIOS setting as the node's bios interface reported it (Ironic's `BIOSSetting`), with the
/// registry fields (1.74) where the interface knows them.
///
/// `createdAt` and `updatedAt` are set by evolution: when the setting was first cached, and when
/// its value last changed.
public struct BIOSSetting: Sendable, Hashable, Codable {
    public var name: String
    public var value: String?
    public var attributeType: String?
    public var allowableValues: [String]?
    public var lowerBound: Int?
    public var maxLength: Int?
    public var minLength: Int?
    public var readOnly: Bool?
    public var resetRequired: Bool?
    public var unique: Bool?
    public var upperBound: Int?
    public var createdAt: Int64?
    public var updatedAt: Int64?

    /// A setting `name` = `value`, with optional registry fields.
    public init(name: String, value: String?, attributeType: String? = nil, allowableValues: [String]? = nil,
                lowerBound: Int? = nil, maxLength: Int? = nil, minLength: Int? = nil, readOnly: Bool? = nil,
                resetRequired: Bool? = nil, unique: Bool? = nil, upperBound: Int? = nil) {
        self.name = name
        self.value = value
        self.attributeType = attributeType
        self.allowableValues = allowableValues
        self.lowerBound = lowerBound
        self.maxLength = maxLength
        self.minLength = minLength
        self.readOnly = readOnly
        self.resetRequired = resetRequired
        self.unique = unique
        self.upperBound = upperBound
    }

    /// The same setting without its timestamps: what a new report is compared with.
    public var reported: BIOSSetting {
        var copy = self
        copy.createdAt = nil
        copy.updatedAt = nil
        return copy
    }

    /// The registry fields by wire name, in Ironic's order (1.74).
    public static let registryFields = ["attribute_type", "allowable_values", "lower_bound", "max_length", "min_length",
                                        "read_only", "reset_required", "unique", "upper_bound"]

    enum CodingKeys: String, CodingKey {
        case name, value
        case attributeType = "attribute_type"
        case allowableValues = "allowable_values"
        case lowerBound = "lower_bound"
        case maxLength = "max_length"
        case minLength = "min_length"
        case readOnly = "read_only"
        case resetRequired = "reset_required"
        case unique
        case upperBound = "upper_bound"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
