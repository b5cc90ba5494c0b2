import Foundation

/// A small deterministic generator (SplitMix64): a fuzz case is replayed from its seed alone.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The generator of case `index` of a run seeded `seed`, independent of every other case.
    public init(seed: UInt64, case index: Int) {
        var mix = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03))
        state = mix.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates lesson and scene YAML the way a careless author, a confused LLM or an attacker
/// would: bytes, tokens, numbers, types, YAML structure and the fields that name files.
public struct LessonMutator: Sendable {
    /// Numbers that have broken number handling somewhere: past Int, past Double, not numbers.
    public static let numbers = [
        "1e19", "-1e19", "9.3e18", "9223372036854775807", "1e308", "-1e308", "1e400", "1e-320", "0", "-0", "-1",
        "nan", ".nan", ".inf", "-.inf", "1e9", "1000000001", "2147483648", "99999999999999999999", "0x10", "1_000",
        "3.5", "-40", "1e6", "'1e300 * t'", "'1/(floor(t) - 1)'", "'sum(k, 0, 999, sum(j, 0, 999, k))'", "'sum(k,0,1e9,k)'",
        "'0/0'", "'sqrt(-1)'", "'1e308 * 10'", "'pick(1e19, 1, 2)'", "'2^1e6'", "'-t'", "'log(0)'",
    ]
    /// Fragments that break YAML or the scene language.
    public static let tokens = [
        "{", "}", "[", "]", ":", ": ", "- ", ",", "&a ", "*a", "<<: *a", "!!binary ", "!tag ", "~", "null", "true", "\"", "'", "#",
        "\t", "\u{7}", "\u{0}", "\u{FEFF}", "é", "\u{202E}", "{{}}", "{x}", "{1/0}", "..", "../outside.scene.yaml", "/etc/passwd",
        "/dev/zero", "x.scene.yaml", "%", "---\n", "...\n", "? ", "|\n", ">\n", "\n", "\r\n", "  ", "<b>", "</b>", "&amp;",
        "[[mark]]", "$", "\\", "\\frac{", "\\mathid{", "^", "_{", "--> ", "\u{1F600}",
    ]
    /// Values that change a field's type.
    public static let values = [
        "[]", "{}", "[1, 2]", "[[1, 2], [3]]", "{a: 1}", "\"\"", "''", "- x", "null", "~", "true", "[B2, B2]", "\"A1:Z9\"", "B7",
        "G1", "A0", "\"B2.nowhere\"", "[\"t\", \"t\"]", "x", String(repeating: "a", count: 300), "\"#GGGGGG\"", "16", "-1",
    ]
    /// Keys that name files, and hostile names to give them.
    public static let fileFields = ["scene", "src"]
    public static let paths = [
        "../outside.scene.yaml", "/etc/passwd", "/dev/zero", "x.scene.yaml", "two.scene.yaml", "missing.scene.yaml",
        "../../x.png", "/proc/self/mem", "dir/", "a.png", "big.png", ".", "..",
    ]

    /// Other texts whose lines may be spliced in.
    public let donors: [String]

    public init(donors: [String]) { self.donors = donors }

    /// `text` with one to four mutations.
    public func mutate(_ text: String, using g: inout SeededGenerator) -> String {
        var result = text
        // Mostly one mutation, so that many cases still parse and reach the scene evaluator.
        let roll = Int.random(in: 0..<20, using: &g)
        for _ in 0..<(roll < 12 ? 1 : roll < 17 ? 2 : 4) { result = mutateOnce(result, using: &g) }
        return result
    }

