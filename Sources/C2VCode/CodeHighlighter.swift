import C2VUtil

/// Syntax highlighting for code blocks, by GNU source-highlight (see docs/code-highlighting.md).
///
/// Deterministic: the same text, language and library version give the same spans. Safe to call
/// from any thread; calls into the library are serialised, and a 40-line block takes about a
/// millisecond.
public enum CodeHighlighter {
    /// c2v's part of highlighting: the role mapping and the definitions it ships. The library's
    /// own version is `libraryVersion`; a step that draws code depends on both.
    public static let component = ComponentVersion("code.highlighter", 1)

    /// A code block has at most this many lines: more would not be readable on one frame.
    public static let maximumLines = 200
    /// A code block has at most this many Characters.
    public static let maximumCharacters = 20_000

    /// The language names a code block can use, sorted. Some also answer to an alias
    /// (`py`, `js`, `c++`, `sh`, `shell`); `canonicalLanguage(_:)` resolves those.
    public static let languages: [String] = CodeLanguage.all.map(\.name).sorted()

    /// "GNU source-highlight 3.1.9".
    public static var libraryVersion: String { "GNU source-highlight \(SourceHighlight.version)" }

    /// The language's own name for a name or alias (`py` -> `python`), or an error that lists
    /// the languages and suggests the nearest one. Names are exact: `Python` is not `python`.
    public static func canonicalLanguage(_ name: String) throws -> String {
        try language(named: name).name
    }

    /// The lines of a code block as `highlight` numbers them: split at "\n", "\r\n" or "\r",
    /// without the line breaks; a final line break ends the last line rather than starting an
    /// empty one. Tabs and other characters are kept as they are.
    public static func lines(of code: String) -> [String] {
        var lines = code.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .map(String.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The spans of each line of `code` (one array per line of `lines(of:)`, in order). A
    /// line's spans cover it from start to end without gaps; neighbours differ in role, so
    /// plain text is a span too, and an empty line has none.
    public static func highlight(_ code: String, language name: String) throws -> [[CodeSpan]] {
        let language = try language(named: name)
        // UTF-8 length bounds the Character count from above: count Characters only when it might matter.
        if code.utf8.count > maximumCharacters, code.count > maximumCharacters {
            throw C2VError(.invalidInput, "a code block has at most \(maximumCharacters) characters; this one has \(code.count)"
                + " (split it into several blocks)")
        }
        let lines = lines(of: code)
        guard lines.count <= maximumLines else {
            throw C2VError(.invalidInput, "a code block has at most \(maximumLines) lines; this one has \(lines.count)"
                + " (split it into several blocks)")
        }
        guard !lines.isEmpty else { return [] }
        let definition = try SourceHighlight.definition(for: language)
        let tokens = try SourceHighlight.tokens(of: lines.joined(separator: "\n"), definition: definition)
        var byLine = [[SourceHighlight.Token]](repeating: [], count: lines.count)
        for token in tokens where token.line >= 0 && token.line < lines.count { byLine[token.line].append(token) }
        return lines.indices.map { spans(ofLine: $0, text: lines[$0], tokens: byLine[$0]) }
    }

    private static func language(named name: String) throws -> CodeLanguage {
        if let language = CodeLanguage.named(name) { return language }
        throw C2VError(.invalidInput, "unknown code language `\(name)`\(didYouMean(name, CodeLanguage.allNames)); "
            + "the languages are \(languages.joined(separator: ", "))")
    }

    /// Turns the library's byte pieces of one line into Character spans of one role each.
    static func spans(ofLine line: Int, text: String, tokens: [SourceHighlight.Token]) -> [CodeSpan] {
        // Where each Character starts, in bytes; the last entry is the line's length.
        var offsets: [Int] = []
        offsets.reserveCapacity(text.utf8.count + 1)
        var offset = 0
        for character in text {
            offsets.append(offset)
            offset += character.utf8.count
        }
        offsets.append(offset)
        let total = offset

        // Byte runs, in order, covering the line: pieces the library skipped (it skips none)
        // count as plain, and a piece that overlaps the one before is cut.
        var runs: [(bytes: Range<Int>, role: CodeRole)] = []
        var cursor = 0
        for token in tokens {
            let start = Swift.max(token.start, cursor), end = Swift.min(token.start + token.length, total)
            guard start < end else { continue }
            if start > cursor { runs.append((cursor..<start, .plain)) }
            runs.append((start..<end, token.role))
            cursor = end
        }
        if cursor < total { runs.append((cursor..<total, .plain)) }

        // A boundary inside a Character (a combining accent after a matched letter) moves to the
        // Character's end: the Character belongs to the run it starts in.
        func character(atByte byte: Int) -> Int {
            var low = 0, high = offsets.count - 1
            while low < high {
                let middle = (low + high) / 2
                if offsets[middle] < byte { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var spans: [CodeSpan] = []
        for run in runs {
            let start = character(atByte: run.bytes.lowerBound), end = character(atByte: run.bytes.upperBound)
            guard start < end else { continue }
            if var last = spans.last, last.role == run.role, last.start + last.length == start {
                last.length = end - last.start
                last.utf8Length = offsets[end] - last.utf8Start
                spans[spans.count - 1] = last
            } else {
                spans.append(CodeSpan(line: line, start: start, length: end - start, role: run.role,
                                      utf8Start: offsets[start], utf8Length: offsets[end] - offsets[start]))
            }
        }
        return spans
    }
}
