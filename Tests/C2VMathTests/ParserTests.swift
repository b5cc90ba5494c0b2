import Testing
@testable import C2VMath

/// A malformed formula and the exact error it must give.
struct BadFormula: Sendable, CustomTestStringConvertible {
    var source: String
    var offset: Int
    var message: String
    var testDescription: String { source.count > 40 ? String(source.prefix(40)) + "…" : source }
}

@Suite struct MathParserTests {
    static let badFormulas: [BadFormula] = [
        BadFormula(source: #"\frak{x}"#, offset: 0, message: "unknown command `\\frak`; did you mean `\\frac`?"),
        BadFormula(source: #"a + \alpah"#, offset: 4, message: "unknown command `\\alpah`; did you mean `\\alpha`?"),
        BadFormula(source: #"\zzzzqq"#, offset: 0, message: "unknown command `\\zzzzqq`"),
        BadFormula(source: #"{a+b"#, offset: 0, message: "unbalanced `{`: missing `}`"),
        BadFormula(source: #"\frac{a}{b"#, offset: 8, message: "unbalanced `{`: missing `}`"),
        BadFormula(source: #"a+b}"#, offset: 3, message: "unbalanced `}`: no `{` to close"),
        BadFormula(source: #"\frac{a}"#, offset: 8, message: "missing argument for `\\frac`"),
        BadFormula(source: #"\sqrt"#, offset: 5, message: "missing argument for `\\sqrt`"),
        BadFormula(source: #"x^"#, offset: 2, message: "missing argument for `^`"),
        BadFormula(source: #"x \right)"#, offset: 2, message: "`\\right` without matching `\\left`"),
        BadFormula(source: #"\left( x"#, offset: 0, message: "`\\left` without matching `\\right`"),
        BadFormula(source: #"\left x \right)"#, offset: 6,
                   message: "`\\left` needs a delimiter: ( ) [ ] \\{ \\} | \\| \\langle \\rangle or ."),
        BadFormula(source: #"\begin{matrx} a \end{matrx}"#, offset: 7,
                   message: "unknown environment `matrx`; did you mean `matrix`?"),
        BadFormula(source: #"\begin{pmatrix} a \end{bmatrix}"#, offset: 23,
                   message: "`\\end{bmatrix}` does not match `\\begin{pmatrix}` at offset 0"),
        BadFormula(source: #"\begin{cases} a & b"#, offset: 0,
                   message: "`\\begin{cases}` without matching `\\end{cases}`"),
        BadFormula(source: #"\end{pmatrix}"#, offset: 0, message: "`\\end` without matching `\\begin`"),
        BadFormula(source: #"x^2^3"#, offset: 3, message: "double superscript"),
        BadFormula(source: #"x_1_2"#, offset: 3, message: "double subscript"),
        BadFormula(source: #"x^2'"#, offset: 3, message: "a prime must come before `^` and `_`"),
        BadFormula(source: #"a & b"#, offset: 2, message: "`&` is only allowed inside a matrix or cases environment"),
        BadFormula(source: #"a \\ b"#, offset: 2,
                   message: "`\\\\` (new row) is only allowed inside a matrix or cases environment"),
        BadFormula(source: #"\sqrt[3{x}"#, offset: 5, message: "unbalanced `[`: missing `]` after the root's index"),
        BadFormula(source: #"\color{rde}{x}"#, offset: 7, message: "unknown colour `rde`; did you mean `red`?"),
        BadFormula(source: #"\color{#12345}{x}"#, offset: 7, message: "colour `#12345` is not #RRGGBB or #RGB"),
        BadFormula(source: #"\mathid{a}{x} + \mathid{a}{y}"#, offset: 24, message: "`\\mathid{a}` is used twice"),
        BadFormula(source: #"\mathid{a b}{x}"#, offset: 8,
                   message: "`\\mathid` name must be letters, digits, `_`, `-` or `.`, got `a b`"),
        BadFormula(source: #"$x$"#, offset: 0, message: "`$` is not allowed inside a formula; the formula is already math"),
        BadFormula(source: #"50%"#, offset: 2, message: "`%` starts a comment in TeX; write `\\%` for a percent sign"),
        BadFormula(source: #"\text{\alpha}"#, offset: 6, message: "`\\alpha` is not allowed inside `\\text{...}`"),
        BadFormula(source: #"x\limits"#, offset: 1, message: "`\\limits` must follow an operator such as `\\sum` or `\\lim`"),
        BadFormula(source: #"x + \"#, offset: 4, message: "lone `\\` at the end of the formula"),
        BadFormula(source: String(repeating: "x", count: 4001), offset: 4000,
                   message: "formula is longer than 4000 characters (4001)"),
        BadFormula(source: String(repeating: "{", count: 70) + "x" + String(repeating: "}", count: 70), offset: 64,
                   message: "formula nests deeper than 64 levels"),
        BadFormula(source: String(repeating: #"\sqrt"#, count: 80) + "x", offset: 320,
                   message: "formula nests deeper than 64 levels"),
    ]

    @Test(arguments: badFormulas)
    func reportsOffsetAndMessage(_ bad: BadFormula) {
        #expect(throws: MathSyntaxError(offset: bad.offset, message: bad.message)) { try MathFormula(bad.source) }
    }

    @Test func offsetsCountCharactersNotBytes() {
        // "α" and "β" are two UTF-8 bytes each but one character.
        #expect(throws: MathSyntaxError(offset: 3, message: "unbalanced `}`: no `{` to close")) { try MathFormula("α+β}") }
    }

    @Test func acceptsTheFourierSeries() throws {
        let formula = try MathFormula(#"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} \left( a_n \cos(nx) + b_n \sin(nx) \right)"#)
        // f ( x ) = frac + sum delimited
        #expect(formula.nodes.count == 9)
        guard case .scripts(.op("∑", isSymbol: true, limits: .auto), let sup?, let sub?) = formula.nodes[7] else {
            Issue.record("expected a sum with limits, got \(formula.nodes[7])")
            return
        }
        #expect(sup.count == 1)
        #expect(sub.count == 3)
        guard case .delimited(.leftParen, let inside, .rightParen) = formula.nodes[8] else {
            Issue.record("expected \\left( ... \\right): \(formula.nodes[8])")
            return
        }
        #expect(inside.count == 13)
    }

    @Test func readsSingleCharacterArgumentsAsTeXDoes() throws {
        let formula = try MathFormula(#"\frac12 + x^23"#)
        guard case .fraction(let numerator, let denominator, _) = formula.nodes[0],
              case .char("1", .ord, .upright) = numerator.first, case .char("2", .ord, .upright) = denominator.first else {
            Issue.record("\\frac12 should read 1 over 2: \(formula.nodes)")
            return
        }
        // `x^23` is x squared, then 3.
        #expect(formula.nodes.count == 4)
        if case .char("3", _, _) = formula.nodes[3] {} else { Issue.record("expected trailing 3: \(formula.nodes[3])") }
    }

    @Test func keepsNumbersTogether() throws {
        let formula = try MathFormula("3.14x")
        guard case .char("3.14", .ord, .upright) = formula.nodes.first else {
            Issue.record("expected one number atom: \(formula.nodes)")
            return
        }
        #expect(formula.nodes.count == 2)
    }

    @Test func collectsPartNamesInOrder() throws {
        let formula = try MathFormula(#"\mathid{lhs}{E} = \mathid{rhs}{m \mathid{c2}{c^2}}"#)
        #expect(formula.partNames == ["lhs", "rhs", "c2"])
    }

    @Test func parsesEnvironmentsIntoRowsAndCells() throws {
        let formula = try MathFormula(#"\begin{bmatrix} 1 & 2 & 3 \\ 4 & 5 & 6 \\ \end{bmatrix}"#)
        guard case .environment(.bmatrix, let rows) = formula.nodes.first else {
            Issue.record("expected a bmatrix: \(formula.nodes)")
            return
        }
        #expect(rows.map(\.count) == [3, 3], "a trailing \\\\ adds no empty row")
    }

    @Test func acceptsEveryConstructInTheBrief() throws {
        let sources = [
            #"\dfrac{a}{b}\sqrt[n]{x}\prod_a^b\int_0^1\oint\lim_{x\to0}"#,
            #"\left[\right]\left\{\right\}\left|\right|\left\|\right\|\left\langle\right\rangle\left.\right."#,
            #"\cdot\times\div\pm\mp\le\leq\ge\geq\ne\neq\approx\equiv\infty\partial\nabla\to\mapsto\Rightarrow\in\subset\cup\cap\ldots\cdots"#,
            #"\mathrm{d}\mathbf{v}\mathit{x}\mathbb{R}\text{if $x$ and \{ \}}\hat a\bar b\vec c\dot d\tilde e\overline{x}\underline{y}"#,
            #"a\,b\;c\:d\!e\quad f\qquad g\operatorname{sgn}\sin\cos\tan\log\ln\exp\max\min"#,
            #"\begin{pmatrix}a\end{pmatrix}\begin{cases}1&x\\2&y\end{cases}\color{blue}{x}\color{#ABC}{y}\mathid{p}{z}"#,
        ]
        for source in sources { _ = try MathFormula(source) }
    }
}