    func mutateOnce(_ text: String, using g: inout SeededGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        let line = Int.random(in: 0..<max(1, lines.count), using: &g)
        let choice = [0, 1, 1, 1, 2, 2, 3, 4, 5, 5, 5, 6, 6, 7, 8, 9][Int.random(in: 0..<16, using: &g)]
        switch choice {
        case 0:
            // Bytes: flip, insert or delete one, valid UTF-8 or not.
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { return text }
            let at = Int.random(in: 0..<bytes.count, using: &g)
            switch Int.random(in: 0..<3, using: &g) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &g)
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &g), at: at)
            default: bytes.remove(at: at)
            }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            // A number becomes a hostile one.
            let numbers = Self.numberRanges(in: lines[line])
            guard let range = numbers.randomElement(using: &g) else { return mutateOnce(text, using: &g) }
            lines[line].replaceSubrange(range, with: Self.numbers.randomElement(using: &g)!)
        case 2:
            // A token inserted anywhere in a line.
            let chars = Array(lines[line])
            let at = chars.isEmpty ? 0 : Int.random(in: 0...chars.count, using: &g)
            lines[line] = String(chars[..<at]) + Self.tokens.randomElement(using: &g)! + String(chars[at...])
        case 3:
            // YAML structure: delete, duplicate or swap lines, change an indent.
            switch Int.random(in: 0..<4, using: &g) {
            case 0: if lines.count > 1 { lines.remove(at: line) }
            case 1: lines.insert(lines[line], at: line)
            case 2:
                let other = Int.random(in: 0..<lines.count, using: &g)
                lines.swapAt(line, other)
            default:
                lines[line] = Bool.random(using: &g) ? "  " + lines[line] : String(lines[line].dropFirst(min(2, lines[line].count)))
            }
        case 4:
            // A value takes another type.
            guard let colon = lines[line].range(of: ": ") else { return mutateOnce(text, using: &g) }
            let end = lines[line].firstIndex(where: { $0 == "," || $0 == "}" }) ?? lines[line].endIndex
            let valueEnd = end > colon.upperBound ? end : lines[line].endIndex
            lines[line].replaceSubrange(colon.upperBound..<valueEnd, with: Self.values.randomElement(using: &g)!)
        case 5:
            // A field that names a file names a hostile one.
            let field = Self.fileFields.randomElement(using: &g)!
            if let i = lines.firstIndex(where: { $0.contains("\(field): ") && $0.contains(".") }) ?? lines.indices.randomElement(using: &g),
               let range = lines[i].range(of: "\(field): ") {
                let rest = lines[i][range.upperBound...]
                let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? lines[i].endIndex
                lines[i].replaceSubrange(range.upperBound..<end, with: Self.paths.randomElement(using: &g)!)
            } else {
                lines.insert("    \(field): \(Self.paths.randomElement(using: &g)!)", at: line)
            }
        case 6:
            // A line spliced in from another lesson or scene.
            guard let donor = donors.randomElement(using: &g) else { return text }
            let donorLines = donor.components(separatedBy: "\n")
            lines.insert(donorLines.randomElement(using: &g) ?? "", at: line)
        case 7:
            // A key renamed to a near miss, or a key that exists elsewhere.
            guard let colon = lines[line].firstIndex(of: ":") else { return mutateOnce(text, using: &g) }
            let keys = ["kind", "at", "radius", "size", "text", "repeat", "steps", "objects", "define", "params", "on", "duration",
                        "line", "until", "id", "target", "do", "color", "sections", "lecture_lines", "scene", "video", "narration"]
            let start = lines[line].firstIndex(where: { $0 != " " && $0 != "-" && $0 != "{" }) ?? lines[line].startIndex
            if start < colon { lines[line].replaceSubrange(start..<colon, with: keys.randomElement(using: &g)!) }
        default:
            // A long or deep value.
            let deep = String(repeating: "[", count: Int.random(in: 1...300, using: &g))
            let long = String(repeating: "x", count: Int.random(in: 1...5000, using: &g))
            lines.insert(Bool.random(using: &g) ? "    deep: \(deep)" : "    title: \(long)", at: line)
        }
        return lines.joined(separator: "\n")
    }

    /// Where numbers are in a line.
    static func numberRanges(in line: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var i = line.startIndex
        while i < line.endIndex {
            if line[i].isNumber {
                var j = i
                while j < line.endIndex, line[j].isNumber || line[j] == "." || line[j] == "e" { j = line.index(after: j) }
                ranges.append(i..<j)
                i = j
            } else {
                i = line.index(after: i)
            }
        }
        return ranges
    }
}

