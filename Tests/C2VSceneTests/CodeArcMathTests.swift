import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// `code` blocks, `arc` moves, math inside text, colour steps on filled shapes.
@Suite struct CodeArcMathTests {
    static let code = """
        params: {shown: 1}
        objects:
          - id: fib
            kind: code
            at: "A1:F5"
            language: python
            lines: shown
            mark: 2
            code: |
              def fib(n):
                  return n  # base
        steps:
          - {line: 1, do: animate, param: shown, to: 2, duration: 1}
        """

    @Test func aCodeBlockKeepsItsSpansAndRevealsLineByLine() throws {
        let scene = try parseScene(Self.code)
        let fib = try #require(scene.objects.first)
        #expect(fib.codeLines == ["def fib(n):", "    return n  # base"])
        #expect(fib.language == "python")
        let spans = try #require(fib.codeSpans)
        #expect(spans[0].first { $0.role == .keyword }?.range == 0..<3, "`def` is a keyword")
        #expect(spans[1].contains { $0.role == .comment })
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        func texts(_ t: Double) -> [String] {
            evaluator.frame(at: t).flatMap(\.items).compactMap { if case .text(let x) = $0 { return x.text } else { return nil } }
        }
        // One line at first, both after the step; `return` is drawn as its own (keyword) run.
        #expect(texts(0.9).contains("def") && !texts(0.9).contains("return"))
        let after = scene.animations[0].end + 0.1
        #expect(texts(after).contains("return"))
        // The marked line has a bar: one filled path without a stroke.
        let bars = evaluator.frame(at: after).flatMap(\.items).filter { if case .path(let p) = $0 { return p.stroke == nil && p.fill != nil } else { return false } }
        #expect(bars.count == 1)
    }

