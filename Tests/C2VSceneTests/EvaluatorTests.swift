import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// What `SceneEvaluator.frame(at:)` draws: the per-frame items the renderer paints and the Critic measures.
@Suite struct EvaluatorTests {
    func evaluator(_ text: String) throws -> SceneEvaluator {
        try SceneEvaluator(scene: parseScene(text), theme: .default, measurer: FakeMeasurer())
    }

    func ids(_ frame: [ObjectFrame]) -> [String] { frame.map(\.id) }

    func paths(_ frame: [ObjectFrame], _ id: String) -> [PathItem] {
        (frame.first { $0.id == id }?.items ?? []).compactMap { if case .path(let p) = $0 { return p } else { return nil } }
    }

    func points(_ frame: [ObjectFrame], _ id: String) -> [Point2] {
        paths(frame, id).flatMap(\.subpaths).flatMap { $0 }
    }

    func box(_ frame: [ObjectFrame], _ id: String) -> Rect? {
        Polyline.bounds(paths(frame, id).flatMap(\.subpaths))
    }

    func near(_ a: Point2?, _ b: Point2, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
    }

    func near(_ a: RGBA?, _ b: RGBA, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a.r - b.r) <= tolerance && abs(a.g - b.g) <= tolerance && abs(a.b - b.b) <= tolerance && abs(a.a - b.a) <= tolerance
    }

    func center(_ cell: String) -> Point2 { SceneLayout.rect(GridArea(cell)!).center }

    // MARK: lifetimes

    @Test func hiddenBeforeItAppearsAndAfterItFadesOut() throws {
        let e = try evaluator("""
            objects:
              - {id: a, kind: circle, at: B2}
              - {id: b, kind: circle, at: D2, line: 1}
            steps:
              - {do: fade_out, target: a}
            """)
        #expect(ids(e.frame(at: 0)) == [])  // fading in from nothing
        #expect(ids(e.frame(at: 0.3)) == ["a"])
        #expect(ids(e.frame(at: 1.0)) == [])  // `a` faded out by 0.6 s, `b` comes with line 1 at 2.5 s
        #expect(ids(e.frame(at: 2.49)) == [])
        let later = e.frame(at: 3.5)
        #expect(ids(later) == ["b"])
        #expect(paths(later, "b").first?.stroke?.a == 1)
    }

    // MARK: transforms

    @Test func moveLandsTheCentreOnTheAnchor() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: B2, radius: 50, entrance: none}
            steps:
              - {do: move, target: c, to: E4}
            """)
        let start = try #require(box(e.frame(at: 0), "c")).center
        #expect(near(start, center("B2"), 1))
        #expect(near(box(e.frame(at: 0.5), "c")?.center, start.lerp(center("E4"), 0.5)))
        #expect(near(box(e.frame(at: 1.0), "c")?.center, center("E4")))
        #expect(near(box(e.frame(at: 2.0), "c")?.center, center("E4")))
        // Moving does not resize.
        #expect(abs((box(e.frame(at: 2.0), "c")?.width ?? 0) - (box(e.frame(at: 0), "c")?.width ?? -1)) < 1e-9)
    }

    @Test func shiftMovesEveryPointBy() throws {
        let e = try evaluator("""
            objects:
              - {id: r, kind: rectangle, at: C3, size: [200, 100], entrance: none}
            steps:
              - {do: shift, target: r, by: [100, 0], delay: 1}
            """)
        let before = points(e.frame(at: 0.5), "r"), after = points(e.frame(at: 2.5), "r")
        #expect(before.count == 4)
        #expect(after.count == before.count)
        for (p, q) in zip(before, after) { #expect(near(q, Point2(p.x + 100, p.y), 1e-9)) }
        #expect(near(before.first, Point2(center("C3").x - 100, center("C3").y - 50), 1e-9))
    }

    @Test func scaleDoublesTheSizeAndTheStroke() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: B2, radius: 50, entrance: none}
            steps:
              - {do: scale, target: c, factor: 2}
            """)
        let small = try #require(box(e.frame(at: 0), "c")), big = try #require(box(e.frame(at: 1.5), "c"))
        #expect(abs(small.width - 100) < 1)
        #expect(abs(big.width - 2 * small.width) < 1e-9)
        #expect(abs(big.height - 2 * small.height) < 1e-9)
        #expect(near(big.center, small.center, 1e-9))
        #expect(paths(e.frame(at: 1.5), "c").first?.width == 2 * SceneLayout.strokeWidth)
    }

    @Test func rotateTurnsCounterClockwise() throws {
        let e = try evaluator("""
            objects:
              - {id: l, kind: line, from: [1000, 500], to: [1200, 500], entrance: none}
            steps:
              - {do: rotate, target: l, angle: 90}
            """)
        let start = paths(e.frame(at: 0), "l").first?.subpaths.first ?? []
        #expect(start.count == 2 && near(start[0], Point2(1000, 500), 1e-9) && near(start[1], Point2(1200, 500), 1e-9))
        let end = paths(e.frame(at: 1.5), "l").first?.subpaths.first ?? []
        try #require(end.count == 2)
        // The right end turns up (screen y points down).
        #expect(near(end[0], Point2(1100, 600), 1e-9))
        #expect(near(end[1], Point2(1100, 400), 1e-9))
    }

    @Test func colorStepTurnsTheStrokeToTheAccent() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: B2, color: text, entrance: none}
            steps:
              - {do: color, target: c, color: 1, duration: 2}
            """)
        let theme = Theme.default
        let text = RGBA(theme.text), accent = RGBA(theme.accents[1])
        #expect(near(paths(e.frame(at: 0), "c").first?.stroke, text))
        #expect(near(paths(e.frame(at: 1), "c").first?.stroke, text.mixed(accent, 0.5)))
        #expect(near(paths(e.frame(at: 2.5), "c").first?.stroke, accent))
    }

    @Test func createDrawsTheOutlineInProportionToTime() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: C3, radius: 100}
            steps:
              - {do: create, target: c, duration: 2, easing: linear}
            """)
        #expect(ids(e.frame(at: 0)) == [])
        let full = try #require(paths(e.frame(at: 3), "c").first)
        #expect(full.closed == [true])
        let outline = full.subpaths[0] + [full.subpaths[0][0]]
        let half = try #require(paths(e.frame(at: 1), "c").first)
        #expect(half.closed == [false])
        #expect(abs(Polyline.length(half.subpaths[0]) - Polyline.length(outline) / 2) < 1e-6)
        #expect(abs(Polyline.length(outline) - 2 * .pi * 100) < 1)
        let quarter = try #require(paths(e.frame(at: 0.5), "c").first)
        #expect(abs(Polyline.length(quarter.subpaths[0]) - Polyline.length(outline) / 4) < 1e-6)
    }

    @Test func animatedParamChangesACircleAndAGraph() throws {
        let e = try evaluator("""
            params: {r: 50, a: 1}
            objects:
              - {id: c, kind: circle, at: B2, radius: r, entrance: none}
              - {id: ax, kind: axes, at: A1:F6, x: [-1, 1], y: [-2, 2]}
              - {id: g, kind: graph, on: ax, y: "a * x", entrance: none}
            steps:
              - together:
                  - {do: animate, param: r, to: 100, duration: 2}
                  - {do: animate, param: a, to: 2, duration: 2}
            """)
        let c = center("B2")
        for (time, radius) in [(0.0, 50.0), (1.0, 75.0), (2.0, 100.0), (3.0, 100.0)] {
            let ps = points(e.frame(at: time), "c")
            #expect(!ps.isEmpty)
            #expect(ps.allSatisfy { abs($0.distance(to: c) - radius) < 1e-9 }, "radius at \(time) s")
        }
        // The graph's right end is (1, a): y = 1 at the start, 2 at the end, on axes spanning -2...2.
        let inner = SceneLayout.visualArea.insetBy(24)
        #expect(near(paths(e.frame(at: 0), "g").first?.subpaths.first?.last, Point2(inner.maxX, inner.maxY - 0.75 * inner.height)))
        #expect(near(paths(e.frame(at: 2), "g").first?.subpaths.first?.last, Point2(inner.maxX, inner.y)))
    }

    @Test func timeInExpressionsMovesADot() throws {
        let e = try evaluator("""
            objects:
              - {id: d, kind: dot, at: ["800 + 100 * t", 500], entrance: none}
            """)
        #expect(near(box(e.frame(at: 1), "d")?.center, Point2(900, 500)))
        #expect(near(box(e.frame(at: 2.5), "d")?.center, Point2(1050, 500)))
        #expect(abs((box(e.frame(at: 1), "d")?.width ?? 0) - 24) < 1e-9)  // default dot radius 12
    }

    @Test func familyMembersDrawWithTheirOwnBindings() throws {
        let e = try evaluator("""
            objects:
              - {id: arm, kind: line, repeat: 3, from: ["800 + 100 * i", 300], to: ["800 + 100 * i", 400], entrance: none}
            """)
        let frame = e.frame(at: 1)
        #expect(ids(frame) == ["arm[0]", "arm[1]", "arm[2]"])
        #expect(near(paths(frame, "arm[2]").first?.subpaths.first?.first, Point2(1000, 300), 1e-9))
        #expect(near(paths(frame, "arm[0]").first?.subpaths.first?.last, Point2(800, 400), 1e-9))
    }

    // MARK: traced paths

    @Test func traceAccumulatesToTheSameResultAsRecomputing() throws {
        let text = """
            objects:
              - {id: tr, kind: trace, point: ["960 + 200 * cos(t)", "600 + 200 * sin(t)"], entrance: none}
            """
        let stepped = try evaluator(text)
        var last: [Point2] = []
        for k in 0...60 { last = paths(stepped.frame(at: Double(k) / 30), "tr").first?.subpaths.first ?? [] }
        let direct = paths(try evaluator(text).frame(at: 2), "tr").first?.subpaths.first ?? []
        #expect(last.count > 200)  // 200 units/s sampled at 120 Hz: every sample is kept
        #expect(last.count == direct.count)
        #expect(last.last == direct.last)
        #expect(near(last.last, Point2(960 + 200 * cos(2), 600 + 200 * sin(2)), 1e-9))
        #expect(near(last.first, Point2(1160, 600), 1e-9))

        // Going back in time recomputes from the start.
        let back = paths(stepped.frame(at: 1), "tr").first?.subpaths.first ?? []
        let fresh = paths(try evaluator(text).frame(at: 1), "tr").first?.subpaths.first ?? []
        #expect(back.count == fresh.count && back.last == fresh.last)
        #expect(back.count < last.count)
    }

    // MARK: transform, follow, indicate

    @Test func transformHalfwayLiesBetweenCircleAndSquare() throws {
        let e = try evaluator("""
            objects:
              - {id: a, kind: circle, at: C3:D4, radius: 100, entrance: none}
              - {id: b, kind: rectangle, at: C3:D4, size: [300, 300]}
            steps:
              - {do: transform, target: a, into: b, duration: 2}
            """)
        let circle = try #require(box(e.frame(at: 0), "a"))
        #expect(abs(circle.width - 200) < 1)
        #expect(ids(e.frame(at: 0)) == ["a"])  // `b` enters when the transform ends

        let mid = e.frame(at: 1)
        #expect(ids(mid) == ["a"])
        let morph = try #require(box(mid, "a"))
        // Both outlines run the same way round from the top, so halfway is halfway in size too
        // (a blend that twisted through itself would be narrower than the circle).
        #expect(morph.width > 240 && morph.width < 260)
        #expect(morph.height > 240 && morph.height < 260)
        #expect(near(morph.center, circle.center, 1))

        let end = e.frame(at: 2.5)
        #expect(ids(end) == ["b"])
        #expect(abs((box(end, "b")?.width ?? 0) - 300) < 1e-9)
    }

    @Test func followPutsTheObjectOnThePath() throws {
        let e = try evaluator("""
            objects:
              - {id: orbit, kind: circle, at: C3, radius: 100, entrance: none}
              - {id: d, kind: dot, at: B2, entrance: none}
            steps:
              - {do: follow, target: d, path: orbit, duration: 2}
            """)
        let c = center("C3")
        // A circle's outline starts at its top and runs all the way round: the dot starts there,
        // is at the bottom halfway, and back at the top at the end.
        #expect(near(box(e.frame(at: 0), "d")?.center, Point2(c.x, c.y - 100)))
        #expect(near(box(e.frame(at: 1), "d")?.center, Point2(c.x, c.y + 100)))
        #expect(near(box(e.frame(at: 2.5), "d")?.center, Point2(c.x, c.y - 100)))
    }

    @Test func indicatePulsesUpAndBack() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: C3, radius: 50, entrance: none}
            steps:
              - {do: indicate, target: c}
            """)
        let rest = try #require(box(e.frame(at: 0), "c"))
        let peak = try #require(box(e.frame(at: 0.5), "c"))
        let after = try #require(box(e.frame(at: 1.5), "c"))
        #expect(abs(peak.width - 1.2 * rest.width) < 1e-9)
        #expect(abs(after.width - rest.width) < 1e-9)
        #expect(near(paths(e.frame(at: 0.5), "c").first?.stroke, RGBA(Theme.default.accents[1])))
        #expect(near(paths(e.frame(at: 1.5), "c").first?.stroke, RGBA(Theme.default.accents[0])))
    }

    // MARK: axes

    @Test func graphAndDotOnAxesUseAxisUnits() throws {
        let e = try evaluator("""
            objects:
              - {id: ax, kind: axes, at: A1:F6, x: [-2, 2], y: [-1, 1]}
              - {id: g, kind: graph, on: ax, y: "x / 2", entrance: none}
              - {id: d, kind: dot, on: ax, at: [1, 0.5], entrance: none}
            """)
        let frame = e.frame(at: 1)
        let inner = SceneLayout.visualArea.insetBy(24)
        let curve = try #require(paths(frame, "g").first?.subpaths.first)
        #expect(curve.count == SceneParser.graphSamples + 1)
        // x = 0, y = 0 is the axes' origin, the middle of these symmetric axes.
        #expect(near(curve[SceneParser.graphSamples / 2], Point2(inner.midX, inner.midY), 1e-9))
        #expect(near(curve[0], Point2(inner.x, inner.maxY), 1e-9))
        #expect(near(box(frame, "d")?.center, Point2(inner.x + 0.75 * inner.width, inner.maxY - 0.75 * inner.height)))
    }

    // MARK: compile once

    @Test func expressionsAreCompiledOnceNotPerFrame() throws {
        let e = try evaluator("""
            params: {r: 40}
            objects:
              - {id: c, kind: circle, at: B2, radius: "r + 10 * sin(t)"}
              - {id: d, kind: dot, at: ["800 + 100 * t", 500]}
            """)
        #expect(e.compilations == 3)
        var widths: Set<Int> = []
        for k in 0..<100 {
            let frame = e.frame(at: 1 + Double(k) / 30)
            widths.insert(Int(box(frame, "c")?.width ?? 0))
        }
        #expect(e.compilations == 3)
        #expect(widths.count > 10)  // the radius really changed from frame to frame
    }

    @Test func undefinedRecordsTheExpressionAndTheFirstTime() throws {
        let e = try evaluator("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "sqrt(2 - t)"}
            """)
        _ = e.frame(at: 1)
        #expect(e.undefined.isEmpty)
        _ = e.frame(at: 3)
        _ = e.frame(at: 4)
        #expect(e.undefined.count == 1)
        #expect(e.undefined["c"]?.expression == "sqrt(2 - t)")
        #expect(e.undefined["c"]?.time == 3)
    }
}
