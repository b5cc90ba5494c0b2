import C2VUtil

/// What the parser knows by name: symbols, operators, spacing, colours. Plain immutable data.
enum MathSymbols {
    struct Symbol: Sendable {
        var text: String
        var atomClass: MathAtomClass
        var kind: MathCharKind = .upright
    }

    /// `\name` -> symbol. Lowercase Greek is italic, as in TeX; uppercase Greek is upright.
    static let symbols: [String: Symbol] = {
        var table: [String: Symbol] = [:]
        let lowerGreek: [(String, String)] = [
            ("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"), ("epsilon", "ϵ"),
            ("varepsilon", "ε"), ("zeta", "ζ"), ("eta", "η"), ("theta", "θ"), ("vartheta", "ϑ"),
            ("iota", "ι"), ("kappa", "κ"), ("lambda", "λ"), ("mu", "μ"), ("nu", "ν"), ("xi", "ξ"),
            ("omicron", "ο"), ("pi", "π"), ("varpi", "ϖ"), ("rho", "ρ"), ("varrho", "ϱ"),
            ("sigma", "σ"), ("varsigma", "ς"), ("tau", "τ"), ("upsilon", "υ"), ("phi", "ϕ"),
            ("varphi", "φ"), ("chi", "χ"), ("psi", "ψ"), ("omega", "ω"),
        ]
        for (name, text) in lowerGreek { table[name] = Symbol(text: text, atomClass: .ord, kind: .variable) }
        let upperGreek: [(String, String)] = [
            ("Gamma", "Γ"), ("Delta", "Δ"), ("Theta", "Θ"), ("Lambda", "Λ"), ("Xi", "Ξ"), ("Pi", "Π"),
            ("Sigma", "Σ"), ("Upsilon", "Υ"), ("Phi", "Φ"), ("Psi", "Ψ"), ("Omega", "Ω"),
        ]
        for (name, text) in upperGreek { table[name] = Symbol(text: text, atomClass: .ord) }
        let byClass: [(MathAtomClass, [(String, String)])] = [
            (.bin, [
                ("cdot", "⋅"), ("times", "×"), ("div", "÷"), ("pm", "±"), ("mp", "∓"), ("cup", "∪"),
                ("cap", "∩"), ("setminus", "∖"), ("circ", "∘"), ("ast", "∗"), ("wedge", "∧"),
                ("land", "∧"), ("vee", "∨"), ("lor", "∨"), ("oplus", "⊕"), ("otimes", "⊗"),
                ("bullet", "∙"),
            ]),
            (.rel, [
                ("le", "≤"), ("leq", "≤"), ("ge", "≥"), ("geq", "≥"), ("ne", "≠"), ("neq", "≠"),
                ("approx", "≈"), ("equiv", "≡"), ("sim", "∼"), ("simeq", "≃"), ("cong", "≅"),
                ("propto", "∝"), ("to", "→"), ("rightarrow", "→"), ("leftarrow", "←"), ("gets", "←"),
                ("leftrightarrow", "↔"), ("mapsto", "↦"), ("Rightarrow", "⇒"), ("Leftarrow", "⇐"),
                ("Leftrightarrow", "⇔"), ("implies", "⟹"), ("iff", "⟺"), ("in", "∈"),
                ("notin", "∉"), ("ni", "∋"), ("subset", "⊂"), ("supset", "⊃"), ("subseteq", "⊆"),
                ("supseteq", "⊇"), ("perp", "⊥"), ("parallel", "∥"), ("ll", "≪"), ("gg", "≫"),
                ("mid", "∣"), ("coloneqq", "≔"),
            ]),
            (.ord, [
                ("infty", "∞"), ("partial", "∂"), ("nabla", "∇"), ("ldots", "…"), ("dots", "…"),
                ("cdots", "⋯"), ("vdots", "⋮"), ("ddots", "⋱"), ("forall", "∀"), ("exists", "∃"),
                ("emptyset", "∅"), ("varnothing", "∅"), ("hbar", "ℏ"), ("ell", "ℓ"), ("prime", "′"),
                ("angle", "∠"), ("triangle", "△"), ("neg", "¬"), ("lnot", "¬"), ("aleph", "ℵ"),
                ("Re", "ℜ"), ("Im", "ℑ"), ("degree", "°"), ("%", "%"), ("&", "&"), ("_", "_"),
                ("#", "#"), ("$", "$"), ("|", "‖"), ("Vert", "‖"), ("vert", "|"),
            ]),
            (.open, [("{", "{"), ("lbrace", "{"), ("langle", "⟨"), ("lfloor", "⌊"), ("lceil", "⌈")]),
            (.close, [("}", "}"), ("rbrace", "}"), ("rangle", "⟩"), ("rfloor", "⌋"), ("rceil", "⌉")]),
            (.punct, [("colon", ":")]),
        ]
        for (atomClass, entries) in byClass {
            for (name, text) in entries { table[name] = Symbol(text: text, atomClass: atomClass) }
        }
        return table
    }()

