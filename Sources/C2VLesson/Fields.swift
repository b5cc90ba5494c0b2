import C2VUtil

/// The entries of one mapping, by key.
struct Fields {
    var entries: [String: YAMLEntry]
    subscript(key: String) -> YAMLValue? { entries[key]?.value }
}

/// Gathers every problem in a file so one run reports them all.
struct ErrorCollector {
    private(set) var errors: [C2VError] = []
    /// Keys offered as "did you mean" fixes; a missing required key that was offered is not reported twice.
    private(set) var suggested: Set<String> = []
    var count: Int { errors.count }

    mutating func add(_ message: String, at location: SourceLocation) {
        errors.append(C2VError(.invalidInput, message, at: location))
    }

    func throwIfAny() throws { try C2VErrors.throwIfAny(errors) }

    /// A mapping whose keys are all in `allowed`; unknown keys are errors with a suggestion.
    mutating func mapping(_ value: YAMLValue, what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let entries, _) = value else {
            add("\(what) must be a mapping; found \(value.kindName)", at: value.location)
            return nil
        }
        var fields: [String: YAMLEntry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                fields[entry.key] = entry
            } else {
                if let match = nearestMatch(to: entry.key, in: allowed) { suggested.insert(match) }
                add("unknown key `\(entry.key)` in \(what)" + didYouMean(entry.key, allowed)
                    + (nearestMatch(to: entry.key, in: allowed) == nil ? "; expected one of: \(allowed.joined(separator: ", "))" : ""),
                    at: entry.keyLocation)
            }
        }
        return Fields(entries: fields)
    }

    mutating func sequence(_ value: YAMLValue, what: String) -> [YAMLValue]? {
        guard case .sequence(let items, _) = value else {
            add("\(what) must be a list; found \(value.kindName)", at: value.location)
            return nil
        }
        return items
    }

    mutating func string(_ value: YAMLValue?, what: String, required: Bool = false, in parent: YAMLValue? = nil) -> String? {
        let key = what.split(separator: ".").last.map(String.init) ?? what
        guard let value else {
            if required, let parent, !suggested.contains(key) { add("missing `\(key)`; expected text", at: parent.location) }
            return nil
        }
        guard case .scalar(let text, _) = value else {
            add("\(what) must be text; found \(value.kindName)", at: value.location)
            return nil
        }
        guard !text.isEmpty else {
            add("\(what) is empty; expected text", at: value.location)
            return nil
        }
        return text
    }

    mutating func int(_ value: YAMLValue, what: String) -> Int? {
        guard case .scalar(let text, _) = value, let n = Int(text) else {
            add("\(what) must be a whole number; found \(describe(value))", at: value.location)
            return nil
        }
        return n
    }

    mutating func double(_ value: YAMLValue, what: String) -> Double? {
        guard case .scalar(let text, _) = value, let n = Double(text), n.isFinite else {
            add("\(what) must be a number; found \(describe(value))", at: value.location)
            return nil
        }
        return n
    }

    mutating func color(_ value: YAMLValue?, what: String) -> RGBColor? {
        guard let value else { return nil }
        if case .scalar("", _) = value {
            add("\(what) is empty; quote colours, since # starts a YAML comment: \"#58C4DD\"", at: value.location)
            return nil
        }
        guard let text = string(value, what: what) else { return nil }
        guard let color = RGBColor(hex: text) else {
            add("invalid colour `\(text)` for \(what); expected #RRGGBB like #58C4DD", at: value.location)
            return nil
        }
        return color
    }

    mutating func stringList(_ value: YAMLValue?, what: String) -> [String]? {
        guard let value, let items = sequence(value, what: what) else { return nil }
        var strings: [String] = []
        for (i, item) in items.enumerated() {
            if let s = string(item, what: "\(what)[\(i)]") { strings.append(s) }
        }
        return strings.count == items.count ? strings : nil
    }

    func describe(_ value: YAMLValue) -> String {
        if case .scalar(let text, _) = value { return "`\(text)`" }
        return value.kindName
    }
}
