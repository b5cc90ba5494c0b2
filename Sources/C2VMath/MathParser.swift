import C2VUtil

/// Reads TeX-subset source into ``MathNode`` lists. Pure Swift; every error names a character offset.
struct MathParser {
    private let chars: [Character]
    private var pos = 0
    private var depth = 0
    /// `\mathid` names seen so far, in order.
    private(set) var partNames: [String] = []

    init(_ source: String) { chars = Array(source) }

    /// What ended a list: the caller decides whether it is allowed there.
    private enum Terminator: Equatable {
        case end, closeBrace, closeBracket, ampersand, newRow, right, endEnvironment
    }

    mutating func parseFormula() throws(MathSyntaxError) -> [MathNode] {
        guard chars.count <= MathFormula.maxLength else {
            throw error(at: MathFormula.maxLength,
                        "formula is longer than \(MathFormula.maxLength) characters (\(chars.count))")
        }
        let (list, terminator) = try parseList(stopAtBracket: false)
        switch terminator {
        case .end: return list
        case .closeBrace: throw error(at: pos, "unbalanced `}`: no `{` to close")
        case .ampersand: throw error(at: pos, "`&` is only allowed inside a matrix or cases environment")
        case .newRow: throw error(at: pos, "`\\\\` (new row) is only allowed inside a matrix or cases environment")
        case .right: throw error(at: pos, "`\\right` without matching `\\left`")
        case .endEnvironment: throw error(at: pos, "`\\end` without matching `\\begin`")
        case .closeBracket: throw error(at: pos, "internal: unexpected `]`")
        }
    }

    // MARK: - Lists

