import C2VUtil
import Yams

/// A YAML value with the position of every node, so later layers (the scene language)
/// can report `file:line:column` without re-reading the file.
public indirect enum YAMLValue: Sendable, Equatable {
    case scalar(String, SourceLocation)
    case sequence([YAMLValue], SourceLocation)
    case mapping([YAMLEntry], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, let l), .sequence(_, let l), .mapping(_, let l): return l
        }
    }

    public var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// A stable text form for cache keys: same meaning, same bytes; positions left out.
    public var canonicalText: String {
        switch self {
        case .scalar(let s, _):
            return "s\(s.utf8.count):\(s)"
        case .sequence(let items, _):
            return "l\(items.count)[" + items.map(\.canonicalText).joined() + "]"
        case .mapping(let entries, _):
            return "m\(entries.count){" + entries.map { "k\($0.key.utf8.count):\($0.key)" + $0.value.canonicalText }.joined() + "}"
        }
    }
}

public struct YAMLEntry: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLValue
}

/// Reads YAML text into `YAMLValue`, refusing what a lesson never needs and an attacker
/// could abuse: anchors/aliases (billion-laughs expansion), non-string keys, huge files.
public enum YAMLReader {
    public static let maximumBytes = 1 << 20

    public static func read(_ text: String, file: String) throws -> YAMLValue {
        guard text.utf8.count <= maximumBytes else {
            throw C2VError(.invalidInput, "file is \(text.utf8.count) bytes; lesson files are limited to \(maximumBytes / 1024) KiB",
                           at: SourceLocation(file: file, line: 1, column: 1))
        }
        // Yams holds anchors weakly, through its parser: keep the parser alive while converting,
        // so anchored nodes are still marked and refused before any alias is expanded.
        let parser: Parser
        let node: Node?
        do {
            parser = try Parser(yaml: text)
            node = try parser.singleRoot()
        } catch let error as YamlError {
            throw convert(error, file: file)
        } catch {
            throw C2VError(.invalidInput, "cannot parse YAML", at: SourceLocation(file: file, line: 1, column: 1),
                           underlying: "\(error)")
        }
        guard let node else {
            throw C2VError(.invalidInput, "file is empty; expected a mapping with `c2v: 1`",
                           at: SourceLocation(file: file, line: 1, column: 1))
        }
        return try withExtendedLifetime(parser) { try convert(node, file: file) }
    }

    static func location(_ mark: Mark?, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    static func convert(_ node: Node, file: String) throws -> YAMLValue {
        if node.anchor != nil {
            throw C2VError(.invalidInput, "YAML anchors and aliases (&name, *name) are not allowed in lesson files; write the value out",
                           at: location(node.mark, file))
        }
        switch node {
        case .scalar(let scalar):
            // A scalar's location is where its text starts: after the quote of a quoted scalar,
            // so offsets into the text (expressions) map onto columns.
            var at = location(scalar.mark, file)
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { at.column += 1 }
            return .scalar(scalar.string, at)
        case .sequence(let sequence):
            return .sequence(try sequence.map { try convert($0, file: file) }, location(sequence.mark, file))
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key, key.anchor == nil else {
                    throw C2VError(.invalidInput, "mapping keys must be plain names", at: location(key.mark, file))
                }
                entries.append(YAMLEntry(key: keyScalar.string, keyLocation: location(keyScalar.mark, file),
                                         value: try convert(value, file: file)))
            }
            return .mapping(entries, location(mapping.mark, file))
        case .alias(let alias):
            throw C2VError(.invalidInput, "YAML anchors and aliases (&name, *name) are not allowed in lesson files; write the value out",
                           at: location(alias.mark, file))
        }
    }

    /// What usually causes libyaml's terser complaints, said in the author's terms.
    static func hint(_ problem: String, at mark: Mark, in yaml: String) -> String {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let line = mark.line >= 1 && mark.line <= lines.count ? lines[mark.line - 1] : ""
        let column = line.index(line.startIndex, offsetBy: max(0, mark.column - 1), limitedBy: line.endIndex) ?? line.endIndex
        if problem.contains("cannot start any token"), column < line.endIndex, line[column] == "\t" {
            return ": a tab; YAML indents with spaces only"
        }
        if problem.contains("unknown escape character") {
            return "; inside double quotes a backslash starts an escape: write TeX and other backslashes in single quotes, like tex: '\\frac{a}{b}'"
        }
        if problem.contains("did not find expected ','") || problem.contains("did not find expected key") {
            return "; a value holding `:`, `,`, `[`, `{` or `#` inside a flow list or mapping needs quotes, like \"A1:C3\""
        }
        return ""
    }

    static func convert(_ error: YamlError, file: String) -> C2VError {
        switch error {
        case .scanner(_, let problem, let mark, let yaml), .parser(_, let problem, let mark, let yaml), .composer(_, let problem, let mark, let yaml):
            return C2VError(.invalidInput, "invalid YAML: \(problem)" + hint(problem, at: mark, in: yaml),
                            at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .reader(let problem, let offset?, _, let yaml):
            // A control character or bad encoding: libyaml gives the byte offset of the culprit.
            let prefix = String(decoding: yaml.utf8.prefix(offset), as: UTF8.self)
            let lines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
            return C2VError(.invalidInput, "invalid YAML: \(problem) (write it as an escape like \\u0007 in a quoted string, or remove it)",
                            at: SourceLocation(file: file, line: lines.count, column: (lines.last?.count ?? 0) + 1))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return C2VError(.invalidInput, "duplicate key `\(duplicates.joined(separator: "`, `"))`",
                            at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        default:
            return C2VError(.invalidInput, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
