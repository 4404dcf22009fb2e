import Foundation

/// A free-form JSON field that may carry secrets, and so is sealed before it enters the log and
/// masked when the API shows it.
///
/// Only these three: they are where Ironic keeps credentials (BMC logins, config drives, iSCSI
/// CHAP passwords). `extra` and `properties` of a node are deliberately not secret-bearing, as in
/// Ironic, which never masks them.
public enum SecretBearingField: String, Sendable, Hashable, CaseIterable {
    /// A node's `driver_info`: BMC addresses, user names, passwords and keys.
    case driverInfo = "driver_info"
    /// A node's `instance_info`: what to deploy, including the config drive.
    case instanceInfo = "instance_info"
    /// A volume target's `properties`: connection info, including CHAP credentials.
    case volumeTargetProperties = "properties"
}

/// The single rule of which JSON members are secret, and the three things done with it: sealing
/// before events are written, opening when the engine or a driver needs the real value, and
/// masking for API responses. Keeping the rule here, and only here, means the log, the drivers and
/// the API can never disagree about what is secret.
///
/// **The rule.** A member is secret when its name, lower-cased, contains one of the markers of
/// its field:
///
/// | field | markers |
/// |---|---|
/// | `driver_info` | `password`, `secret`, `key` |
/// | `instance_info` | `password`, `secret`, `configdrive` |
/// | volume target `properties` | `password`, `secret` |
///
/// So `ipmi_password`, `redfish_password`, `snmp_auth_key`, `snmp_priv_key`, `ilo_password`,
/// `instance_info.configdrive`, `instance_info.rescue_password`, `properties.auth_password` are
/// secret; `ipmi_username`, `ipmi_address`, `deploy_kernel`, `instance_info.image_source`,
/// `properties.auth_username` are not. Substring matching follows Ironic (oslo's
/// `mask_dict_password`), which is generous on purpose: a driver's new `*_password` or `*_key`
/// is protected without a code change, and the price of a false positive (say an
/// `ssh_key_filename` path) is only that it is encrypted in the log and masked in responses.
/// `key` is a marker only in `driver_info`, where drivers keep SNMP, SSH and similar keys; the
/// other two fields have no key-named credentials in Ironic. `instance_info.image_url` is not
/// secret (Ironic masks it in responses because of credentials in temporary URLs; that is out of
/// scope here).
///
/// **Top level only.** The rule looks at the field's own members, not inside nested objects or
/// arrays. A secret member is masked whatever its value (a nested object under `snmp_key` is
/// hidden whole), but only *string* values are sealed: a non-string secret (a number, or an
/// object-valued `configdrive`) is stored as given. Note that Ironic's masking recurses into
/// nested dictionaries; this rule does not, so nested secrets are neither sealed nor masked.
///
/// **Contexts.** Each member is sealed with the context `"<owner context>/<field>/<member>"`,
/// where the owner context is supplied by the caller (a node's UUID, or
/// `"<node uuid>/volume_targets/<target uuid>"`) and the member name is escaped as in a JSON
/// Pointer (`~` → `~0`, `/` → `~1`) so two different members never share a context. A sealed
/// value therefore opens only under the same owner, field and member name.
public enum SecretFields {
    /// What API responses show instead of a secret member's value (Ironic's mask).
    public static let mask = "******"

    /// Whether the member named `key` of `field` is secret; the one place the rule is written.
    public static func isSecretKey(_ key: String, in field: SecretBearingField) -> Bool {
        let name = key.lowercased()
        return markers(of: field).contains { name.contains($0) }
    }

    /// `object` with every top-level secret string member sealed for storage in the log.
    ///
    /// Why not seal what already is sealed: commands often carry the stored value back unchanged
    /// (a PATCH of another member rebuilds the whole field), and sealing twice would make the
    /// value unreadable in one step. "Already sealed" means: a token that opens with `sealer`
    /// under this member's context. Anything else — including a string that merely looks like a
    /// token (a user could type one) or a token for another key or member — is sealed as plain
    /// text, so that opening later gives back exactly what was stored instead of failing.
    /// Non-string secret values and non-object inputs are returned unchanged.
    public static func sealing(_ object: JSONValue, field: SecretBearingField, context: String, with sealer: SecretSealer) -> JSONValue {
        guard var members = object.objectValue else { return object }
        for (key, value) in members where isSecretKey(key, in: field) {
            guard case .string(let text) = value else { continue }
            let memberContext = Self.context(context, field: field, key: key)
            if SecretSealer.isSealed(text), (try? sealer.open(text, context: memberContext)) != nil { continue }
            members[key] = .string(sealer.seal(text, context: memberContext))
        }
        return .object(members)
    }

    /// `object` with every top-level secret member that holds a sealed token replaced by its
    /// plain text — what drivers need to talk to a BMC and what an admin allowed to see secrets
    /// is shown.
    ///
    /// Plain (never sealed) strings and non-strings are returned as they are, so data written
    /// before sealing existed still reads. Throws ``SecretError`` when a token does not open:
    /// the node's key was shredded or replaced, or the token was tampered with or moved.
    public static func opening(_ object: JSONValue, field: SecretBearingField, context: String, with sealer: SecretSealer) throws(SecretError) -> JSONValue {
        guard var members = object.objectValue else { return object }
        for (key, value) in members where isSecretKey(key, in: field) {
            guard case .string(let text) = value, SecretSealer.isSealed(text) else { continue }
            members[key] = .string(try sealer.open(text, context: Self.context(context, field: field, key: key)))
        }
        return .object(members)
    }

    /// `object` with every top-level secret member's value, of any type, replaced by `"******"`:
    /// what the API shows unless policy allows seeing secrets.
    ///
    /// Needs no key, so responses can be built for nodes whose key is shredded; works the same on
    /// sealed and plain values. Non-object inputs are returned unchanged.
    public static func masking(_ object: JSONValue, field: SecretBearingField) -> JSONValue {
        guard var members = object.objectValue else { return object }
        for key in members.keys where isSecretKey(key, in: field) {
            members[key] = .string(mask)
        }
        return .object(members)
    }

    /// The sealing context of member `key` of `field` under `owner` (see the type's notes).
    ///
    /// Public so that code sealing or opening a single member (a driver reading one password)
    /// uses exactly the context ``sealing(_:field:context:with:)`` used.
    public static func context(_ owner: String, field: SecretBearingField, key: String) -> String {
        let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        return "\(owner)/\(field.rawValue)/\(escaped)"
    }

    private static func markers(of field: SecretBearingField) -> [String] {
        switch field {
        case .driverInfo: return ["password", "secret", "key"]
        case .instanceInfo: return ["password", "secret", "configdrive"]
        case .volumeTargetProperties: return ["password", "secret"]
        }
    }
}