    /// Parses atoms until something that ends a list; that token is left unconsumed.
    private mutating func parseList(stopAtBracket: Bool) throws(MathSyntaxError) -> ([MathNode], Terminator) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= MathFormula.maxDepth else {
            throw error(at: pos, "formula nests deeper than \(MathFormula.maxDepth) levels")
        }
        var list: [MathNode] = []
        while true {
            skipSpaces()
            if let terminator = peekTerminator(stopAtBracket: stopAtBracket) { return (list, terminator) }
            let start = pos
            guard let atom = try parseAtom() else { continue }
            list.append(try parseScripts(on: atom, at: start))
        }
    }

    private func peekTerminator(stopAtBracket: Bool) -> Terminator? {
        guard pos < chars.count else { return .end }
        switch chars[pos] {
        case "}": return .closeBrace
        case "]" where stopAtBracket: return .closeBracket
        case "&": return .ampersand
        case "\\":
            if peek(1) == "\\" { return .newRow }
            let name = commandName(at: pos)
            if name == "right" { return .right }
            if name == "end" { return .endEnvironment }
            return nil
        default: return nil
        }
    }

    /// `^`, `_`, primes, `\limits` and `\nolimits` after an atom.
    private mutating func parseScripts(on base: MathNode, at start: Int) throws(MathSyntaxError) -> MathNode {
        var base = base
        var sup: [MathNode]?, sub: [MathNode]?
        while true {
            skipSpaces()
            guard pos < chars.count else { break }
            let here = pos
            switch chars[pos] {
            case "^":
                if sup != nil { throw error(at: here, "double superscript") }
                pos += 1
                sup = try parseArgument(for: "^")
            case "_":
                if sub != nil { throw error(at: here, "double subscript") }
                pos += 1
                sub = try parseArgument(for: "_")
            case "'":
                if sup != nil || sub != nil { throw error(at: here, "a prime must come before `^` and `_`") }
                var primes = ""
                while pos < chars.count, chars[pos] == "'" { primes += "′"; pos += 1 }
                // Set at full size beside the base: the font's prime already sits high, unlike
                // Computer Modern's, which TeX raises as a superscript.
                base = .group([base, .char(primes, .ord, .prime)])
            case "\\":
                let name = commandName(at: pos)
                guard name == "limits" || name == "nolimits" else { return wrap(base, sup, sub) }
                guard case .op(let text, let isSymbol, _) = base, sup == nil, sub == nil else {
                    throw error(at: here, "`\\\(name)` must follow an operator such as `\\sum` or `\\lim`")
                }
                pos += 1 + name.count
                base = .op(text, isSymbol: isSymbol, limits: name == "limits" ? .limits : .nolimits)
            default:
                return wrap(base, sup, sub)
            }
        }
        return wrap(base, sup, sub)
    }

    private func wrap(_ base: MathNode, _ sup: [MathNode]?, _ sub: [MathNode]?) -> MathNode {
        sup == nil && sub == nil ? base : .scripts(base: base, sup: sup, sub: sub)
    }

    // MARK: - Atoms

    /// One atom, or nil for something that makes no atom.
    private mutating func parseAtom() throws(MathSyntaxError) -> MathNode? {
        let c = chars[pos]
        let start = pos
        if c.isASCII && c.isLetter {
            pos += 1
            return .char(String(c), .ord, .variable)
        }
        if c.isASCII && c.isNumber {
            var number = ""
            while pos < chars.count, chars[pos].isASCII,
                  chars[pos].isNumber || (chars[pos] == "." && peek(1)?.isNumber == true && peek(1)?.isASCII == true) {
                number.append(chars[pos])
                pos += 1
            }
            return .char(number, .ord, .upright)
        }
        switch c {
        case "{":
            return .group(try parseGroup())
        case "^", "_", "'":
            // A script with nothing before it attaches to an empty base, as in TeX.
            return .group([])
        case "~":
            pos += 1
            return .space(mu: 6)
        case "$": throw error(at: start, "`$` is not allowed inside a formula; the formula is already math")
        case "#": throw error(at: start, "`#` is not allowed in a formula; write `\\#` for the sign")
        case "%": throw error(at: start, "`%` starts a comment in TeX; write `\\%` for a percent sign")
        case "\\": return try parseCommand()
        default:
            pos += 1
            if let symbol = MathSymbols.character(c) { return .char(symbol.text, symbol.atomClass, symbol.kind) }
            if c.isWhitespace || c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                return nil
            }
            return .char(String(c), .ord, c.isLetter && c.isLowercase ? .variable : .upright)
        }
    }

    /// `{ ... }` with the brace at `pos`; returns the inner list.
    private mutating func parseGroup() throws(MathSyntaxError) -> [MathNode] {
        let open = pos
        pos += 1
        let (list, terminator) = try parseList(stopAtBracket: false)
        guard terminator == .closeBrace else { throw error(at: open, "unbalanced `{`: missing `}`") }
        pos += 1
        return list
    }

    /// A command argument: a `{group}` or a single character or command, as TeX reads `\frac12`.
    private mutating func parseArgument(for command: String) throws(MathSyntaxError) -> [MathNode] {
        skipSpaces()
        guard pos < chars.count, peekTerminator(stopAtBracket: false) == nil else {
            throw error(at: pos, "missing argument for `\(command)`")
        }
        switch chars[pos] {
        case "{": return try parseGroup()
        case "^", "_": throw error(at: pos, "missing argument for `\(command)`")
        case let c where c.isASCII && c.isNumber:
            pos += 1
            return [.char(String(c), .ord, .upright)]
        default:
            depth += 1
            defer { depth -= 1 }
            guard depth <= MathFormula.maxDepth else {
                throw error(at: pos, "formula nests deeper than \(MathFormula.maxDepth) levels")
            }
            return try parseAtom().map { [$0] } ?? []
        }
    }

    /// `{raw text}` for `\text`, `\operatorname`, `\color`, `\mathid` and environment names.
    /// `name`: a name (`\mathid`'s), where a `{` means the `}` before it was forgotten.
    private mutating func parseRawArgument(for command: String, name: Bool = false) throws(MathSyntaxError) -> (text: String, offset: Int) {
        skipSpaces()
        guard pos < chars.count, chars[pos] == "{" else { throw error(at: pos, "missing argument for `\(command)`") }
        let open = pos
        pos += 1
        var text = "", nesting = 0
        while pos < chars.count {
            let c = chars[pos]
            if c == "}" && nesting == 0 { pos += 1; return (text, open + 1) }
            if c == "{" && name {
                throw error(at: pos, "`\(command){\(text)` is missing its `}`: close the name before the part, like \(command){\(text.isEmpty ? "name" : text)}{...}")
            }
            if c == "{" { nesting += 1 }
            if c == "}" { nesting -= 1 }
            if c == "\\" {
                guard let next = peek(1) else { break }
                if "{}%&_#$\\ ".contains(next) {
                    text.append(next == "\\" ? " " : next)
                    pos += 2
                    continue
                }
                let name = commandName(at: pos)
                throw error(at: pos, "`\\\(name)` is not allowed inside `\(command){...}`")
            }
            text.append(c)
            pos += 1
        }
        throw error(at: open, "unbalanced `{`: missing `}`")
    }

    // MARK: - Commands

    private mutating func parseCommand() throws(MathSyntaxError) -> MathNode? {
        let start = pos
        let name = commandName(at: pos)
        guard !name.isEmpty else { throw error(at: start, "lone `\\` at the end of the formula") }
        pos += 1 + name.count
        if let symbol = MathSymbols.symbols[name] { return .char(symbol.text, symbol.atomClass, symbol.kind) }
        if let mu = MathSymbols.spaces[name] { return .space(mu: mu) }
        if let op = MathSymbols.bigOperators[name] { return .op(op.text, isSymbol: true, limits: op.limits ? .auto : .nolimits) }
        if let limits = MathSymbols.functions[name] { return .op(name, isSymbol: false, limits: limits ? .auto : .nolimits) }
        if let (accent, wide) = MathSymbols.accents[name] { return .accent(accent, wide: wide, try parseArgument(for: "\\" + name)) }
        if let variant = MathSymbols.fonts[name] { return .font(variant, try parseArgument(for: "\\" + name)) }
        if let big = MathSymbols.bigDelimiters[name] {
            let delimiter = try parseDelimiter(after: "\\" + name)
            return .bigDelimiter(delimiter, size: big.size, big.atomClass ?? Self.naturalClass(delimiter))
        }
        switch name {
        case "frac", "dfrac", "tfrac", "binom":
            let numerator = try parseArgument(for: "\\" + name)
            let denominator = try parseArgument(for: "\\" + name)
            var kind = MathFractionKind()
            if name == "dfrac" { kind.forcedDisplay = true }
            if name == "tfrac" { kind.forcedDisplay = false }
            if name == "binom" { kind.hasRule = false; kind.delimiters = (.leftParen, .rightParen) }
            return .fraction(numerator: numerator, denominator: denominator, kind)
        case "sqrt":
            skipSpaces()
            var index: [MathNode]?
            if pos < chars.count, chars[pos] == "[" {
                let open = pos
                pos += 1
                let (list, terminator) = try parseList(stopAtBracket: true)
                guard terminator == .closeBracket else { throw error(at: open, "unbalanced `[`: missing `]` after the root's index") }
                pos += 1
                index = list
            }
            return .radical(body: try parseArgument(for: "\\sqrt"), index: index)
        case "left":
            return try parseLeftRight(at: start)
        case "begin":
            return try parseEnvironment(at: start)
        case "text", "textrm", "mbox":
            return .text(try parseRawArgument(for: "\\" + name).text)
        case "operatorname":
            var limits = MathLimits.nolimits
            if pos < chars.count, chars[pos] == "*" { pos += 1; limits = .auto }
            let (text, offset) = try parseRawArgument(for: "\\operatorname")
            let trimmed = text.trimmingSpaces
            guard !trimmed.isEmpty else { throw error(at: offset, "`\\operatorname` needs a name") }
            return .op(trimmed, isSymbol: false, limits: limits)
        case "overline": return .overline(try parseArgument(for: "\\overline"))
        case "underline": return .underline(try parseArgument(for: "\\underline"))
        case "color", "textcolor":
            let (text, offset) = try parseRawArgument(for: "\\" + name)
            let color = try parseColor(text.trimmingSpaces, at: offset)
            return .color(color, try parseArgument(for: "\\" + name))
        case "mathid":
            let (text, offset) = try parseRawArgument(for: "\\mathid", name: true)
            let id = text.trimmingSpaces
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
                throw error(at: offset, "`\\mathid` name must be letters, digits, `_`, `-` or `.`, got `\(text)`")
            }
            guard !partNames.contains(id) else { throw error(at: offset, "`\\mathid{\(id)}` is used twice") }
            partNames.append(id)
            return .named(id, try parseArgument(for: "\\mathid"))
        case "limits", "nolimits":
            throw error(at: start, "`\\\(name)` must follow an operator such as `\\sum` or `\\lim`")
        default:
            let known = MathSymbols.allCommands
            throw error(at: start, "unknown command `\\\(name)`" + didYouMean("\\" + name, known))
        }
    }

    private static func naturalClass(_ delimiter: MathDelimiter) -> MathAtomClass {
        switch delimiter {
        case .leftParen, .leftBracket, .leftBrace, .leftAngle, .leftFloor, .leftCeil: .open
        case .rightParen, .rightBracket, .rightBrace, .rightAngle, .rightFloor, .rightCeil: .close
        case .bar, .doubleBar, .none: .ord
        }
    }

    /// The delimiter token after `\left`, `\right` or `\big`.
    private mutating func parseDelimiter(after command: String) throws(MathSyntaxError) -> MathDelimiter {
        skipSpaces()
        let here = pos
        guard pos < chars.count else { throw error(at: here, "missing delimiter after `\(command)`") }
        if chars[pos] == "\\" {
            let name = commandName(at: pos)
            if let delimiter = MathSymbols.delimiterCommands[name] { pos += 1 + name.count; return delimiter }
        } else if let delimiter = MathSymbols.delimiter(chars[pos]) {
            pos += 1
            return delimiter
        }
        throw error(at: here, "`\(command)` needs a delimiter: ( ) [ ] \\{ \\} | \\| \\langle \\rangle or .")
    }

    private mutating func parseLeftRight(at start: Int) throws(MathSyntaxError) -> MathNode {
        let left = try parseDelimiter(after: "\\left")
        let (body, terminator) = try parseList(stopAtBracket: false)
        guard terminator == .right else { throw error(at: start, "`\\left` without matching `\\right`") }
        pos += 1 + "right".count
        let right = try parseDelimiter(after: "\\right")
        return .delimited(left, body, right)
    }

    private mutating func parseEnvironment(at start: Int) throws(MathSyntaxError) -> MathNode {
        let (name, offset) = try parseRawArgument(for: "\\begin")
        guard let environment = MathEnvironment(rawValue: name) else {
            throw error(at: offset, "unknown environment `\(name)`"
                        + didYouMean(name, MathEnvironment.allCases.map(\.rawValue)))
        }
        depth += 1
        defer { depth -= 1 }
        var rows: [[[MathNode]]] = [], row: [[MathNode]] = []
        while true {
            let (cell, terminator) = try parseList(stopAtBracket: false)
            row.append(cell)
            switch terminator {
            case .ampersand:
                pos += 1
            case .newRow:
                pos += 2
                rows.append(row)
                row = []
            case .endEnvironment:
                pos += 1 + "end".count
                let (endName, endOffset) = try parseRawArgument(for: "\\end")
                guard endName == name else {
                    throw error(at: endOffset, "`\\end{\(endName)}` does not match `\\begin{\(name)}` at offset \(start)")
                }
                // A trailing `\\` leaves an empty last row, which TeX ignores too.
                if !(row.count == 1 && row[0].isEmpty && !rows.isEmpty) { rows.append(row) }
                return .environment(environment, rows: rows)
            case .right:
                throw error(at: pos, "`\\right` without matching `\\left`")
            case .end, .closeBrace, .closeBracket:
                throw error(at: start, "`\\begin{\(name)}` without matching `\\end{\(name)}`")
            }
        }
    }

    private func parseColor(_ text: String, at offset: Int) throws(MathSyntaxError) -> RGBColor {
        if text.hasPrefix("#") {
            guard let color = RGBColor(hex: text) else { throw error(at: offset, "colour `\(text)` is not #RRGGBB or #RGB") }
            return color
        }
        if let color = MathSymbols.colors[text.lowercased()] { return color }
        throw error(at: offset, "unknown colour `\(text)`" + didYouMean(text, MathSymbols.colors.keys))
    }

    // MARK: - Characters

    /// The command name at a backslash: a run of letters, or one other character; "" at the end.
    private func commandName(at index: Int) -> String {
        var i = index + 1
        guard i < chars.count else { return "" }
        guard chars[i].isASCII && chars[i].isLetter else { return String(chars[i]) }
        var name = ""
        while i < chars.count, chars[i].isASCII && chars[i].isLetter {
            name.append(chars[i])
            i += 1
        }
        return name
    }

    private func peek(_ ahead: Int) -> Character? {
        pos + ahead < chars.count ? chars[pos + ahead] : nil
    }

    private mutating func skipSpaces() {
        while pos < chars.count, chars[pos].isWhitespace { pos += 1 }
    }

    private func error(at offset: Int, _ message: String) -> MathSyntaxError {
        MathSyntaxError(offset: offset, message: message)
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
