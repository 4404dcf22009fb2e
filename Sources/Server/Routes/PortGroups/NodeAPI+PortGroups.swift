import Hummingbird

extension NodeAPI {
    /// Finds port groups.
    var portGroups: PortGroupLookup { PortGroupLookup(nodes: lookup) }

    /// How port groups are shown to this request.
    func portGroupRepresentation(_ request: Request, _ context: IronlogRequestContext) -> PortGroupRepresentation {
        PortGroupRepresentation(baseURL: baseURL(request), version: context.apiVersion)
    }
}