    @Test func codeErrorsPointAtTheirKey() throws {
        let unknown = try #require(singleSceneError("""
            objects:
              - {id: c, kind: code, at: A1, language: pyhton, code: "x = 1"}
            """))
        #expect(position(unknown) == [2, 43])
        #expect(unknown.message.contains("did you mean `python`"))
        let missing = try #require(singleSceneError("""
            objects:
              - {id: c, kind: code, at: A1, code: "x = 1"}
            """))
        #expect(missing.message.hasPrefix("code `c` needs `language`"))
    }

    @Test func anArcShiftBulgesToOneSideAndEndsWhereAStraightOneDoes() throws {
        let scene = try parseScene("""
            objects:
              - {id: a, kind: dot, at: [1000, 600]}
              - {id: b, kind: dot, at: [1160, 600]}
            steps:
              - line: 1
                together:
                  - {do: shift, target: a, by: [160, 0], arc: 180, duration: 1}
                  - {do: shift, target: b, by: [-160, 0], arc: 180, duration: 1}
            """)
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        let step = scene.animations[0]
        func centre(_ id: String, _ t: Double) throws -> Point2 {
            let items = try #require(evaluator.frame(at: t).first { $0.id == id }).items
            return try #require(LayoutCheck.bounds(items, ApproximateTextMeasurer())).center
        }
        let mid = step.start + step.duration / 2
        let a = try centre("a", mid), b = try centre("b", mid)
        // Halfway, both are over the middle, 80 units (the arc's radius) above and below it.
        #expect(abs(a.x - 1080) < 2 && abs(b.x - 1080) < 2, "\(a) \(b)")
        #expect(abs(abs(a.y - 600) - 80) < 2 && abs(abs(b.y - 600) - 80) < 2)
        #expect((a.y - 600) * (b.y - 600) < 0, "they pass on opposite sides")
        let end = try centre("a", step.end + 0.01)
        #expect(abs(end.x - 1160) < 0.5 && abs(end.y - 600) < 0.5)
    }

    @Test func mathInTextIsCheckedAndItsBracesAreTeXs() throws {
        let scene = try parseScene("""
            params: {theta: 0}
            objects:
              - {id: t, kind: text, at: "A1:F1", text: '$\\theta$ = {theta:.1f}, $e^{i\\pi}$'}
            """)
        #expect(scene.objects[0].liveText?.count == 3)
        #expect(scene.objects[0].text == "$\\theta$ = 0.0, $e^{i\\pi}$")
        let bad = try #require(singleSceneError("""
            objects:
              - {id: t, kind: text, at: "A1:F1", text: 'half a turn: $\\frac{1}{$'}
            """))
        #expect(bad.message.hasPrefix("in the formula of `text`"), "\(bad.message)")
        #expect(bad.location?.line == 2)
        #expect(InlineMath.runs("costs $5") == nil, "a single dollar is a dollar")
        #expect(InlineMath.runs("a \\$ b") == nil)
        #expect(InlineMath.runs("x $a$ y")?.map(\.math) == [false, true, false])
    }

    @Test func aColourStepBlendsAFillFromItsOwnColour() throws {
        let scene = try parseScene("""
            objects:
              - {id: r, kind: rectangle, at: B2, color: 0, fill: "#000000"}
            steps:
              - {line: 1, do: color, target: r, color: "#FFFFFF", duration: 1, easing: linear}
            """)
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        let step = scene.animations[0]
        func fill(_ t: Double) throws -> RGBA {
            let items = try #require(evaluator.frame(at: t).first { $0.id == "r" }).items
            for case .path(let p) in items { if let f = p.fill { return f } }
            Issue.record("no fill"); return RGBA(r: 0, g: 0, b: 0, a: 0)
        }
        // Just after the start the fill is still black, not the stroke's accent.
        let early = try fill(step.start + 0.01)
        #expect(early.r < 0.05 && early.g < 0.05 && early.b < 0.05, "\(early)")
        let half = try fill(step.start + 0.5)
        #expect(abs(half.r - 0.5) < 0.05)
    }
}

/// Titles that shrink or wrap, lecture lines without a widow, as the Critic measures them.
@Suite struct TitleAndLineLayoutTests {
    /// Every character 20 units wide at size 40 (0.5 em), rows of 1.25 em.
    struct Fixed: TextMeasuring {
        func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
            let w = Double(text.count) * fontSize * 0.5
            guard let wrap = wrapWidth, w > wrap else { return (w, fontSize * 1.25) }
            // Greedy word wrap, as Pango does.
            var rows = 1, x = 0.0
            for word in text.split(separator: " ") {
                let ww = Double(word.count) * fontSize * 0.5
                if x > 0, x + fontSize * 0.5 + ww > wrap { rows += 1; x = ww } else { x += (x > 0 ? fontSize * 0.5 : 0) + ww }
            }
            return (wrap, fontSize * 1.25 * Double(rows))
        }
    }

    @Test func aLongTitleShrinksThenWraps() {
        let short = SceneLayout.titleLayout("Short", measurer: Fixed())
        #expect(short.fontSize == SceneLayout.titleFontSize && short.wrapWidth == nil)
        // 70 characters at 60 units is 2100 wide: shrunk to fit 1800.
        let longer = SceneLayout.titleLayout(String(repeating: "a", count: 70), measurer: Fixed())
        #expect(longer.wrapWidth == nil && longer.fontSize < 60 && longer.fontSize >= SceneLayout.smallestTitleFontSize)
        #expect(Double(70) * longer.fontSize * 0.5 <= SceneLayout.titleBar.width)
        // Far too long for one row even at the smallest size: two rows at 44.
        let longest = SceneLayout.titleLayout(Array(repeating: "word", count: 30).joined(separator: " "), measurer: Fixed())
        #expect(longest.fontSize == SceneLayout.smallestTitleFontSize && longest.wrapWidth == SceneLayout.titleBar.width)
    }

    @Test func aLectureLineLeavesNoWordAloneOnItsLastRow() {
        let m = Fixed()
        // Half an em a character: the column holds `perRow` characters at the line size.
        let size = SceneLayout.lineFontSize
        let full = SceneLayout.lectureColumn.width - 36
        let perRow = Int(full / (size * 0.5))
        // Words that fill the first row exactly, then one more word: a widow at the full width.
        var words: [String] = []
        var used = 0
        while used + 6 <= perRow { words.append("abcde"); used += 6 }
        words.append(String(repeating: "z", count: perRow - used + 2))
        let text = words.joined(separator: " ")
        #expect(m.measure(text, fontSize: size, bold: true, wrapWidth: full).height == size * 1.25 * 2)
        let wrap = SceneLayout.lineWrapWidth(text, bold: true, measurer: m)
        #expect(wrap < full)
        // Narrower, the last row holds two words and the line still takes two rows.
        #expect(m.measure(text, fontSize: size, bold: true, wrapWidth: wrap).height == size * 1.25 * 2)
        let withoutLast = words.dropLast().joined(separator: " ")
        #expect(m.measure(withoutLast, fontSize: size, bold: true, wrapWidth: wrap).height == size * 1.25 * 2)
        // A line that fits one row is left alone.
        #expect(SceneLayout.lineWrapWidth("a short line of words", bold: true, measurer: m) == full)
    }
}
