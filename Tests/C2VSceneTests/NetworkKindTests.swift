import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// `network` objects: what the parser accepts and rejects, where the layouts put nodes, and how
/// edges, arrow heads and highlighted parts are drawn.
@Suite struct NetworkKindTests {
    /// A scene holding one network object `g` written as `fields`, plus `steps`.
    func scene(_ fields: String, steps: String = "") throws -> Scene {
        try parseScene("objects:\n  - {id: g, kind: network, \(fields)}\n" + (steps.isEmpty ? "" : "steps:\n\(steps)"))
    }

    /// The network's node centres as drawn, and its spec.
    func layout(_ scene: Scene) throws -> (centers: [Point2], spec: NetworkSpec, area: Rect) {
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        let o = try #require(evaluator.objects.first { $0.object.kind == .network })
        let plan = try #require(o.prepared as? NetworkPlan)
        var slots = evaluator.slots(o, time: 0, params: [])
        let area = evaluator.rect(o, time: 0, params: [], slots: &slots)
        return (plan.centers(in: area), try #require(o.object.network), area)
    }

    /// The layout the evaluator worked out for the network.
    func plan(_ scene: Scene) throws -> NetworkPlan {
        let evaluator = try SceneEvaluator(scene: scene, theme: .default)
        return try #require(evaluator.objects.first { $0.object.kind == .network }?.prepared as? NetworkPlan)
    }

    func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let error = singleSceneError(text, sourceLocation: sourceLocation) else { return }
        #expect(position(error) == [line, column], sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    }

    // MARK: reading

    @Test func readsNodesEdgesWeightsAndOptions() throws {
        let s = try scene("""
            at: "A1:F6", nodes: [a, {id: b, label: "start", color: 2}, c], edges: [[a, b, 3], [b, c]], \
            layout: layered, direction: down, directed: true, labels: false, node_radius: 40, size: 30
            """)
        let spec = try #require(s.objects.first?.network)
        #expect(spec.nodes == [NetworkNode(id: "a"), NetworkNode(id: "b", label: "start", color: .accent(2)), NetworkNode(id: "c")])
        #expect(spec.edges == [NetworkEdge(from: 0, to: 1, weight: "3"), NetworkEdge(from: 1, to: 2)])
        #expect(spec.layout == .layered && spec.direction == .down && spec.directed && !spec.labels && spec.nodeRadius == 40)
        #expect(s.objects.first?.fontSize == "30")
        // Defaults.
        let plain = try #require(try scene("at: B2, nodes: [x]").objects.first?.network)
        #expect(plain.layout == .circular && !plain.directed && plain.labels && plain.nodeRadius == NetworkSpec.defaultRadius)
    }

    @Test func unknownNodeInAnEdgeSuggestsTheNearest() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [alpha, beta], edges: [[alpha, betta]]}
            """, 2, 79, "edge names `betta`, which is not a node of `g`; did you mean `beta`?")
    }

    @Test func unknownNodeFarFromAnyListsTheNodes() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [a, b], edges: [[a, zzz]]}
            """, 2, 68, "edge names `zzz`, which is not a node of `g`; its nodes are: a, b")
    }

    @Test func duplicateNode() {
        expectError("""
            objects:
              - id: g
                kind: network
                at: "A1:F6"
                nodes: [a, b, {id: a, label: again}]
            """, 5, 24, "duplicate node `a` in network `g`")
    }

    @Test func duplicateEdgeEitherWayRoundWhenUndirected() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [a, b], edges: [[a, b], [b, a]]}
            """, 2, 72, "edge b-a is listed twice in network `g`")
        // Directed, both ways round are two edges.
        #expect(throws: Never.self) {
            try parseScene("objects:\n  - {id: g, kind: network, at: \"A1:F6\", nodes: [a, b], edges: [[a, b], [b, a]], directed: true}")
        }
    }

    @Test func nodeNamesCannotHoldADash() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [a, b-c]}
            """, 2, 52, "node name `b-c` must be letters, digits and _ (`-` joins two node names into an edge's name)")
    }

    @Test func atMostTwoHundredNodesAndAThousandEdges() {
        let nodes = (0...200).map { "n\($0)" }
        expectError("objects:\n  - {id: g, kind: network, at: \"A1:F6\", nodes: [\(nodes.joined(separator: ", "))]}",
                    2, 49 + nodes.prefix(200).reduce(0) { $0 + $1.count + 2 },
                    "network `g` has 201 nodes; at most 200 are allowed")
        let edges = (0..<1001).map { "[n\($0 % 50), n\(($0 / 50 + $0 % 50 + 1) % 200)]" }
        let errors = sceneErrors("objects:\n  - {id: g, kind: network, at: \"A1:F6\", nodes: [\(nodes.prefix(200).joined(separator: ", "))], "
                                 + "edges: [\(edges.joined(separator: ", "))]}")
        #expect(errors.map(\.message).contains("network `g` has 1001 edges; at most 1000 are allowed"), "\(errors.map(\.message))")
    }

    @Test func unknownLayoutAndDirectionOnlyWhenLayered() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [a], layout: forse}
            """, 2, 61, "unknown layout `forse`; did you mean `force`?")
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [a], direction: down}
            """, 2, 64, "`direction` applies only to `layout: layered`")
    }

    @Test func nodeMappingNeedsAnIDAndKnownKeys() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [{label: x}]}
            """, 2, 49, "a node written as a mapping needs `id`, like {id: a, label: \"start\"}")
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [{id: a, colour: 2}]}
            """, 2, 57, "unknown key `colour` in a node; did you mean `color`?")
    }

    @Test func indicatePartMustNameANodeOrAnEdge() {
        expectError("""
            objects:
              - {id: g, kind: network, at: "A1:F6", nodes: [start, b], edges: [[start, b]]}
            steps:
              - {do: indicate, target: g, part: strat}
            """, 4, 37, "network `g` has no part `strat`; did you mean `start`?; its parts are its nodes and its edges, written `from-to`")
    }

    @Test func indicatePartAcceptsNodesAndEdgesEitherWayWhenUndirected() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b], edges: [[a, b]]", steps: """
              - {do: indicate, target: g, part: a}
              - {do: indicate, target: g, part: a-b}
              - {do: indicate, target: g, part: b-a}
            """)
        #expect(s.animations.map(\.part) == ["a", "a-b", "b-a"])
        #expect(sceneErrors("objects:\n  - {id: g, kind: network, at: \"A1:F6\", nodes: [a, b], edges: [[a, b]], directed: true}\n"
                            + "steps:\n  - {do: indicate, target: g, part: b-a}").map(\.message)
                == ["network `g` has no part `b-a`: its edges are directed, and this one runs a-b"])
    }

    // MARK: layouts

    @Test func circularPutsNodesOnOneCircleInsideTheArea() throws {
        let (centers, spec, area) = try layout(try scene("at: \"A1:F6\", nodes: [a, b, c, d, e, f], edges: [[a, b]]"))
        let mid = Point2(centers.map(\.x).reduce(0, +) / 6, centers.map(\.y).reduce(0, +) / 6)
        #expect(abs(mid.x - area.midX) < 1e-6 && abs(mid.y - area.midY) < 1e-6)
        let radii = centers.map { $0.distance(to: area.center) }
        #expect(radii.allSatisfy { abs($0 - radii[0]) < 1e-6 } && radii[0] > 300)
        for c in centers {
            #expect(c.x - spec.nodeRadius >= area.x && c.x + spec.nodeRadius <= area.maxX)
            #expect(c.y - spec.nodeRadius >= area.y && c.y + spec.nodeRadius <= area.maxY)
        }
        // The first node at the top, then clockwise on screen.
        #expect(abs(centers[0].x - area.midX) < 1e-6 && centers[0].y < area.midY && centers[1].x > area.midX)
    }

    @Test func layeredPutsAChainInIncreasingLayers() throws {
        // Written out of order: layers follow the edges, not the list.
        let (right, _, _) = try layout(try scene("at: \"A1:F6\", nodes: [d, c, b, a], edges: [[a, b], [b, c], [c, d]], layout: layered"))
        #expect(right[3].x < right[2].x && right[2].x < right[1].x && right[1].x < right[0].x)
        #expect(Set(right.map(\.y)).count == 1)
        let (down, _, _) = try layout(try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, b], [b, c]], layout: layered, direction: down"))
        #expect(down[0].y < down[1].y && down[1].y < down[2].y && Set(down.map(\.x)).count == 1)
        // Longest path: a -> c directly and through b puts c after b.
        let (skip, _, _) = try layout(try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, c], [a, b], [b, c]], layout: layered"))
        #expect(skip[0].x < skip[1].x && skip[1].x < skip[2].x)
    }

    @Test func layeredEdgesOverSeveralLayersBendRoundTheNodesBetween() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, b], [b, c], [a, c]], layout: layered, directed: true")
        let plan = try plan(s)
        #expect(plan.bends.map(\.count) == [0, 0, 1])
        let (centers, spec, area) = try layout(s)
        let edge = try #require(NetworkKind.shape(spec, edge: 2, plan.placed(in: area)))
        // a, the bend, c; the bend sits in b's layer, beside b.
        #expect(edge.line.count == 3 && abs(edge.line[1].x - centers[1].x) < 1e-6 && edge.line[1].distance(to: centers[1]) >= 2 * spec.nodeRadius)
        #expect(abs(edge.line[0].distance(to: centers[0]) - spec.nodeRadius) < 1e-6)
        #expect(abs(edge.line[2].distance(to: centers[2]) - spec.nodeRadius) < 1e-6)
    }

    @Test func layeredOrdersLayersToUncrossEdges() throws {
        // As first placed, c is above d, so a-d and b-c cross; the barycentre pass swaps them.
        let s = try scene("at: \"A1:F6\", nodes: [a, b, c, d], edges: [[a, d], [b, c]], layout: layered, directed: true")
        let (centers, spec, _) = try layout(s)
        #expect(NetworkLayout.layers(spec) == [0, 0, 1, 1])
        #expect(centers[0].y < centers[1].y && centers[3].y < centers[2].y)
    }

    @Test func layeredBreaksCyclesDeterministically() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, b], [b, c], [c, a]], layout: layered, directed: true")
        #expect(NetworkLayout.layers(try layout(s).spec) == [0, 1, 2])
    }

    @Test func gridFillsRowsInOrder() throws {
        let (centers, _, _) = try layout(try scene("at: \"A1:F6\", nodes: [a, b, c, d], layout: grid"))
        #expect(centers[0].y == centers[1].y && centers[2].y == centers[3].y && centers[0].y < centers[2].y)
        #expect(centers[0].x == centers[2].x && centers[0].x < centers[1].x)
    }

    static let tenNodes = """
        at: "A1:F6", layout: force, nodes: [a, b, c, d, e, f, g, h, i, j], \
        edges: [[a, b], [b, c], [c, d], [d, e], [e, a], [a, f], [f, g], [g, h], [h, i], [i, j], [j, f], [c, h]]
        """

    @Test func forceLayoutIsTheSameEveryTimeInsideTheAreaWithoutOverlaps() throws {
        let s = try scene(Self.tenNodes)
        let (first, spec, area) = try layout(s)
        let (second, _, _) = try layout(s)
        #expect(first == second)
        // Identical to the last bit after a round trip through the scene's JSON, too.
        let decoded = try JSONDecoder().decode(Scene.self, from: try JSONEncoder().encode(s))
        #expect(try layout(decoded).centers == first)
        let r = spec.nodeRadius
        for c in first {
            #expect(c.x - r >= area.x && c.x + r <= area.maxX && c.y - r >= area.y && c.y + r <= area.maxY, "\(c)")
        }
        for i in first.indices {
            for j in first.indices where j > i {
                #expect(first[i].distance(to: first[j]) >= 2 * r, "nodes \(i) and \(j) overlap")
            }
        }
        // Not just the starting circle.
        #expect(first != NetworkLayout.circular(10, in: area.insetBy(r + 6)))
    }

    @Test func forceLayoutFitsTwoHundredNodesQuickly() throws {
        let nodes = (0..<200).map { "n\($0)" }
        let edges = (0..<199).map { "[n\($0), n\($0 + 1)]" } + (0..<50).map { "[n\($0), n\($0 + 100)]" }
        let spec = try #require(try scene("at: \"A1:F6\", layout: force, nodes: [\(nodes.joined(separator: ", "))], "
                                          + "edges: [\(edges.joined(separator: ", "))]").objects.first?.network)
        let start = Date()
        let plan = NetworkPlan(spec, width: 1100, height: 860)
        #expect(plan.centers.count == 200 && plan.centers.allSatisfy { $0.x.isFinite && $0.y.isFinite })
        #expect(Date().timeIntervalSince(start) < 20)
    }

    // MARK: drawing

    /// The paths and texts the network draws at `time`.
    func items(_ scene: Scene, at time: Double) throws -> [DrawItem] {
        try #require(try SceneEvaluator(scene: scene, theme: .default).frame(at: time).first { $0.id == "g" }).items
    }

    @Test func directedArrowHeadsEndAtTheTargetCircle() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, b], [b, c], [c, a]], directed: true")
        let (centers, spec, _) = try layout(s)
        // Arrow heads: filled triangles without a stroke; their first point is the tip.
        let heads = try items(s, at: 2).compactMap { item -> [Point2]? in
            guard case .path(let p) = item, p.stroke == nil, p.subpaths.count == 1, p.subpaths[0].count == 3 else { return nil }
            return p.subpaths[0]
        }
        #expect(heads.count == 3)
        for (head, edge) in zip(heads, spec.edges) {
            let tip = head[0]
            #expect(abs(tip.distance(to: centers[edge.to]) - spec.nodeRadius) < 1e-6, "tip \(tip)")
            // It points into the target: its base is farther from the target's centre than its tip.
            #expect(head[1].distance(to: centers[edge.to]) > spec.nodeRadius)
        }
        // Edges start on the source's circle.
        let lines = try items(s, at: 2).compactMap { item -> [[Point2]]? in
            if case .path(let p) = item, p.stroke != nil, p.closed.allSatisfy({ !$0 }) { return p.subpaths }
            return nil
        }.flatMap { $0 }
        #expect(lines.count == 3)
        for (line, edge) in zip(lines, spec.edges) {
            #expect(abs(line[0].distance(to: centers[edge.from]) - spec.nodeRadius) < 1e-6)
        }
    }

    @Test func edgesBothWaysRunSideBySide() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b], edges: [[a, b], [b, a]], directed: true")
        let (centers, spec, area) = try layout(s)
        let placed = try plan(s).placed(in: area)
        let one = try #require(NetworkKind.shape(spec, edge: 0, placed)), two = try #require(NetworkKind.shape(spec, edge: 1, placed))
        #expect(one.line[0].distance(to: two.line.last!) > 10)
        #expect(abs(one.line.last!.distance(to: centers[1]) - spec.nodeRadius) < 1e-6)
    }

    @Test func aSelfLoopIsDrawnOutsideItsNode() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b], edges: [[a, a, loop]], directed: true")
        let (centers, spec, area) = try layout(s)
        let loop = try #require(NetworkKind.shape(spec, edge: 0, try plan(s).placed(in: area)))
        #expect(abs(loop.line[0].distance(to: centers[0]) - spec.nodeRadius) < 1e-6)
        #expect(abs(loop.line.last!.distance(to: centers[0]) - spec.nodeRadius) < 1e-6)
        #expect(loop.line.dropFirst().dropLast().allSatisfy { $0.distance(to: centers[0]) > spec.nodeRadius - 1e-6 })
        let texts = try items(s, at: 2).compactMap { item -> TextItem? in if case .text(let t) = item { return t }; return nil }
        #expect(texts.map(\.text).sorted() == ["a", "b", "loop"])
    }

    @Test func weightsSitBesideTheEdgeMidpoint() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b], edges: [[a, b, \"7\"]], layout: grid")
        let (centers, _, _) = try layout(s)
        let weight = try #require(try items(s, at: 2).compactMap { item -> TextItem? in
            if case .text(let t) = item, t.text == "7" { return t }
            return nil
        }.first)
        // A horizontal edge: the weight above its middle.
        #expect(abs(weight.anchor.x - (centers[0].x + centers[1].x) / 2) < 1e-6)
        #expect(weight.anchor.y < centers[0].y - 10)
    }

    @Test func indicateBoxesANodeOrAnEdge() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, b, c], edges: [[a, b], [b, c]], layout: grid", steps: """
              - {line: 0, do: indicate, target: g, part: b, duration: 1}
              - {line: 0, do: indicate, target: g, part: c-b, style: box, duration: 1}
            """)
        let (centers, spec, _) = try layout(s)
        func box(at time: Double) throws -> Rect {
            let frame = try items(s, at: time)
            guard case .path(let p) = try #require(frame.last), p.subpaths.count == 1, p.subpaths[0].count == 4 else {
                Issue.record("no highlight box")
                return Rect(x: 0, y: 0, width: 0, height: 0)
            }
            return try #require(Polyline.bounds(p.subpaths))
        }
        let steps = s.animations
        let node = try box(at: steps[0].start + steps[0].duration / 2)
        #expect(abs(node.midX - centers[1].x) < 1e-6 && abs(node.midY - centers[1].y) < 1e-6)
        #expect(abs(node.width - (2 * spec.nodeRadius + 28)) < 1e-6)
        let edge = try box(at: steps[1].start + steps[1].duration / 2)
        #expect(abs(edge.midX - (centers[1].x + centers[2].x) / 2) < 1e-6 && abs(edge.midY - (centers[1].y + centers[2].y) / 2) < 1e-6)
        #expect(!edge.insetBy(14).contains(Rect(x: centers[1].x, y: centers[1].y, width: 0, height: 0)))
    }

    @Test func nodeColoursSurviveAColourStepOnTheNetwork() throws {
        let s = try scene("at: \"A1:F6\", nodes: [a, {id: b, color: 1}], edges: [[a, b]]", steps: """
              - {line: 0, do: color, target: g, color: 3}
            """)
        let evaluator = try SceneEvaluator(scene: s, theme: .default)
        let fills = try #require(evaluator.frame(at: s.duration).first).items.compactMap { item -> RGBA? in
            if case .path(let p) = item, p.stroke == nil, p.subpaths.count == 2 { return p.fill }
            return nil
        }
        #expect(fills == [evaluator.rgba(.accent(1))])
    }
}

extension NetworkKindTests {
    @Test("The example under \"Networks\" in docs/scene-language.md parses")
    func documentedExampleParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/scene-language.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "### Networks\n").last)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "\n```").first)
        let s = try parseScene(yaml)
        #expect(s.objects.first?.network?.nodes.count == 4 && s.animations.first?.part == "s-b")
    }
}
