import Domain

/// What a BMC said in the body of an answer it refused a request with: Redfish's
/// `error.message` and the `Message`s of `@Message.ExtendedInfo`, or the text of a body that is
/// not JSON (some BMCs, sushy-emulator among them, answer some errors in plain text).
enum RedfishErrorMessage {
    /// The longest text taken from a body, in characters.
    static let limit = 400

    /// The BMC's words in `body`, or `nil` if it said nothing.
    static func extract(from body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        if let json = try? body.withUnsafeBytes({ raw throws(JSONParser.Malformed) in try JSONParser.parse(raw) }) {
            return extract(from: json)
        }
        return plainText(String(decoding: body, as: UTF8.self))
    }

    /// The error message of a Redfish JSON body, if it has one.
    static func extract(from json: JSONValue) -> String? {
        let error = json["error"] ?? json
        var parts: [String] = []
        if let message = error["message"]?.stringValue, !message.isEmpty { parts.append(message) }
        for info in error["@Message.ExtendedInfo"]?.arrayValue ?? json["@Message.ExtendedInfo"]?.arrayValue ?? [] {
            if let message = info["Message"]?.stringValue, !message.isEmpty, !parts.contains(message) {
                var text = message
                if let resolution = info["Resolution"]?.stringValue, !resolution.isEmpty { text += " (\(resolution))" }
                parts.append(text)
            }
        }
        if parts.isEmpty, let code = error["code"]?.stringValue { parts.append(code) }
        if parts.isEmpty { return nil }
        return truncated(parts.joined(separator: "; "))
    }

    /// A plain-text or HTML body as one line of text.
    static func plainText(_ text: String) -> String? {
        var result = ""
        var inTag = false
        let markup = text.contains(">")
        for character in text {
            switch character {
            case "<" where markup: inTag = true
            case ">" where inTag: inTag = false; result.append(" ")
            default: if !inTag { result.append(character) }
            }
        }
        let words = result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.isEmpty ? nil : truncated(words)
    }

    static func truncated(_ text: String) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
