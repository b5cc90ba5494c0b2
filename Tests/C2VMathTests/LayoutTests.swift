import Testing
@testable import C2VMath

/// Box-model checks: where things land relative to the baseline, the axis and each other.
@Suite struct MathLayoutTests {
    let typesetter: MathTypesetter
    let size = 40.0

    init() throws { typesetter = try MathTypesetter() }

    func box(_ source: String, display: Bool = false) throws -> MathBox {
        typesetter.layout(try MathFormula(source), fontSize: size, display: display)
    }

    /// Position (x, baseline y) of the first glyph run with exactly this text.
    func run(_ text: String, in box: MathBox) -> (x: Double, y: Double)? {
        for item in box.items {
            if case .run(let run, let x, let y) = item.shape, run.text == text { return (x, y) }
        }
        return nil
    }

    @Test func superscriptIsRaisedAndSubscriptLowered() throws {
        let sup = try box("x^2"), sub = try box("x_2"), plain = try box("x")
        let raised = try #require(run("2", in: sup)), lowered = try #require(run("2", in: sub))
        #expect(raised.y < -0.3 * size, "superscript baseline \(raised.y) should be well above the baseline")
        #expect(lowered.y > 0.1 * size, "subscript baseline \(lowered.y) should be below the baseline")
        #expect(raised.x >= plain.width - 0.01, "superscript starts after the base")
        #expect(sup.ascent > plain.ascent)
        #expect(sub.descent > plain.descent)
        // Scripts are set smaller.
        guard case .run(let script, _, _) = sup.items[1].shape else { Issue.record("no script run"); return }
        #expect(abs(script.size - 0.7 * size) < 1e-9)
    }

