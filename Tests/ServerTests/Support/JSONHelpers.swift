import Foundation
import Hummingbird

/// The body parsed as a JSON object, or nil if it is not one.
func jsonObject(_ body: ByteBuffer) -> [String: Any]? {
    jsonObject(Data(body.readableBytesView))
}

/// The string parsed as a JSON object, or nil if it is not one.
func jsonObject(_ string: String) -> [String: Any]? {
    jsonObject(Data(string.utf8))
}

/// The data parsed as a JSON object, or nil if it is not one.
func jsonObject(_ data: Data) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}

/// Whether `value` is `req-` followed by a lowercase UUID, OpenStack's local request id format.
func isOpenStackRequestID(_ value: String?) -> Bool {
    guard let value, value.hasPrefix("req-") else { return false }
    let uuid = String(value.dropFirst(4))
    return UUID(uuidString: uuid) != nil && uuid == uuid.lowercased()
}
