import Hummingbird

extension NodeAPI {
    /// Finds ports.
    var ports: PortLookup { PortLookup(nodes: lookup) }

    /// How ports are shown to this request.
    func portRepresentation(_ request: Request, _ context: IronlogRequestContext) -> PortRepresentation {
        PortRepresentation(baseURL: baseURL(request), version: context.apiVersion)
    }
}