    /// Single source characters that are not letters or digits.
    static func character(_ c: Character) -> Symbol? {
        switch c {
        case "+": Symbol(text: "+", atomClass: .bin)
        case "-": Symbol(text: "−", atomClass: .bin)
        case "*": Symbol(text: "∗", atomClass: .bin)
        case "=", "<", ">": Symbol(text: String(c), atomClass: .rel)
        case ":": Symbol(text: ":", atomClass: .rel)
        case ",", ";": Symbol(text: String(c), atomClass: .punct)
        case "(", "[": Symbol(text: String(c), atomClass: .open)
        case ")", "]", "!", "?": Symbol(text: String(c), atomClass: .close)
        case "|", "/", ".", "@", "\"": Symbol(text: String(c), atomClass: .ord)
        default: nil
        }
    }

    /// Big operators: glyph and whether limits go above/below in display style.
    static let bigOperators: [String: (text: String, limits: Bool)] = [
        "sum": ("∑", true), "prod": ("∏", true), "coprod": ("∐", true), "bigcup": ("⋃", true),
        "bigcap": ("⋂", true), "bigoplus": ("⨁", true), "bigotimes": ("⨂", true),
        "int": ("∫", false), "iint": ("∬", false), "iiint": ("∭", false), "oint": ("∮", false),
    ]

    /// Operator names set upright; `true` where limits go below in display style (`\lim`).
    static let functions: [String: Bool] = [
        "sin": false, "cos": false, "tan": false, "cot": false, "sec": false, "csc": false,
        "sinh": false, "cosh": false, "tanh": false, "coth": false, "arcsin": false, "arccos": false,
        "arctan": false, "log": false, "ln": false, "lg": false, "exp": false, "arg": false,
        "deg": false, "dim": false, "ker": false, "hom": false,
        "lim": true, "max": true, "min": true, "sup": true, "inf": true, "det": true, "gcd": true,
        "Pr": true, "limsup": true, "liminf": true, "argmax": true, "argmin": true,
    ]

    /// Explicit spaces in mu (1/18 em).
    static let spaces: [String: Double] = [
        ",": 3, ":": 4, ">": 4, ";": 5, "!": -3, " ": 6, "quad": 18, "qquad": 36,
        "thinspace": 3, "medspace": 4, "thickspace": 5, "negthinspace": -3, "enspace": 9,
    ]

    static let accents: [String: (MathAccent, wide: Bool)] = [
        "hat": (.hat, false), "widehat": (.hat, true), "bar": (.bar, false), "vec": (.vec, false),
        "overrightarrow": (.vec, true), "dot": (.dot, false), "ddot": (.ddot, false),
        "tilde": (.tilde, false), "widetilde": (.tilde, true),
    ]

    static let fonts: [String: MathFontVariant] = [
        "mathrm": .roman, "mathbf": .bold, "mathit": .italic, "mathbb": .blackboard,
        "mathnormal": .normal, "boldsymbol": .bold,
    ]

    /// `\big` family: size in em and the class the delimiter gets.
    static let bigDelimiters: [String: (size: Double, atomClass: MathAtomClass?)] = {
        var table: [String: (Double, MathAtomClass?)] = [:]
        // Larger than TeX's 1.2/1.8/2.4/3.0 em: DejaVu's own parentheses are already ~1.2 em tall.
        for (name, size) in [("big", 1.5), ("Big", 2.1), ("bigg", 2.7), ("Bigg", 3.3)] {
            table[name] = (size, nil)
            table[name + "l"] = (size, .open)
            table[name + "r"] = (size, .close)
            table[name + "m"] = (size, .rel)
        }
        return table
    }()

