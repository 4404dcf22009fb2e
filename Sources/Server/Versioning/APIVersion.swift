/// The Ironic REST API microversions this server speaks.
///
/// The single source of truth for the advertised range: everything that advertises it (today the
/// root document) reads these constants, so raising ``maximum`` is where a new microversion starts.
public enum APIVersion {
    /// The oldest microversion served.
    public static let minimum = "1.1"
    /// The newest microversion served.
    public static let maximum = "1.1"
}