    @Test func bothScriptsStackWithAGap() throws {
        let both = try box(#"x^{\mathid{up}{2}}_{\mathid{down}{i}}"#)
        let up = try #require(both.parts["up"]), down = try #require(both.parts["down"])
        #expect(up.maxY < down.y, "superscript \(up) must sit above subscript \(down)")
    }

    @Test func fractionPutsNumeratorAboveRuleAndDenominatorBelow() throws {
        for display in [true, false] {
            let fraction = try box(#"\frac{\mathid{num}{a+b}}{\mathid{den}{c_d}}"#, display: display)
            let num = try #require(fraction.parts["num"]), den = try #require(fraction.parts["den"])
            let rules = fraction.items.compactMap { item -> MathRect? in
                if case .rule(let rect) = item.shape { return rect }
                return nil
            }
            let rule = try #require(rules.first)
            #expect(rules.count == 1)
            #expect(num.maxY <= rule.y, "numerator \(num) above the rule \(rule)")
            #expect(den.y >= rule.maxY, "denominator \(den) below the rule \(rule)")
            #expect(rule.midY < 0, "the rule sits on the axis, above the baseline")
            #expect(abs(num.midX - rule.midX) < 0.01 && abs(den.midX - rule.midX) < 0.01, "both centred on the rule")
        }
        let display = try box(#"\frac{a}{b}"#, display: true), inline = try box(#"\frac{a}{b}"#)
        #expect(display.ascent > inline.ascent, "display fractions are taller")
    }

    @Test func leftRightDelimitersGrowWithTheirContent() throws {
        let small = try box(#"\left( x \right)"#, display: true)
        let tall = try box(#"\left( \mathid{f}{\frac{a}{b}} \right)"#, display: true)
        let fraction = try #require(tall.parts["f"])
        #expect(tall.ascent + tall.descent > 1.5 * (small.ascent + small.descent))
        // The stretched parenthesis covers nearly all of the fraction (TeX allows a 10% shortfall).
        let extent = try #require(pathExtent(tall.items[0]))
        #expect(extent.top <= fraction.y + 0.1 * fraction.height)
        #expect(extent.bottom >= fraction.maxY - 0.1 * fraction.height)
        #expect(fraction.x > extent.right - 0.01, "the fraction starts after the parenthesis")
    }

    @Test func displaySumCentresItsLimits() throws {
        let sumWidth = try box(#"\sum"#, display: true).width
        let sum = try box(#"\sum_{\mathid{lo}{n=1}}^{\mathid{hi}{N}}"#, display: true)
        let lo = try #require(sum.parts["lo"]), hi = try #require(sum.parts["hi"])
        #expect(abs(lo.midX - sum.width / 2) < 0.01)
        #expect(abs(hi.midX - sum.width / 2) < 0.01)
        let sign = try #require(run("∑", in: sum))
        #expect(abs(sign.x + sumWidth / 2 - sum.width / 2) < 0.01, "the sign is centred too")
        #expect(hi.maxY < -0.5 * size, "upper limit above the sign")
        #expect(lo.y > 0.2 * size, "lower limit below the sign")
    }

    @Test func inlineSumPutsLimitsBeside() throws {
        let sumWidth = try box(#"\sum"#).width
        let sum = try box(#"\sum_{\mathid{lo}{n=1}}^{\mathid{hi}{N}}"#)
        let lo = try #require(sum.parts["lo"]), hi = try #require(sum.parts["hi"])
        #expect(lo.x >= sumWidth - 0.01 && hi.x >= sumWidth - 0.01, "limits start right of the sign")
        #expect(hi.maxY < 0 && lo.maxY > 0)
        let display = try box(#"\sum_{n=1}^{N}"#, display: true)
        #expect(sum.width > display.width, "beside is wider than above/below here")
    }

    @Test func limUsesLimitsBelowOnlyInDisplay() throws {
        let display = try box(#"\lim_{\mathid{lo}{x\to0}} f"#, display: true)
        let inline = try box(#"\lim_{\mathid{lo}{x\to0}} f"#)
        let lim = try box(#"\lim"#).width
        #expect(try #require(display.parts["lo"]).x < lim, "below the operator name")
        #expect(try #require(inline.parts["lo"]).x >= lim - 0.01, "beside the operator name")
    }

    @Test func binaryOperatorsGetMediumSpaceAndRelationsThick() throws {
        let mu = size / 18
        let bin = try box("a+b").width - box("a{+}b").width
        #expect(abs(bin - 8 * mu) < 1e-6, "two medium spaces around +, got \(bin / mu) mu")
        let rel = try box("a=b").width - box("a{=}b").width
        #expect(abs(rel - 10 * mu) < 1e-6, "two thick spaces around =, got \(rel / mu) mu")
        #expect(try box("a+b").width > box("ab").width)
        // A leading minus is unary: no space.
        #expect(abs(try box("-x").width - box("{-}x").width) < 1e-9)
        #expect(abs(try box("(-x)").width - box("({-}x)").width) < 1e-9)
        // No medium/thick spaces in script style.
        let script = try box("x^{a+b}").width - box("x^{a{+}b}").width
        #expect(abs(script) < 1e-9)
    }

    @Test func variablesAreItalicAndFunctionNamesUpright() throws {
        let formula = try box(#"\sin x + 2\alpha\Gamma"#)
        var faces: [String: MathGlyphFace] = [:]
        for item in formula.items { if case .run(let run, _, _) = item.shape { faces[run.text] = run.face } }
        #expect(faces["sin"] == .upright)
        #expect(faces["x"] == .italic)
        #expect(faces["2"] == .upright)
        #expect(faces["α"] == .italic)
        #expect(faces["Γ"] == .upright)
        #expect(faces["+"] == .upright)
    }

    @Test func radicalCoversItsBody() throws {
        let root = try box(#"\sqrt{\mathid{b}{x^2+1}}"#)
        let body = try #require(root.parts["b"])
        let bar = root.items.compactMap { item -> MathRect? in
            if case .rule(let rect) = item.shape { return rect }
            return nil
        }.first
        let rule = try #require(bar)
        #expect(rule.maxY <= body.y, "overbar above the body")
        #expect(rule.x <= body.x && rule.maxX >= body.maxX, "overbar spans the body")
    }

    @Test func matrixIsCentredOnTheAxis() throws {
        let matrix = try box(#"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"#, display: true)
        // Centred on the axis: ascent - descent == 2 * axis height (about a quarter em).
        let centre = (matrix.ascent - matrix.descent) / 2
        #expect(centre > 0.15 * size && centre < 0.35 * size)
        #expect(matrix.glyphCount == 6, "4 cells and 2 stretched parentheses")
    }

    @Test func namedPartsKnowTheirGlyphs() throws {
        let formula = try box(#"E = \mathid{mass}{m} \mathid{light}{c^2}"#)
        #expect(formula.glyphCount == 5)
        #expect(formula.partGlyphs["mass"] == 2..<3)
        #expect(formula.partGlyphs["light"] == 3..<5)
        let mass = try #require(formula.parts["mass"]), light = try #require(formula.parts["light"])
        #expect(mass.maxX <= light.x + 1e-9)
    }

    @Test func colorTagsOnlyItsArgument() throws {
        let formula = try box(#"\color{red}{a} + b"#)
        let colours = formula.items.map(\.color)
        #expect(colours.first.flatMap { $0 } != nil)
        #expect(colours.dropFirst().allSatisfy { $0 == nil })
    }

    @Test func layoutAtAnotherScaleKeepsUnits() throws {
        let formula = try MathFormula(#"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} \left( a_n \cos(nx) + b_n \sin(nx) \right)"#)
        let one = typesetter.layout(formula, fontSize: 30, display: true, scale: 1)
        let two = typesetter.layout(formula, fontSize: 15, display: true, scale: 4)
        #expect(abs(one.width - 2 * two.width) / one.width < 0.03)
        #expect(abs(one.ascent - 2 * two.ascent) / one.ascent < 0.03)
        #expect(two.scale == 4)
    }

    @Test func unknownFontFamilyIsRefusedWithASuggestion() {
        do {
            _ = try MathTypesetter(fontFamily: "DejaVu Serf")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("font family `DejaVu Serf` is not installed; did you mean `DejaVu Serif`?"))
        }
    }

    /// Vertical and horizontal extent of a path item's points.
    func pathExtent(_ item: MathItem) -> (top: Double, bottom: Double, right: Double)? {
        guard case .paths(let paths) = item.shape else { return nil }
        var ys: [Double] = [], xs: [Double] = []
        for path in paths {
            for element in path.elements {
                switch element {
                case .move(let x, let y), .line(let x, let y): xs.append(x); ys.append(y)
                case .curve(_, _, _, _, let x, let y): xs.append(x); ys.append(y)
                default: break
                }
            }
        }
        guard let top = ys.min(), let bottom = ys.max(), let right = xs.max() else { return nil }
        return (top, bottom, right)
    }
}
