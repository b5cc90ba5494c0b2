import C2VLesson
import C2VUtil
import Foundation

/// `network`: a graph of named nodes (circles) and edges (lines between the circles' edges,
/// arrows when `directed`), laid out to fill its area by a deterministic layout.
enum NetworkKind: SceneKind {
    static let kind = ObjectKind.network
    static let keys = ["nodes", "edges", "layout", "direction", "directed", "labels", "node_radius", "size"]

    /// Node names join into edge names with `-`, so they are letters, digits and `_`.
    static func isNodeName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 40 && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        var spec = NetworkSpec(nodes: [], edges: [])
        if let v = o["directed"], let b = r.bool(v, what: "`directed`") { spec.directed = b }
        if let v = o["labels"], let b = r.bool(v, what: "`labels`") { spec.labels = b }
        if let v = o["layout"], let s = r.text(v, what: "`layout`") {
            if let l = NetworkLayoutKind(rawValue: s) { spec.layout = l } else {
                r.fail("unknown layout `\(s)`" + suggestion(s, NetworkLayoutKind.allCases.map(\.rawValue)), v.location)
            }
        }
        if let v = o["direction"], let s = r.text(v, what: "`direction`") {
            if let d = NetworkDirection(rawValue: s) {
                spec.direction = d
                if spec.layout != .layered { r.fail("`direction` applies only to `layout: layered`", v.location) }
            } else {
                r.fail("unknown direction `\(s)`" + suggestion(s, NetworkDirection.allCases.map(\.rawValue)), v.location)
            }
        }
        if let v = o["node_radius"], let radius = r.constant(v, what: "`node_radius`", bindings: o.bindings, range: 4...300) {
            spec.nodeRadius = radius
        }
        r.readFontSize(&o)
        if let v = o.need("nodes", "a list of node names, like [a, b, c]", &r) {
            let before = r.errors.count
            spec.nodes = readNodes(v, o, &r)
            // Edges are checked against the nodes only when every node was read.
            if r.errors.count == before, let e = o["edges"] { spec.edges = readEdges(e, spec, o, &r) }
        }
        o.object.network = spec
    }

    static func readNodes(_ v: YAMLValue, _ o: KindInput, _ r: inout SceneReader) -> [NetworkNode] {
        guard case .sequence(let items, _) = v, !items.isEmpty else {
            r.fail("`nodes` must be a non-empty list of node names, like [a, b, c], or of {id: a, label: \"start\", color: 2}", v.location)
            return []
        }
        var nodes: [NetworkNode] = []
        var seen: Set<String> = []
        for (k, item) in items.enumerated() {
            if k == NetworkSpec.maximumNodes {
                r.fail("network `\(o.id)` has \(items.count) nodes; at most \(NetworkSpec.maximumNodes) are allowed", item.location)
                break
            }
            var node = NetworkNode(id: "")
            var nameAt = item.location
            switch item {
            case .scalar(let s, _):
                node.id = s
            case .mapping(let entries, let at):
                var id: String?
                for entry in entries {
                    switch entry.key {
                    case "id": id = r.text(entry.value, what: "a node's `id`"); nameAt = entry.value.location
                    case "label":
                        if let s = r.text(entry.value, what: "a node's `label`") {
                            node.label = r.interpolate(s, at: entry.value.location, bindings: o.bindings)
                        }
                    case "color": node.color = r.color(entry.value, what: "a node's `color`")
                    default:
                        r.fail("unknown key `\(entry.key)` in a node" + suggestion(entry.key, ["id", "label", "color"]), entry.keyLocation)
                    }
                }
                guard let id else {
                    r.fail("a node written as a mapping needs `id`, like {id: a, label: \"start\"}", at)
                    continue
                }
                node.id = id
            case .sequence:
                r.fail("a node must be a name or a mapping like {id: a, label: \"start\"}; found a list", item.location)
                continue
            }
            guard isNodeName(node.id) else {
                r.fail("node name `\(node.id)` must be letters, digits and _ (`-` joins two node names into an edge's name)", nameAt)
                continue
            }
            guard seen.insert(node.id).inserted else {
                r.fail("duplicate node `\(node.id)` in network `\(o.id)`", nameAt)
                continue
            }
            nodes.append(node)
        }
        return nodes
    }

    static func readEdges(_ v: YAMLValue, _ spec: NetworkSpec, _ o: KindInput, _ r: inout SceneReader) -> [NetworkEdge] {
        guard case .sequence(let items, _) = v else {
            r.fail("`edges` must be a list of [from, to] pairs, like [[a, b], [b, c]]", v.location)
            return []
        }
        let names = spec.nodes.map(\.id)
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var edges: [NetworkEdge] = []
        var seen: Set<[Int]> = []
        for (k, item) in items.enumerated() {
            if k == NetworkSpec.maximumEdges {
                r.fail("network `\(o.id)` has \(items.count) edges; at most \(NetworkSpec.maximumEdges) are allowed", item.location)
                break
            }
            guard case .sequence(let parts, let at) = item, (2...3).contains(parts.count) else {
                r.fail("an edge must be [from, to] or [from, to, weight], like [a, b] or [a, b, 3]", item.location)
                continue
            }
            var ends: [Int] = []
            for part in parts.prefix(2) {
                guard let name = r.text(part, what: "an edge's node") else { continue }
                if let i = index[name] { ends.append(i) } else {
                    let hint = didYouMean(name, names)
                    r.fail("edge names `\(name)`, which is not a node of `\(o.id)`"
                           + (hint.isEmpty && names.count <= 12 ? "; its nodes are: \(names.joined(separator: ", "))" : hint),
                           part.location)
                }
            }
            guard ends.count == 2 else { continue }
            var edge = NetworkEdge(from: ends[0], to: ends[1])
            if parts.count == 3, let w = r.text(parts[2], what: "an edge's weight") {
                edge.weight = r.interpolate(w, at: parts[2].location, bindings: o.bindings)
            }
            let key = spec.directed ? ends : ends.sorted()
            guard seen.insert(key).inserted else {
                r.fail("edge \(names[ends[0]])-\(names[ends[1]]) is listed twice in network `\(o.id)`", at)
                continue
            }
            edges.append(edge)
        }
        return edges
    }

    // MARK: layout and parts

    /// The size of the area it fills, known when the scene is read: a grid area, or a cell about a point.
    static func areaSize(_ object: SceneObject) -> (width: Double, height: Double) {
        if let at = object.at, case .grid(let area) = at.base, at.edge == .center {
            let r = SceneLayout.rect(area)
            return (r.width, r.height)
        }
        return SceneLayout.cellSize
    }

    static func prepare(_ object: SceneObject) -> (any Sendable)? {
        guard let spec = object.network else { return nil }
        let size = areaSize(object)
        return NetworkPlan(spec, width: size.width, height: size.height)
    }

    static func partNames(_ object: SceneObject) -> [String]? {
        object.network?.partNames ?? []
    }

    static func noPart(_ name: String, of object: SceneObject) -> String {
        let start = "network `\(object.id)` has no part `\(name)`"
        guard let spec = object.network else { return start }
        let ends = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if spec.directed, ends.count == 2, spec.part("\(ends[1])-\(ends[0])") != nil {
            return start + ": its edges are directed, and this one runs \(ends[1])-\(ends[0])"
        }
        return start + didYouMean(name, spec.partNames) + "; its parts are its nodes and its edges, written `from-to`"
    }

    /// A node's box is its circle's; an edge's is its line's, framed along the line when it is straight.
    static func part(_ name: String, of o: CompiledObject, rect: Rect) -> KindPart? {
        guard let spec = o.object.network, let plan = o.prepared as? NetworkPlan, let part = spec.part(name) else { return nil }
        let placed = plan.placed(in: rect), centers = placed.centers
        switch part {
        case .node(let i):
            let c = centers[i], radius = spec.nodeRadius
            return KindPart(box: Rect(x: c.x - radius, y: c.y - radius, width: 2 * radius, height: 2 * radius))
        case .edge(let i):
            guard let edge = shape(spec, edge: i, placed), let box = Polyline.bounds([edge.line]) else { return nil }
            guard edge.line.count == 2 else { return KindPart(box: box) }
            let a = edge.line[0], b = edge.line[1], margin = 14.0
            let u = (b - a) * (1 / max(1e-9, a.distance(to: b))), n = Point2(-u.y, u.x)
            let outline = [a - u * margin + n * margin, b + u * margin + n * margin, b + u * margin - n * margin,
                           a - u * margin - n * margin]
            return KindPart(box: box, outline: outline)
        }
    }

    // MARK: drawing

    /// An edge as drawn: from circle edge to circle edge (a loop for a self-edge), and where its
    /// weight goes.
    struct EdgeShape {
        var line: [Point2]
        /// Unit vector from the line towards its weight.
        var side: Point2
        /// Where the weight's side of the line is, before the weight's own size is added.
        var labelBase: Point2
    }

    static func shape(_ spec: NetworkSpec, edge index: Int, _ placed: NetworkPlan.Placed) -> EdgeShape? {
        let e = spec.edges[index], radius = spec.nodeRadius
        if e.from == e.to { return loop(at: placed.centers[e.from], away: placed.middle, radius: radius) }
        let p = placed.centers[e.from], q = placed.centers[e.to], bends = placed.bends[index]
        if let first = bends.first, let last = bends.last {
            // Leaves and enters the circles towards the first and from the last bend.
            guard p.distance(to: first) > radius, q.distance(to: last) > radius else { return nil }
            let a = p + (first - p) * (radius / p.distance(to: first)), b = q + (last - q) * (radius / q.distance(to: last))
            let line = [a] + bends + [b]
            // The weight beside the middle bend, on the upper (or right) side of the way through it.
            let middle = bends[bends.count / 2]
            let before = bends.count / 2 == 0 ? a : bends[bends.count / 2 - 1]
            let after = bends.count / 2 + 1 < bends.count ? bends[bends.count / 2 + 1] : b
            return EdgeShape(line: line, side: upward(after - before), labelBase: middle)
        }
        let length = p.distance(to: q)
        guard length > 2 * radius + 1 else { return nil }
        let u = (q - p) * (1 / length)
        let normal = Point2(-u.y, u.x)
        // Edges both ways between two nodes run side by side, each on its own right.
        let pair = placed.paired[index]
        let offset = pair ? radius * 0.35 : 0
        let along = (radius * radius - offset * offset).squareRoot()
        let a = p + normal * offset + u * along, b = q + normal * offset - u * along
        // Weights go on the outer side of a pair, else above the line.
        return EdgeShape(line: [a, b], side: pair ? normal : upward(u), labelBase: a.lerp(b, 0.5))
    }

    /// The unit normal of direction `v` that points up the screen (right, for an upright `v`).
    static func upward(_ v: Point2) -> Point2 {
        let length = max(1e-12, v.distance(to: Point2(0, 0)))
        let n = Point2(-v.y / length, v.x / length)
        return n.y > 1e-9 || (abs(n.y) <= 1e-9 && n.x < 0) ? n * -1 : n
    }

    /// A self-edge: a small circle outside the node, away from the middle of the network.
    static func loop(at c: Point2, away middle: Point2, radius: Double) -> EdgeShape {
        var w = c - middle
        let d = w.distance(to: Point2(0, 0))
        w = d > 1e-6 ? w * (1 / d) : Point2(0, -1)
        let distance = radius * 1.3, loopRadius = radius * 0.7
        let center = c + w * distance
        // Where the loop meets the node: the angle either side of the direction back to its centre.
        let meet = acos((distance * distance + loopRadius * loopRadius - radius * radius) / (2 * distance * loopRadius))
        let back = atan2(w.y, -w.x)
        let line = Polyline.ellipse(center: center, rx: loopRadius, ry: loopRadius, from: back + meet, to: back + 2 * .pi - meet,
                                    segments: 48)
        return EdgeShape(line: line, side: w, labelBase: center + w * loopRadius)
    }

    static func labelSize(_ spec: NetworkSpec) -> Double { min(48, max(20, spec.nodeRadius * 0.8)) }

    static func draw(_ d: inout KindDrawing) {
        guard let spec = d.object.network, let plan = d.compiled.prepared as? NetworkPlan else { return }
        let placed = plan.placed(in: d.rect), centers = placed.centers
        let radius = spec.nodeRadius
        let size = d.value(d.object.fontSize, labelSize(spec))
        // Weights a little smaller than labels, but not below the size the Critic reads as too small.
        let weightSize = min(size, max(LayoutCheck.minimumFontSize, size * 0.85))
        let text = RGBA(d.theme.text)

        var lines: [[Point2]] = []
        let head = d.width * 4
        for i in spec.edges.indices {
            guard let edge = shape(spec, edge: i, placed) else { continue }
            var line = edge.line
            if spec.directed {
                let length = Polyline.length(line)
                let h = min(head, length * 0.45)
                if let base = Polyline.point(line, at: (length - h) / length), let tip = line.last {
                    d.geometry.tips.append(SceneEvaluator.arrowHead(from: base, to: tip, length: h))
                }
                // The shaft stops inside the head so its round cap does not poke through the tip.
                line = Polyline.prefix(line, length: length - h * 0.7)
            }
            lines.append(line)
            if let weight = spec.edges[i].weight, !weight.isEmpty {
                let box = d.measurer.measure(weight, fontSize: weightSize, bold: false, wrapWidth: nil)
                let n = edge.side
                let gap = 8 + abs(n.x) * box.width / 2 + abs(n.y) * box.height / 2
                d.text(weight, at: edge.labelBase + n * gap, size: weightSize, color: text)
            }
        }
        d.path(lines, closed: false, width: d.width * 0.6)

        // Plain nodes: one outline path in the network's colour, filled with its `fill`.
        func circle(_ c: Point2, _ r: Double, clockwise: Bool = false) -> [Point2] {
            let points = Polyline.ellipse(center: c, rx: r, ry: r, from: .pi / 2, to: .pi / 2 + 2 * .pi,
                                          segments: Polyline.segments(radius: r))
            return clockwise ? points.reversed() : points
        }
        let plain = spec.nodes.indices.filter { spec.nodes[$0].color == nil }
        if !plain.isEmpty { d.path(plain.map { circle(centers[$0], radius) }, closed: true, fill: d.fill) }
        // Coloured nodes keep their colour through `color` steps on the network: their outline is a
        // filled ring (the outer circle one way round, the inner the other), their inside a tint.
        for i in spec.nodes.indices {
            guard let ref = spec.nodes[i].color else { continue }
            let color = d.evaluator.rgba(ref), c = centers[i], half = d.width / 2
            d.path([circle(c, radius)], closed: true, fill: d.fill ?? color.faded(0.3), strokeIt: false)
            d.path([circle(c, radius + half), circle(c, max(0, radius - half), clockwise: true)], closed: true, fill: color,
                   strokeIt: false)
        }
        guard spec.labels else { return }
        for (i, node) in spec.nodes.enumerated() {
            d.text(node.label ?? node.id, at: centers[i], size: size, color: text)
        }
    }
}
