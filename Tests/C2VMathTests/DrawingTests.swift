import Foundation
import Testing
@testable import C2VMath

/// Drawing: glyph-by-glyph reveal, fading, and a timing probe for the lead's benchmark.
@Suite struct MathDrawingTests {
    static let fourier = #"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} \left( a_n \cos(nx) + b_n \sin(nx) \right)"#

    /// Pixels noticeably darker than the white background.
    func inkedPixels(_ canvas: MathCanvas) -> Int {
        var count = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where canvas.pixel(x: x, y: y).r < 200 { count += 1 }
        }
        return count
    }

    func render(_ box: MathBox, _ typesetter: MathTypesetter, glyphLimit: Int?, alpha: Double = 1) throws -> MathCanvas {
        let canvas = try MathCanvas(width: Int(box.width) + 20, height: Int(box.ascent + box.descent) + 20)
        typesetter.draw(box, on: canvas.context, x: 10, baseline: 10 + box.ascent, color: (0, 0, 0, alpha), glyphLimit: glyphLimit)
        return canvas
    }

    @Test func glyphLimitRevealsTheFormulaInOrder() throws {
        let typesetter = try MathTypesetter()
        let box = typesetter.layout(try MathFormula(Self.fourier), fontSize: 30, display: true)
        // f ( x ) =, a 0 rule 2, +, ∑ ∞ n = 1, ( a n c o s ( n x ) + b n s i n ( n x ) ): runs count characters.
        #expect(box.glyphCount == 36)
        var previous = -1
        for limit in [0, 1, 5, 12, 20, 33, box.glyphCount] {
            let ink = inkedPixels(try render(box, typesetter, glyphLimit: limit))
            #expect(ink > previous, "revealing \(limit) glyphs should add ink (\(ink) after \(previous))")
            previous = ink
        }
        #expect(inkedPixels(try render(box, typesetter, glyphLimit: 0)) == 0)
        let all = inkedPixels(try render(box, typesetter, glyphLimit: nil))
        #expect(all == previous, "nil limit draws everything")
    }

    @Test func aPartialRunIsClippedAtACharacterBoundary() throws {
        let typesetter = try MathTypesetter()
        let box = typesetter.layout(try MathFormula(#"\text{abc}"#), fontSize: 30, display: false)
        #expect(box.glyphCount == 3)
        let one = inkedPixels(try render(box, typesetter, glyphLimit: 1))
        let two = inkedPixels(try render(box, typesetter, glyphLimit: 2))
        let three = inkedPixels(try render(box, typesetter, glyphLimit: 3))
        #expect(0 < one && one < two && two < three)
    }

    @Test func alphaFadesEvenly() throws {
        let typesetter = try MathTypesetter()
        let box = typesetter.layout(try MathFormula(#"\sqrt{x} + \left( \frac{a}{b} \right)"#), fontSize: 40, display: true)
        let solid = try render(box, typesetter, glyphLimit: nil)
        let faded = try render(box, typesetter, glyphLimit: nil, alpha: 0.5)
        var darkest = 255
        for y in 0..<faded.height { for x in 0..<faded.width { darkest = min(darkest, faded.pixel(x: x, y: y).r) } }
        // Black at 50% on white is mid grey everywhere, even where strokes of the radical overlap.
        #expect(darkest >= 120 && darkest <= 135, "darkest faded pixel \(darkest)")
        #expect(inkedPixels(solid) > 0)
    }

    @Test func colouredPartsKeepTheirColour() throws {
        let typesetter = try MathTypesetter()
        let box = typesetter.layout(try MathFormula(#"\color{#FF0000}{\overline{MM}} + x"#),
                                    fontSize: 40, display: false)
        let canvas = try render(box, typesetter, glyphLimit: nil)
        var red = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let p = canvas.pixel(x: x, y: y)
                if p.r > 200 && p.g < 60 && p.b < 60 { red += 1 }
            }
        }
        #expect(red > 50, "the coloured letters and bar are red")
    }

    /// Not a test of behaviour: prints typeset + draw times for the Fourier series at 1080p.
    /// Run with `C2V_MATH_BENCH=1 swift test --filter MathDrawingTests/benchmark`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["C2V_MATH_BENCH"] != nil))
    func benchmark() throws {
        let formula = try MathFormula(Self.fourier)
        let canvas = try MathCanvas(width: 1920, height: 1080, background: (0.05, 0.05, 0.08))
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3 }

        var initTimes: [Double] = [], coldTimes: [Double] = []
        for _ in 0..<5 {
            var typesetter: MathTypesetter?
            initTimes.append(ms(try clock.measure { typesetter = try MathTypesetter() }))
            guard let typesetter else { return }
            coldTimes.append(ms(clock.measure {
                let box = typesetter.layout(formula, fontSize: 60, display: true)
                typesetter.draw(box, on: canvas.context, x: 200, baseline: 540, color: (1, 1, 1, 1))
            }))
        }
        let typesetter = try MathTypesetter()
        _ = typesetter.layout(formula, fontSize: 60, display: true)
        let frames = 200
        let cached = ms(clock.measure {
            for i in 0..<frames {
                let box = typesetter.layout(formula, fontSize: 60, display: true)
                typesetter.draw(box, on: canvas.context, x: 200, baseline: 540, color: (1, 1, 1, 1), glyphLimit: i % 40)
            }
        }) / Double(frames)
        let full = ms(clock.measure {
            for _ in 0..<frames {
                let box = typesetter.layout(formula, fontSize: 60, display: true)
                typesetter.draw(box, on: canvas.context, x: 200, baseline: 540, color: (1, 1, 1, 1))
            }
        }) / Double(frames)
        let faded = ms(clock.measure {
            for _ in 0..<frames {
                let box = typesetter.layout(formula, fontSize: 60, display: true)
                typesetter.draw(box, on: canvas.context, x: 200, baseline: 540, color: (1, 1, 1, 0.5))
            }
        }) / Double(frames)
        print("math bench (Fourier series, size 60, 1920x1080):",
              "typesetter init \(initTimes.map { String(format: "%.2f", $0) }) ms;",
              "cold typeset+draw \(coldTimes.map { String(format: "%.2f", $0) }) ms;",
              "cached typeset+draw \(String(format: "%.3f", full)) ms/frame",
              "(\(String(format: "%.3f", cached)) ms while writing on);",
              "cached with alpha 0.5 \(String(format: "%.3f", faded)) ms/frame")
        try canvas.writePNG(to: FileManager.default.temporaryDirectory.appendingPathComponent("c2v-math-bench.png").path)
    }
}
