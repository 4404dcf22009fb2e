import Domain
import Hummingbird

extension IronicError {
    /// The engine's refusal answered as Ironic answers it: the status Ironic's exception carries
    /// (``DomainError/httpStatus``) and its message.
    public init(_ error: DomainError) {
        self.init(status: HTTPResponse.Status(code: error.httpStatus), faultString: error.description)
    }

    /// The request needs a newer microversion than it asked for (Ironic's NotAcceptable).
    public static func notAcceptable(_ faultString: String) -> IronicError {
        IronicError(status: .notAcceptable, faultString: faultString)
    }

    /// `what` exists from microversion `1.minor` on; the request asked for `version`.
    public static func needsVersion(_ what: String, _ minor: Int, requested version: MicroVersion) -> IronicError {
        notAcceptable("\(what) requires API version 1.\(minor) or later; version \(version) was requested.")
    }
}
