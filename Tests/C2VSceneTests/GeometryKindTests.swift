import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// `angle`, `tangent`, `polyline` and `area`: how they are read, where their errors point, and
/// where what they draw lies.
@Suite struct GeometryKindTests {
    func evaluator(_ text: String) throws -> SceneEvaluator {
        try SceneEvaluator(scene: parseScene(text), theme: .default, measurer: FakeMeasurer())
    }

    func paths(_ e: SceneEvaluator, _ id: String, at time: Double = 1) -> [PathItem] {
        (e.frame(at: time).first { $0.id == id }?.items ?? []).compactMap { if case .path(let p) = $0 { return p } else { return nil } }
    }

    func texts(_ e: SceneEvaluator, _ id: String, at time: Double = 1) -> [TextItem] {
        (e.frame(at: time).first { $0.id == id }?.items ?? []).compactMap { if case .text(let t) = $0 { return t } else { return nil } }
    }

    /// The stroked outline of `id` (fills of wedges and regions left out).
    func stroked(_ e: SceneEvaluator, _ id: String, at time: Double = 1) -> [[Point2]] {
        paths(e, id, at: time).filter { $0.stroke != nil }.flatMap(\.subpaths)
    }

    func host(_ e: SceneEvaluator, _ id: String = "axes", at time: Double = 1) throws -> HostFrame {
        e.hostFrame(try #require(e.byID[id]), time: time, params: e.paramValues(at: time))
    }

    func near(_ a: Point2?, _ b: Point2, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
    }

    func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let error = singleSceneError(text, sourceLocation: sourceLocation) else { return }
        #expect(position(error) == [line, column], sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    }

    static let axes = "  - {id: axes, kind: axes, at: \"A1:F6\", x: [-2, 2], y: [-1, 4], entrance: none}"

    // MARK: parse errors

    @Test func angleWithoutAVertexSaysWhatToGive() {
        expectError("""
            objects:
              - {id: a, kind: angle, from: E4, to: C2}
            """, 2, 5, "angle `a` needs `vertex`, the corner: an anchor like C4 or a point [x, y]")
    }

    @Test func angleRightMustBeABool() {
        expectError("""
            objects:
              - {id: a, kind: angle, vertex: C4, from: E4, to: C2, right: maybe}
            """, 2, 63, "`right` must be true or false")
    }

    @Test func tangentOfAnObjectThatIsNoGraph() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: c, kind: circle, at: B2}
              - {id: t, kind: tangent, of: c, x: 1}
            """, 4, 32, "`of` must name a graph; `c` is a circle")
    }

    @Test func tangentOfAnUnknownIDSuggestsTheNearest() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: curve, kind: graph, on: axes, y: "x^2"}
              - {id: t, kind: tangent, of: curv, x: 1}
            """, 4, 32, "`of` names `curv`, which is not an object; did you mean `curve`?")
    }

    @Test func tangentWithoutXSaysWhatToGive() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: curve, kind: graph, on: axes, y: "x^2"}
              - {id: t, kind: tangent, of: curve}
            """, 4, 5, "tangent `t` needs `x`, where it touches, in the graph's x units: a number or an expression like \"a\"")
    }

    @Test func tangentOnOtherAxesThanItsGraph() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: other, kind: axes, at: "A6", x: [0, 1], y: [0, 1]}
              - {id: curve, kind: graph, on: axes, y: "x^2"}
              - {id: t, kind: tangent, of: curve, x: 1, on: other}
            """, 5, 49, "tangent `t` is drawn on `axes`, the axes of its graph `curve`, not on `other`: remove its `on`")
    }

    @Test func areaNeedsItsGraphOnAxesAndSaysSoAtOf() {
        expectError("""
            objects:
              - {id: curve, kind: graph, at: "A1:C3", y: "x^2"}
              - {id: shade, kind: area, of: curve, x: [0, 1]}
            """, 3, 33,
            "`of` names graph `curve`, which is not drawn on axes; an area is drawn on its graph's axes: give `curve` `on`, the axes or plane it is drawn on")
    }

    @Test func areaBetweenGraphsOnDifferentAxes() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: other, kind: axes, at: "A6", x: [0, 1], y: [0, 1]}
              - {id: f, kind: graph, on: axes, y: "x^2"}
              - {id: g, kind: graph, on: other, y: "x"}
              - {id: shade, kind: area, of: f, to: g}
            """, 6, 40, "`to` names graph `g`, which is drawn on `other`; an area lies between two graphs on the same axes (`axes`)")
    }

    @Test func riemannCountOutOfRange() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2"}
              - {id: bars, kind: area, of: f, riemann: 600}
            """, 4, 44, "`riemann` (the number of rectangles) is 600; expected a number from 1 to 500")
    }

    @Test func unknownRuleSuggestsTheNearest() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2"}
              - {id: bars, kind: area, of: f, riemann: 4, rule: midd}
            """, 4, 53, "unknown `rule` `midd`; did you mean `mid`?")
    }

    @Test func ruleWithoutRiemann() {
        expectError("""
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2"}
              - {id: bars, kind: area, of: f, rule: mid}
            """, 4, 41, "`rule` applies to rectangles: give `riemann`, their number, too")
    }

    @Test func polylineWithOnePoint() {
        expectError("""
            objects:
              - {id: p, kind: polyline, points: [B2]}
            """, 2, 37, "`points` must be a list of at least 2 anchors or [x, y] points, or {var: k, from: 0, to: 63, point: [x(k), y(k)]}")
    }

    @Test func polylineMakingTooManyPoints() {
        expectError("""
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, to: 5000, point: ["800 + k / 5", 500]}}
            """, 2, 37, "`points` makes 5001 points; at most 4096 are allowed")
    }

    @Test func polylineVariableMayNotBeAParam() {
        expectError("""
            params: {k: 1}
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, to: 9, point: ["800 + k", 500]}}
            """, 3, 43, "`k` cannot be the variable of `points`; use a new name like k")
    }

    @Test func polylineSweepWithoutItsPointSaysWhatToGive() {
        expectError("""
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, to: 9}}
            """, 2, 37, "`points` needs `point`, like {var: k, from: 0, to: 63, point: [\"800 + 10 * k\", \"500 + 100 * sin(k)\"]}")
    }

    @Test func polylineSweepWithAnUnknownKey() {
        expectError("""
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, upto: 9, point: ["800 + k", 500]}}
            """, 2, 55, "unknown key `upto` in `points`; did you mean `to`?")
    }

    @Test func polylinePointErrorsPointInsideTheExpression() {
        expectError("""
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, to: 9, point: ["800 + kk", 500]}}
            """, 2, 77, "unknown name `kk`; did you mean `k`?")
    }

    // MARK: tangent

    @Test func tangentToXSquaredAtOneHasSlopeTwo() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: curve, kind: graph, on: axes, y: "x^2", entrance: none}
              - {id: t, kind: tangent, of: curve, x: 1, length: 300, entrance: none}
            """)
        let h = try host(e)
        let line = try #require(stroked(e, "t").first)
        #expect(line.count == 2)
        let (a, b) = (line[0], line[1])
        // Centred where it touches, 300 scene units long.
        #expect(near(Point2((a.x + b.x) / 2, (a.y + b.y) / 2), h.map(1, 1)))
        #expect(abs(a.distance(to: b) - 300) < 1e-6)
        // Back in the axes' units its slope is 2.
        let dx = (b.x - a.x) / h.scale.x, dy = -(b.y - a.y) / h.scale.y
        #expect(abs(dy / dx - 2) < 1e-6)
        #expect(e.objects[e.byID["t"]!].object.on == "axes")
    }

    @Test func normalIsAcrossTheTangentInTheAxesUnits() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: curve, kind: graph, on: axes, y: "x^2", entrance: none}
              - {id: n, kind: tangent, of: curve, x: 1, normal: true, entrance: none}
            """)
        let h = try host(e)
        let line = try #require(stroked(e, "n").first)
        let dx = (line[1].x - line[0].x) / h.scale.x, dy = -(line[1].y - line[0].y) / h.scale.y
        #expect(abs(dy / dx + 0.5) < 1e-6)
        #expect(abs(line[0].distance(to: line[1]) - TangentKind.defaultLength) < 1e-6)
    }

    @Test func tangentFollowsAParamAndTheGraphsOwnParams() throws {
        let e = try evaluator("""
            params: {a: -1, k: 1}
            objects:
            \(Self.axes)
              - {id: curve, kind: graph, on: axes, y: "k * x^2", entrance: none}
              - {id: t, kind: tangent, of: curve, x: a, entrance: none}
            steps:
              - {do: animate, param: a, to: 1, duration: 1}
              - {do: animate, param: k, to: 2, duration: 1}
            """)
        let h0 = try host(e, at: 0)
        let start = try #require(stroked(e, "t", at: 0).first)
        #expect(near(start[0].lerp(start[1], 0.5), h0.map(-1, 1)))
        let h = try host(e, at: 3)
        let end = try #require(stroked(e, "t", at: 3).first)
        // At x = 1 on y = 2x^2: touching at (1, 2) with slope 4.
        #expect(near(end[0].lerp(end[1], 0.5), h.map(1, 2)))
        let dx = (end[1].x - end[0].x) / h.scale.x, dy = -(end[1].y - end[0].y) / h.scale.y
        #expect(abs(dy / dx - 4) < 1e-5)
    }

    @Test func undefinedSlopeDrawsNothingAndTheCriticSaysWhen() throws {
        let scene = try parseScene("""
            objects:
              - {id: axes, kind: axes, at: "A1:F6", x: [0, 4], y: [0, 2], entrance: none}
              - {id: root, kind: graph, on: axes, y: "sqrt(x)", x: [0, 4], entrance: none}
              - {id: t, kind: tangent, of: root, x: 0, entrance: none}
            """)
        let e = try SceneEvaluator(scene: scene, theme: .default, measurer: FakeMeasurer())
        #expect(paths(e, "t").isEmpty)
        #expect(e.undefined["t"] != nil)
        let findings = LayoutCheck.run(scene, measurer: FakeMeasurer()).filter { $0.severity == .error }
        #expect(findings.contains { $0.object == "t" && $0.message.contains("slope of sqrt(x) at x = 0") }, "\(findings)")
    }

    // MARK: angle

    @Test func angleArcLiesAtItsRadiusFromTheRayToFromToTheRayToTo() throws {
        let c = cos(Double.pi / 3), s = sin(Double.pi / 3)
        let e = try evaluator("""
            objects:
              - {id: a, kind: angle, vertex: [1000, 600], from: [1300, 600], to: ["1000 + 300 * \(c)", "600 - 300 * \(s)"], radius: 80, entrance: none}
            """)
        let arc = try #require(stroked(e, "a").first)
        let v = Point2(1000, 600)
        #expect(arc.count > 8)
        #expect(arc.allSatisfy { abs($0.distance(to: v) - 80) < 1e-6 })
        #expect(near(arc.first, Point2(1080, 600)))
        #expect(near(arc.last, Point2(1000 + 80 * c, 600 - 80 * s)))
        // The smaller angle: every point is above the vertex (between 0° and 60°).
        #expect(arc.allSatisfy { $0.y <= 600 + 1e-9 })
    }

    @Test func reflexAngleGoesTheLongWayRound() throws {
        let e = try evaluator("""
            objects:
              - {id: a, kind: angle, vertex: [1200, 600], from: [1400, 600], to: [1200, 400], reflex: true, entrance: none}
            """)
        let arc = try #require(stroked(e, "a").first)
        #expect(near(arc.first, Point2(1260, 600)))
        #expect(near(arc.last, Point2(1200, 540)))
        // 270°: through the left and the bottom, never the top right quarter.
        #expect(arc.contains { $0.x < 1200 - 59 })
        #expect(arc.contains { $0.y > 600 + 59 })
        #expect(!arc.contains { $0.x > 1201 && $0.y < 599 })
    }

    @Test func aRightAngleGetsTheSquareMark() throws {
        let e = try evaluator("""
            objects:
              - {id: a, kind: angle, vertex: [1000, 600], from: [1300, 600], to: [1000, 300], entrance: none}
              - {id: b, kind: angle, vertex: [1400, 600], from: [1600, 600], to: ["1400 + 200 * cos(89.7 * pi / 180)", "600 - 200 * sin(89.7 * pi / 180)"], entrance: none}
              - {id: c, kind: angle, vertex: [1000, 900], from: [1300, 900], to: [1000, 700], right: false, entrance: none}
            """)
        let square = try #require(stroked(e, "a").first)
        let side = AngleKind.defaultRadius / 2.squareRoot()
        #expect(square.count == 3)
        #expect(near(square[0], Point2(1000 + side, 600)))
        #expect(near(square[1], Point2(1000 + side, 600 - side)))
        #expect(near(square[2], Point2(1000, 600 - side)))
        // Within half a degree of 90° is still square; `right: false` keeps the arc.
        #expect(stroked(e, "b").first?.count == 3)
        #expect((stroked(e, "c").first?.count ?? 0) > 3)
    }

    @Test func angleLabelSitsOutsideTheArcOnTheBisector() throws {
        let e = try evaluator("""
            params: {theta: 90}
            objects:
              - {id: a, kind: angle, vertex: [1000, 600], from: [1300, 600], to: [1000, 300], radius: 70, label: "{theta:.0f}°", fill: 1, entrance: none}
            """)
        let label = try #require(texts(e, "a").first)
        #expect(label.text == "90°")
        let direction = label.anchor - Point2(1000, 600)
        #expect(abs(direction.x - direction.y * -1) < 1e-6)  // along the 45° bisector (y down)
        #expect(Point2(1000, 600).distance(to: label.anchor) > 70 + 12)
        // The wedge is filled as well as outlined.
        #expect(paths(e, "a").contains { $0.fill != nil && $0.stroke == nil })
    }

    @Test func angleOnAxesTakesItsPlacesInTheirUnits() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: a, kind: angle, on: axes, vertex: [0, 0], from: [1, 0], to: [0, 1], entrance: none}
            """)
        let h = try host(e)
        let square = try #require(stroked(e, "a").first)
        let side = AngleKind.defaultRadius / 2.squareRoot()
        #expect(near(square[1], h.map(0, 0) + Point2(side, -side)))
    }

    // MARK: area

    @Test(arguments: [(RiemannRule.left, 0.0), (.mid, 0.5), (.right, 1.0)])
    func riemannRectanglesAreAsHighAsTheGraphAtTheirRulesPoint(rule: RiemannRule, at: Double) throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2", entrance: none}
              - {id: bars, kind: area, of: f, x: [0, 2], riemann: 4, rule: \(rule.rawValue), entrance: none}
            """)
        let h = try host(e)
        let boxes = stroked(e, "bars")
        #expect(boxes.count == 4)
        for (i, box) in boxes.enumerated() {
            let left = 0.5 * Double(i), x = left + 0.5 * at
            #expect(box.count == 4)
            #expect(near(box[0], h.map(left, 0)))
            #expect(near(box[1], h.map(left + 0.5, 0)))
            #expect(near(box[2], h.map(left + 0.5, x * x)), "rectangle \(i) of \(rule)")
            #expect(near(box[3], h.map(left, x * x)))
        }
        #expect(paths(e, "bars").allSatisfy { $0.fill != nil })
    }

    @Test func riemannCountAnimatesAndIsClamped() throws {
        let e = try evaluator("""
            params: {n: 1}
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2", entrance: none}
              - {id: bars, kind: area, of: f, x: [0, 2], riemann: n, entrance: none}
            steps:
              - {line: 0, do: animate, param: n, to: 8.4, duration: 1}
              - {line: 1, do: animate, param: n, to: 900, duration: 1}
            """)
        #expect(stroked(e, "bars", at: 0).count == 1)
        #expect(stroked(e, "bars", at: 2).count == 8)
        #expect(stroked(e, "bars", at: e.scene.duration).count == 500)
    }

    @Test func areaUnderAGraphIsFilledInItsColourDownToTheXAxis() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^2", color: 2, entrance: none}
              - {id: shade, kind: area, of: f, x: [-1, 1], entrance: none}
            """)
        let h = try host(e)
        let region = try #require(paths(e, "shade").first)
        #expect(region.stroke == nil)
        let colour = RGBA(Theme.default.accents[2]).faded(AreaKind.defaultOpacity)
        #expect(region.fill == colour)
        let ring = try #require(region.subpaths.first)
        let n = SceneParser.graphSamples
        #expect(ring.count == 2 * (n + 1))
        #expect(near(ring[0], h.map(-1, 1)))
        #expect(near(ring[n / 2], h.map(0, 0)))
        #expect(near(ring[n], h.map(1, 1)))
        // Back along the x axis.
        #expect(ring[(n + 1)...].allSatisfy { abs($0.y - h.map(0, 0).y) < 1e-9 })
        // Outlined, if ever, in the graph's colour; and under the graph and axes.
        #expect(e.objects[e.byID["shade"]!].object.color == .accent(2))
        #expect(e.frame(at: 1).map(\.id) == ["shade", "axes", "f"])
    }

    @Test func areaBetweenCurvesIsFilledBetweenThem() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: top, kind: graph, on: axes, y: "3 - x^2", entrance: none}
              - {id: bottom, kind: graph, on: axes, y: "x^2 - 0.5", entrance: none}
              - {id: lens, kind: area, of: top, to: bottom, x: [-1, 1], fill: 3, fill_opacity: 0.5, entrance: none}
            """)
        let h = try host(e)
        let region = try #require(paths(e, "lens").first)
        #expect(region.fill == RGBA(Theme.default.accents[3]).faded(0.5))
        let ring = try #require(region.subpaths.first)
        let n = SceneParser.graphSamples
        #expect(ring.count == 2 * (n + 1))
        for i in stride(from: 0, through: n, by: 40) {
            let x = -1 + 2 * Double(i) / Double(n)
            #expect(near(ring[i], h.map(x, 3 - x * x), 1e-6))
            // The lower curve runs back from x = 1 to x = -1.
            #expect(near(ring[2 * n + 1 - i], h.map(x, x * x - 0.5), 1e-6))
        }
    }

    @Test func areaBoundsAnimateAndStayInsideTheAxes() throws {
        let e = try evaluator("""
            params: {b: -1}
            objects:
            \(Self.axes)
              - {id: f, kind: graph, on: axes, y: "x^3", entrance: none}
              - {id: shade, kind: area, of: f, x: [-5, b], entrance: none}
            steps:
              - {do: animate, param: b, to: 2, duration: 1}
            """)
        let h = try host(e)
        let start = try #require(paths(e, "shade", at: 0).first?.subpaths.first)
        #expect(near(start[0], h.map(-2, -1)))  // x clamped to -2, y = -8 clamped to -1
        #expect(near(start[SceneParser.graphSamples], h.map(-1, -1)))
        let end = try #require(paths(e, "shade", at: 2).first?.subpaths.first)
        #expect(near(end[SceneParser.graphSamples], h.map(2, 4)))
    }

    // MARK: polyline

    @Test func polylineThroughComputedPointsOnAxes() throws {
        let e = try evaluator("""
            objects:
            \(Self.axes)
              - {id: zig, kind: polyline, on: axes, points: {var: k, from: 0, to: 63, point: ["-2 + k / 16", "k % 2"]}, entrance: none}
            """)
        let h = try host(e)
        let line = try #require(stroked(e, "zig").first)
        #expect(line.count == 64)
        #expect(near(line[0], h.map(-2, 0)))
        #expect(near(line[5], h.map(-2 + 5.0 / 16, 1)))
        #expect(near(line[63], h.map(-2 + 63.0 / 16, 1)))
        #expect(paths(e, "zig").first?.closed == [false])
    }

    @Test func polylineOfPlacesClosedAndOffset() throws {
        let e = try evaluator("""
            params: {d: 100}
            objects:
              - {id: ray, kind: polyline, points: [[900, 300], ["1100 + d", 500], [1300, 300]], closed: true, fill: 2, offset: [10, 0], entrance: none}
            """)
        let item = try #require(paths(e, "ray").first)
        #expect(item.closed == [true])
        #expect(item.fill != nil)
        #expect(item.subpaths == [[Point2(910, 300), Point2(1210, 500), Point2(1310, 300)]])
    }

    @Test func polylineVariableIsLocalToItsFamilyMembers() throws {
        let e = try evaluator("""
            objects:
              - {id: step, kind: polyline, repeat: 2, points: {var: k, from: 0, to: 3, point: ["900 + 100 * k", "400 + 200 * i"]}, entrance: none}
            """)
        #expect(stroked(e, "step[1]").first == [Point2(900, 600), Point2(1000, 600), Point2(1100, 600), Point2(1200, 600)])
    }

    @Test func undefinedPolylinePointsBreakThePathAndAreReported() throws {
        let e = try evaluator("""
            objects:
              - {id: p, kind: polyline, points: {var: k, from: 0, to: 4, point: ["900 + 100 * k", "500 + 1 / (k - 2)"]}, entrance: none}
            """)
        #expect(stroked(e, "p").map(\.count) == [2, 2])
        #expect(e.undefined["p"]?.expression == "500 + 1 / (k - 2)")
    }

    // MARK: the documented example

    @Test func theDocumentedExampleParsesAndPassesTheCritic() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/scene-language.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "### Marks, tangents and areas\n").last)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let scene = try parseScene(yaml, lines: ["One", "Two", "Three"])
        #expect(Set(scene.objects.map(\.kind)).isSuperset(of: [.angle, .tangent, .polyline, .area]))
        let errors = LayoutCheck.run(scene, measurer: FakeMeasurer()).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
    }
}
