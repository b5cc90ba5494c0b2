import C2VUtil

/// A mistake in a formula's source, with the 0-based character offset where it was found.
public struct MathSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based offset in characters (grapheme clusters) into the formula source.
    public var offset: Int
    /// One line saying what is wrong and, where there is one, the nearest valid spelling.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "offset \(offset): \(message)" }
}

/// A parsed TeX-subset formula, checked once and typeset many times.
///
/// Nothing in the source is ever executed: it is read into a small tree of atoms that
/// ``MathTypesetter`` lays out.
public struct MathFormula: Sendable, Hashable {
    /// The longest source accepted, so a runaway string cannot make layout slow.
    public static let maxLength = 4000
    /// The deepest nesting of groups, arguments and environments accepted.
    public static let maxDepth = 64

    /// The formula as written.
    public let source: String
    /// The names given with `\mathid{name}{...}`, in source order.
    public let partNames: [String]
    let nodes: [MathNode]

    /// Parses `source`; throws the first mistake with its character offset.
    public init(_ source: String) throws(MathSyntaxError) {
        var parser = MathParser(source)
        nodes = try parser.parseFormula()
        partNames = parser.partNames
        self.source = source
    }

    public static func == (a: MathFormula, b: MathFormula) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// TeX's atom classes; they decide the space between neighbours.
enum MathAtomClass: Int, Sendable {
    case ord, op, bin, rel, open, close, punct, inner
}

/// How a character chooses its face when no `\math..` font command says otherwise.
enum MathCharKind: Sendable, Equatable {
    /// Latin and lowercase Greek letters: math italic.
    case variable
    /// Digits, operators, uppercase Greek: upright.
    case upright
    /// Primes after a base: upright, and a following subscript tucks in under them.
    case prime
}

/// `\mathrm` and friends.
enum MathFontVariant: Sendable, Equatable {
    case normal, roman, bold, italic, blackboard
}

/// Whether a big operator puts its scripts above/below or beside it.
enum MathLimits: Sendable, Equatable {
    /// Above and below in display style only (`\sum`, `\lim`); beside for `\int`.
    case auto
    case limits
    case nolimits
}

/// A delimiter that `\left`, `\right` and `\big` can size.
enum MathDelimiter: String, Sendable, CaseIterable {
    case none = "."
    case leftParen = "(", rightParen = ")"
    case leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}"
    case bar = "|", doubleBar = "‖"
    case leftAngle = "⟨", rightAngle = "⟩"
    case leftFloor = "⌊", rightFloor = "⌋"
    case leftCeil = "⌈", rightCeil = "⌉"
}

/// Accents drawn as paths over their base, so they stay crisp at any size.
enum MathAccent: Sendable, Equatable {
    case hat, bar, vec, dot, ddot, tilde
}

/// The environments `\begin{...}` knows.
enum MathEnvironment: String, Sendable, CaseIterable {
    case matrix, pmatrix, bmatrix, Bmatrix, vmatrix, Vmatrix, cases

    var delimiters: (MathDelimiter, MathDelimiter) {
        switch self {
        case .matrix: (.none, .none)
        case .pmatrix: (.leftParen, .rightParen)
        case .bmatrix: (.leftBracket, .rightBracket)
        case .Bmatrix: (.leftBrace, .rightBrace)
        case .vmatrix: (.bar, .bar)
        case .Vmatrix: (.doubleBar, .doubleBar)
        case .cases: (.leftBrace, .none)
        }
    }
}

/// Fraction flavours: `\frac` follows the style, `\dfrac`/`\tfrac` force one, `\binom` has no rule.
struct MathFractionKind: Sendable, Equatable {
    var forcedDisplay: Bool?
    var hasRule = true
    var delimiters: (MathDelimiter, MathDelimiter) = (.none, .none)

    static func == (a: Self, b: Self) -> Bool {
        a.forcedDisplay == b.forcedDisplay && a.hasRule == b.hasRule
            && a.delimiters.0 == b.delimiters.0 && a.delimiters.1 == b.delimiters.1
    }
}

/// One node of a parsed formula. Lists of nodes are laid out left to right as TeX's math lists.
indirect enum MathNode: Sendable {
    /// A character or symbol, e.g. `x`, `12.5`, `\alpha`, `+`.
    case char(String, MathAtomClass, MathCharKind)
    /// A big operator glyph (`\sum`) or an operator name (`\sin`, `\operatorname{...}`).
    case op(String, isSymbol: Bool, limits: MathLimits)
    /// `{...}`: an ordinary atom made of a sub-list.
    case group([MathNode])
    /// A base with a superscript and/or subscript.
    case scripts(base: MathNode, sup: [MathNode]?, sub: [MathNode]?)
    case fraction(numerator: [MathNode], denominator: [MathNode], MathFractionKind)
    case radical(body: [MathNode], index: [MathNode]?)
    /// `\left ... \right`.
    case delimited(MathDelimiter, [MathNode], MathDelimiter)
    /// `\big(` and friends: a delimiter of fixed size (in em) with its class.
    case bigDelimiter(MathDelimiter, size: Double, MathAtomClass)
    case font(MathFontVariant, [MathNode])
    /// `\text{...}`: upright text with its spaces kept.
    case text(String)
    case accent(MathAccent, wide: Bool, [MathNode])
    case overline([MathNode])
    case underline([MathNode])
    /// Explicit space in mu (1/18 em).
    case space(mu: Double)
    case environment(MathEnvironment, rows: [[[MathNode]]])
    case color(RGBColor, [MathNode])
    /// `\mathid{name}{...}`: a named sub-part whose box the caller can find.
    case named(String, [MathNode])
}
