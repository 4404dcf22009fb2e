/// One history dimension's positions by value, remembering the last value it saw: consecutive
/// events of one request, actor or project then cost a string comparison, not a hash lookup.
struct HistoryColumn {
    private var indexOf: [String: Int] = [:]
    private var values: [String] = []
    private var positions: [[UInt64]] = []
    private var last: (value: String, index: Int)?

    mutating func add(_ value: String, _ position: UInt64) {
        let index: Int
        if let last, last.value == value {
            index = last.index
        } else if values.count <= 64, let found = values.firstIndex(of: value) {
            // A few names (event types, actors, projects): comparing them, usually the same
            // shared string, is cheaper than hashing.
            index = found
        } else if values.count > 64, let known = indexOf[value] {
            index = known
        } else {
            index = values.count
            indexOf[value] = index
            values.append(value)
            positions.append([])
        }
        last = (value, index)
        positions[index].append(position)
    }

    var byValue: [String: [UInt64]] {
        Dictionary(uniqueKeysWithValues: zip(values, positions).map { ($0, $1) })
    }
}
