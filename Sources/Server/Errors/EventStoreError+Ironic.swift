import EventStore
import Hummingbird

extension IronicError {
    /// The store's failures a client should be told about: a full disk is 507 Insufficient Storage
    /// (nothing of the request was recorded; reads keep working), a corrupt envelope a 500 that
    /// names its position. `nil` for the rest, which stay an undetailed 500.
    public init?(_ error: EventStoreError) {
        if error.isDiskFull, case let .storage(operation, _, message) = error {
            self.init(status: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"),
                      faultString: "The server's disk is full: this request was not recorded; everything recorded before it is intact "
                          + "and reads keep working. Free disk space on the volume holding the data directory (or raise its quota or "
                          + "file size limit), then retry. (\(message) in \(operation))")
            return
        }
        if case .corruptEnvelope = error {
            self.init(status: .internalServerError, faultString: "\(error)")
            return
        }
        return nil
    }
}
