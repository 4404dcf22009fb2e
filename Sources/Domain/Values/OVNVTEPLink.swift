/// The members of a port's `local_link_connection` that describe a port on an OVN VTEP switch
/// (Ironic API 1.90, withdrawn again at 1.105): the logical and the physical switch, beside the
/// usual `port_id`.
public enum OVNVTEPLink {
    /// `vtep-logical-switch` and `vtep-physical-switch`.
    public static let keys: Set<String> = ["vtep-logical-switch", "vtep-physical-switch"]
}
