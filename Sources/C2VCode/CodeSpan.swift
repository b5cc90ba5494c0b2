/// What a piece of code is, for choosing its colour. The highlighter's own element names are
/// many and differ between definitions; these are the few a lesson's palette colours.
public enum CodeRole: String, Codable, Sendable, CaseIterable {
    case plain, keyword, type, string, number, comment, function, preprocessor, symbol
}

/// A run of one role in one line of a code block.
///
/// `start` and `length` count Characters (what a reader sees as columns, and what `String`
/// indexes by); `utf8Start` and `utf8Length` count UTF-8 bytes of the same run, which is what
/// Pango attributes take. The two always describe the same text: a run never splits a Character.
public struct CodeSpan: Codable, Sendable, Equatable, Hashable {
    /// The line's index in the block, from 0 (as in `CodeHighlighter.lines(of:)`).
    public var line: Int
    public var start: Int
    public var length: Int
    public var role: CodeRole
    public var utf8Start: Int
    public var utf8Length: Int

    public init(line: Int, start: Int, length: Int, role: CodeRole, utf8Start: Int, utf8Length: Int) {
        self.line = line
        self.start = start
        self.length = length
        self.role = role
        self.utf8Start = utf8Start
        self.utf8Length = utf8Length
    }

    /// The run's Characters in its line.
    public var range: Range<Int> { start..<(start + length) }
    /// The run's UTF-8 bytes in its line.
    public var utf8Range: Range<Int> { utf8Start..<(utf8Start + utf8Length) }
}

extension CodeRole {
    /// The role of a piece whose element has role `element`, in a state whose element has role
    /// `container`.
    ///
    /// Whatever a definition marks inside a comment or a string (a URL, a TODO, a doc tag, an
    /// escape) stays part of the comment or the string: a lesson shows it as one.
    init(element: CodeRole, container: CodeRole) {
        self = container == .comment || container == .string ? container : element
    }

    /// The role of one of the element names GNU source-highlight's definitions use.
    init(element: String) {
        switch element {
        case "keyword", "predef_var": self = .keyword
        case "type", "classname", "usertype": self = .type
        case "string", "specialchar", "regexp", "regex": self = .string
        case "number": self = .number
        case "comment", "todo", "url": self = .comment
        case "function", "predef_func": self = .function
        case "preproc": self = .preprocessor
        case "symbol", "cbracket": self = .symbol
        default: self = .plain
        }
    }
}
