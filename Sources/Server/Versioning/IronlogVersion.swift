/// The version of Ironlog itself, as reported in the root document's `ironlog` section.
public enum IronlogVersion {
    /// The release version of this build.
    public static let current = "0.1.0"
}