/// Random expression trees for the scene evaluator, with a reference evaluation of the same
/// tree, so `MathExpression` can be checked against what each expression means.
public indirect enum ExpressionTree: Sendable, CustomStringConvertible {
    case number(Double)
    case x
    case unary(String, ExpressionTree)
    case negate(ExpressionTree)
    case binary(String, ExpressionTree, ExpressionTree)
    case function(String, ExpressionTree, ExpressionTree)
    case condition(ExpressionTree, ExpressionTree, ExpressionTree)
    case sum(Int, Int, ExpressionTree)

    static let unaryNames = ["sin", "cos", "exp", "log", "sqrt", "abs", "floor", "ceil", "atan"]
    static let functionNames = ["min", "max", "atan2"]
    static let operators = ["+", "-", "*", "/", "^", "<", ">"]
    static let specialNumbers: [Double] = [0, 1, 2, 0.5, 1e-320, 1e308, 1e19, 9.3e18, 3.75, 1e9, 1e-9, 10, 1e300]

    /// A random tree at most `depth` deep; `k` names the variable of an enclosing sum.
    public static func random(depth: Int, using g: inout SeededGenerator, inSum: Bool = false) -> ExpressionTree {
        if depth <= 0 || Int.random(in: 0..<4, using: &g) == 0 {
            return Bool.random(using: &g) ? .x : .number(specialNumbers.randomElement(using: &g)!)
        }
        switch Int.random(in: 0..<8, using: &g) {
        case 0, 1: return .binary(operators.randomElement(using: &g)!, random(depth: depth - 1, using: &g, inSum: inSum),
                                  random(depth: depth - 1, using: &g, inSum: inSum))
        case 2: return .unary(unaryNames.randomElement(using: &g)!, random(depth: depth - 1, using: &g, inSum: inSum))
        case 3: return .negate(random(depth: depth - 1, using: &g, inSum: inSum))
        case 4: return .function(functionNames.randomElement(using: &g)!, random(depth: depth - 1, using: &g, inSum: inSum),
                                 random(depth: depth - 1, using: &g, inSum: inSum))
        case 5: return .condition(random(depth: depth - 1, using: &g, inSum: inSum), random(depth: depth - 1, using: &g, inSum: inSum),
                                  random(depth: depth - 1, using: &g, inSum: inSum))
        case 6 where !inSum:
            let from = Int.random(in: -5...5, using: &g)
            return .sum(from, from + Int.random(in: -1...20, using: &g), random(depth: depth - 1, using: &g, inSum: true))
        default: return .binary("*", random(depth: depth - 1, using: &g, inSum: inSum), .number(specialNumbers.randomElement(using: &g)!))
        }
    }

    /// The source text, fully bracketed so that precedence is never in question.
    public var description: String {
        switch self {
        case .number(let v): "\(v)"
        case .x: "x"
        case .unary(let f, let a): "\(f)(\(a))"
        case .negate(let a): "(-(\(a)))"
        case .binary(let op, let a, let b): "((\(a)) \(op) (\(b)))"
        case .function(let f, let a, let b): "\(f)(\(a), \(b))"
        case .condition(let c, let a, let b): "((\(c)) ? (\(a)) : (\(b)))"
        case .sum(let from, let to, let term): "sum(k, \(from), \(to), \(term.description.replacingOccurrences(of: "x", with: "(x + k)")))"
        }
    }

    /// What the expression means, computed directly from the tree.
    public func value(x: Double) -> Double {
        switch self {
        case .number(let v): return v
        case .x: return x
        case .unary(let f, let a):
            let v = a.value(x: x)
            switch f {
            case "sin": return sin(v)
            case "cos": return cos(v)
            case "exp": return exp(v)
            case "log": return log(v)
            case "sqrt": return sqrt(v)
            case "abs": return abs(v)
            case "floor": return floor(v)
            case "ceil": return ceil(v)
            default: return atan(v)
            }
        case .negate(let a): return -a.value(x: x)
        case .binary(let op, let a, let b):
            let l = a.value(x: x), r = b.value(x: x)
            switch op {
            case "+": return l + r
            case "-": return l - r
            case "*": return l * r
            case "/": return l / r
            case "^": return pow(l, r)
            case "<": return l < r ? 1 : 0
            default: return l > r ? 1 : 0
            }
        case .function(let f, let a, let b):
            let l = a.value(x: x), r = b.value(x: x)
            switch f {
            case "min": return Swift.min(l, r)
            case "max": return Swift.max(l, r)
            default: return atan2(l, r)
            }
        case .condition(let c, let a, let b): return c.value(x: x) != 0 ? a.value(x: x) : b.value(x: x)
        case .sum(let from, let to, let term):
            guard to >= from else { return 0 }
            var total = 0.0
            for k in from...to { total += term.value(x: x + Double(k)) }
            return total
        }
    }

    /// Whether two evaluations agree: both undefined alike, or equal to 1e-9 relative.
    public static func agree(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        return a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b)) || abs(a - b) < 1e-300
    }
}