    /// Commands handled by the parser itself (arguments, environments, sizing).
    static let structural: [String] = [
        "frac", "dfrac", "tfrac", "binom", "sqrt", "left", "right", "begin", "end", "text", "textrm",
        "mbox", "operatorname", "overline", "underline", "color", "textcolor", "mathid",
        "limits", "nolimits",
    ]

    /// Every command name, for "did you mean".
    static let allCommands: [String] = {
        var names = Set(symbols.keys)
        names.formUnion(bigOperators.keys)
        names.formUnion(functions.keys)
        names.formUnion(spaces.keys.filter { $0.count > 1 })
        names.formUnion(accents.keys)
        names.formUnion(fonts.keys)
        names.formUnion(bigDelimiters.keys)
        names.formUnion(structural)
        return names.filter { $0.first?.isLetter == true }.map { "\\" + $0 }.sorted()
    }()

    /// Delimiters after `\left`, `\right`, `\big`: single characters.
    static func delimiter(_ c: Character) -> MathDelimiter? {
        switch c {
        case "(": .leftParen
        case ")": .rightParen
        case "[": .leftBracket
        case "]": .rightBracket
        case "|": .bar
        case ".": MathDelimiter.none
        case "<": .leftAngle
        case ">": .rightAngle
        default: nil
        }
    }

    /// Delimiters written as commands (`\{`, `\langle`, ...).
    static let delimiterCommands: [String: MathDelimiter] = [
        "{": .leftBrace, "}": .rightBrace, "lbrace": .leftBrace, "rbrace": .rightBrace, "|": .doubleBar,
        "Vert": .doubleBar, "vert": .bar, "langle": .leftAngle, "rangle": .rightAngle,
        "lfloor": .leftFloor, "rfloor": .rightFloor, "lceil": .leftCeil, "rceil": .rightCeil,
    ]

    /// Colour names accepted by `\color`, besides `#RRGGBB` / `#RGB`.
    static let colors: [String: RGBColor] = [
        "black": .init(red: 0, green: 0, blue: 0), "white": .init(red: 255, green: 255, blue: 255),
        "red": .init(red: 0xE0, green: 0x3A, blue: 0x3E), "green": .init(red: 0x2E, green: 0xA0, blue: 0x43),
        "blue": .init(red: 0x2F, green: 0x6F, blue: 0xEB), "yellow": .init(red: 0xF2, green: 0xC9, blue: 0x4C),
        "orange": .init(red: 0xF2, green: 0x8C, blue: 0x28), "purple": .init(red: 0x8E, green: 0x44, blue: 0xAD),
        "magenta": .init(red: 0xD0, green: 0x3E, blue: 0xC7), "cyan": .init(red: 0x1C, green: 0xB5, blue: 0xC8),
        "teal": .init(red: 0x14, green: 0x8F, blue: 0x8F), "brown": .init(red: 0x8B, green: 0x57, blue: 0x2A),
        "pink": .init(red: 0xF4, green: 0x8F, blue: 0xB1), "gray": .init(red: 0x88, green: 0x88, blue: 0x88),
        "grey": .init(red: 0x88, green: 0x88, blue: 0x88),
    ]

    /// `\mathbb` letters: the Unicode double-struck forms (ℝ, ℕ, ... or the math alphanumerics).
    static func blackboard(_ text: String) -> String {
        let special: [Character: String] = ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"]
        return String(text.flatMap { c -> [Character] in
            if let s = special[c] { return Array(s) }
            guard let ascii = c.asciiValue else { return [c] }
            let base: UInt32
            switch ascii {
            case 65...90: base = 0x1D538 + UInt32(ascii - 65)
            case 97...122: base = 0x1D552 + UInt32(ascii - 97)
            case 48...57: base = 0x1D7D8 + UInt32(ascii - 48)
            default: return [c]
            }
            return Unicode.Scalar(base).map { [Character($0)] } ?? [c]
        })
    }
}
