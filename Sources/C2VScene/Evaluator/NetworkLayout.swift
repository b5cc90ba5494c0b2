import Foundation

/// Where a network's nodes go in an area of a given size: worked out once per evaluator (the
/// layouts are deterministic), then moved with the area on every frame.
///
/// Every layout is a pure function of the network and the area's size: no random numbers, no
/// iteration over dictionaries or sets, a fixed number of steps. The same scene lays out the
/// same on every run and every machine.
struct NetworkPlan: Sendable {
    /// Node centres, relative to the area's top left.
    var centers: [Point2]
    /// For each edge, the points it bends at on its way (a layered layout's edges over more than
    /// one layer), from `from` to `to`; empty for a straight edge.
    var bends: [[Point2]]
    /// Directed edges with a twin the other way round, drawn side by side.
    var paired: [Bool]
    var width: Double
    var height: Double

    init(_ spec: NetworkSpec, width: Double, height: Double) {
        self.width = width
        self.height = height
        (centers, bends) = NetworkLayout.positions(spec, width: width, height: height)
        let ways = Set(spec.edges.map { [$0.from, $0.to] })
        paired = spec.edges.map { spec.directed && $0.from != $0.to && ways.contains([$0.to, $0.from]) }
    }

    /// Everything an edge's shape needs, in scene units for `rect`.
    struct Placed {
        var centers: [Point2]
        var bends: [[Point2]]
        var paired: [Bool]
        /// The mean of the centres: self-loops point away from it.
        var middle: Point2
    }

    func placed(in rect: Rect) -> Placed {
        let c = centers(in: rect)
        let middle = c.isEmpty ? rect.center : c.reduce(Point2(0, 0)) { $0 + $1 } * (1 / Double(c.count))
        return Placed(centers: c, bends: bends(in: rect), paired: paired, middle: middle)
    }

    /// A point of the plan in `rect` (stretched, should its size differ from the one laid out for).
    func place(_ p: Point2, in rect: Rect) -> Point2 {
        Point2(rect.x + p.x * (width > 0 ? rect.width / width : 1), rect.y + p.y * (height > 0 ? rect.height / height : 1))
    }

    func centers(in rect: Rect) -> [Point2] { centers.map { place($0, in: rect) } }
    func bends(in rect: Rect) -> [[Point2]] { bends.map { $0.map { place($0, in: rect) } } }
}

enum NetworkLayout {
    /// Iterations of the force layout; fixed, so that it ends in the same place every time.
    static let forceIterations = 200
    /// Sweeps of the layered layout's barycentre ordering.
    static let orderingSweeps = 8
    /// Clear space kept between two nodes' circles where the layout can choose.
    static let gap = 12.0

    static func positions(_ spec: NetworkSpec, width: Double, height: Double) -> (centers: [Point2], bends: [[Point2]]) {
        let n = spec.nodes.count
        let straight = [[Point2]](repeating: [], count: spec.edges.count)
        guard n > 0 else { return ([], straight) }
        // Centres stay a radius (and a stroke) inside the area, so the circles fill it.
        let pad = spec.nodeRadius + 6
        let box = Rect(x: min(pad, width / 2), y: min(pad, height / 2),
                       width: max(0, width - 2 * pad), height: max(0, height - 2 * pad))
        switch spec.layout {
        case .circular: return (circular(n, in: box), straight)
        case .grid: return (grid(n, in: box), straight)
        case .layered: return layered(spec, in: box)
        case .force: return (force(spec, in: box), straight)
        }
    }

    /// Evenly round the largest circle that fits, the first node at the top, then clockwise.
    static func circular(_ n: Int, in box: Rect) -> [Point2] {
        guard n > 1 else { return [box.center] }
        let radius = min(box.width, box.height) / 2
        return (0..<n).map { k in
            let a = -Double.pi / 2 + 2 * Double.pi * Double(k) / Double(n)
            return Point2(box.midX + radius * cos(a), box.midY + radius * sin(a))
        }
    }

    /// Rows of near-square cells in the order written, spread over the whole box.
    static func grid(_ n: Int, in box: Rect) -> [Point2] {
        let aspect = box.height > 0 ? box.width / box.height : 1
        let columns = max(1, min(n, Int((Double(n) * aspect).squareRoot().rounded())))
        let rows = (n + columns - 1) / columns
        return (0..<n).map { k in
            let column = k % columns, row = k / columns
            return Point2(spread(column, columns, box.x, box.width), spread(row, rows, box.y, box.height))
        }
    }

    /// Place `i` of `count` evenly from `start` over `length` (the middle when alone).
    static func spread(_ i: Int, _ count: Int, _ start: Double, _ length: Double) -> Double {
        count > 1 ? start + length * Double(i) / Double(count - 1) : start + length / 2
    }

    // MARK: layered

    /// Each node's layer: the longest path to it from a source, edges read from `from` to `to`.
    /// A cycle is broken at the node with the fewest unplaced predecessors (the first written, on a tie).
    static func layers(_ spec: NetworkSpec) -> [Int] {
        let n = spec.nodes.count
        var incoming = [[Int]](repeating: [], count: n), outgoing = [[Int]](repeating: [], count: n)
        for e in spec.edges where e.from != e.to {
            incoming[e.to].append(e.from)
            outgoing[e.from].append(e.to)
        }
        var waiting = incoming.map(\.count)
        var placed = [Bool](repeating: false, count: n)
        var layer = [Int](repeating: 0, count: n)
        for _ in 0..<n {
            var next = -1
            for v in 0..<n where !placed[v] && (next < 0 || waiting[v] < waiting[next]) {
                next = v
                if waiting[v] == 0 { break }
            }
            placed[next] = true
            layer[next] = incoming[next].filter { placed[$0] && $0 != next }.map { layer[$0] + 1 }.max() ?? 0
            for w in outgoing[next] { waiting[w] -= 1 }
        }
        return layer
    }

    /// Layers left to right (or top to bottom). An edge over more than one layer passes through a
    /// slot in each layer between (a bend), so it goes round the nodes there instead of through
    /// them. Each layer is ordered to cross few edges: barycentre sweeps down and up, keeping the
    /// order with the fewest crossings.
    static func layered(_ spec: NetworkSpec, in box: Rect) -> (centers: [Point2], bends: [[Point2]]) {
        let n = spec.nodes.count
        let nodeLayer = layers(spec)
        // Vertices: the nodes, then one per bend. Segments join vertices of neighbouring layers.
        var layer = nodeLayer
        var segments: [(Int, Int)] = []
        var chains = [[Int]](repeating: [], count: spec.edges.count)
        for (k, e) in spec.edges.enumerated() where nodeLayer[e.from] != nodeLayer[e.to] {
            let (low, high) = nodeLayer[e.from] < nodeLayer[e.to] ? (e.from, e.to) : (e.to, e.from)
            var previous = low, chain: [Int] = []
            for l in (nodeLayer[low] + 1)..<nodeLayer[high] {
                let bend = layer.count
                layer.append(l)
                chain.append(bend)
                segments.append((previous, bend))
                previous = bend
            }
            segments.append((previous, high))
            chains[k] = e.from == low ? chain : chain.reversed()
        }
        let vertices = layer.count
        let count = (nodeLayer.max() ?? 0) + 1
        var order = [[Int]](repeating: [], count: count)
        for v in 0..<vertices { order[layer[v]].append(v) }
        var neighbours = [[Int]](repeating: [], count: vertices)
        for (a, b) in segments {
            neighbours[a].append(b)
            neighbours[b].append(a)
        }
        // A vertex's place across its layer, centred, one unit between neighbours.
        var c = [Double](repeating: 0, count: vertices)
        func place(_ l: Int) {
            for (i, v) in order[l].enumerated() { c[v] = Double(i) - Double(order[l].count - 1) / 2 }
        }
        for l in 0..<count { place(l) }
        var best = order, fewest = crossings(order, segments: segments, layer: layer)
        // Fixed sweeps, ending early once none crosses or two in a row bring no improvement.
        var stale = 0
        for sweep in 0..<orderingSweeps where fewest > 0 && stale < 2 {
            let down = sweep % 2 == 0
            let rows = down ? Array(1..<max(1, count)) : Array((0..<max(0, count - 1)).reversed())
            for l in rows {
                let keyed = order[l].enumerated().map { i, v -> (Double, Int, Int) in
                    let near = neighbours[v].filter { layer[$0] == (down ? l - 1 : l + 1) }
                    let barycentre = near.isEmpty ? c[v] : near.reduce(0) { $0 + c[$1] } / Double(near.count)
                    return (barycentre, i, v)
                }
                order[l] = keyed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.2)
                place(l)
            }
            let crossed = crossings(order, segments: segments, layer: layer)
            if crossed < fewest { best = order; fewest = crossed; stale = 0 } else { stale += 1 }
        }
        let widest = best.map(\.count).max() ?? 1
        let across = spec.direction == .right ? (box.y, box.height) : (box.x, box.width)
        let along = spec.direction == .right ? (box.x, box.width) : (box.y, box.height)
        let step = widest > 1 ? across.1 / Double(widest - 1) : 0
        var points = [Point2](repeating: box.center, count: vertices)
        for (l, row) in best.enumerated() {
            let a = spread(l, count, along.0, along.1)
            for (i, v) in row.enumerated() {
                let b = across.0 + across.1 / 2 + (Double(i) - Double(row.count - 1) / 2) * step
                points[v] = spec.direction == .right ? Point2(a, b) : Point2(b, a)
            }
        }
        return (Array(points[0..<n]), chains.map { $0.map { points[$0] } })
    }

    /// Pairs of segments that cross between neighbouring layers.
    static func crossings(_ order: [[Int]], segments: [(Int, Int)], layer: [Int]) -> Int {
        var position = [Int](repeating: 0, count: layer.count)
        for row in order { for (i, v) in row.enumerated() { position[v] = i } }
        var between = [[(Int, Int)]](repeating: [], count: order.count)
        for (a, b) in segments { between[layer[a]].append((position[a], position[b])) }
        var total = 0
        for pairs in between where pairs.count > 1 {
            // Sorted by the upper end, a crossing is a pair out of order at the lower end: counted
            // with a Fenwick tree over the lower positions.
            let sorted = pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            let size = (sorted.map(\.1).max() ?? 0) + 2
            var tree = [Int](repeating: 0, count: size + 1)
            var seen = 0
            for (_, b) in sorted {
                // Segments seen so far that end no further along than b; the rest cross this one.
                var i = b + 1, atMost = 0
                while i > 0 { atMost += tree[i]; i -= i & -i }
                total += seen - atMost
                i = b + 1
                while i <= size { tree[i] += 1; i += i & -i }
                seen += 1
            }
        }
        return total
    }

    // MARK: force

    /// Fruchterman–Reingold from the circular layout: every pair of nodes repels, every edge pulls,
    /// each move capped by a temperature that cools to zero over a fixed number of iterations. Then
    /// nodes still too close are pushed apart, and the drawing is stretched to fill the box.
    static func force(_ spec: NetworkSpec, in box: Rect) -> [Point2] {
        let n = spec.nodes.count
        var p = circular(n, in: box)
        guard n > 1 else { return p }
        let k = max(1, (box.width * box.height / Double(n)).squareRoot())
        let start = max(box.width, box.height) / 10
        func clamp(_ q: Point2) -> Point2 {
            Point2(min(box.maxX, max(box.x, q.x)), min(box.maxY, max(box.y, q.y)))
        }
        // Two nodes on one spot are parted along a direction that depends only on their indices.
        func apart(_ i: Int, _ j: Int) -> (Double, Double) {
            (0.01 * Double(1 + (i + 2 * j) % 7), 0.01 * Double(1 + (2 * i + j) % 5))
        }
        for iteration in 0..<forceIterations {
            let temperature = start * (1 - Double(iteration) / Double(forceIterations))
            var dx = [Double](repeating: 0, count: n), dy = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in (i + 1)..<n {
                    var x = p[i].x - p[j].x, y = p[i].y - p[j].y
                    if x * x + y * y < 1e-8 { (x, y) = apart(i, j) }
                    let d2 = x * x + y * y
                    // k² / d along the unit vector: k² x / d².
                    let f = k * k / d2
                    dx[i] += x * f; dy[i] += y * f
                    dx[j] -= x * f; dy[j] -= y * f
                }
            }
            for e in spec.edges where e.from != e.to {
                let x = p[e.from].x - p[e.to].x, y = p[e.from].y - p[e.to].y
                // d² / k along the unit vector: d x / k.
                let d = (x * x + y * y).squareRoot()
                dx[e.from] -= x * d / k; dy[e.from] -= y * d / k
                dx[e.to] += x * d / k; dy[e.to] += y * d / k
            }
            for i in 0..<n {
                let length = (dx[i] * dx[i] + dy[i] * dy[i]).squareRoot()
                guard length > 0 else { continue }
                let step = min(length, temperature) / length
                p[i] = clamp(Point2(p[i].x + dx[i] * step, p[i].y + dy[i] * step))
            }
        }
        p = separated(p, minimum: 2 * spec.nodeRadius + gap, clamp: clamp)
        return stretched(p, to: box)
    }

    /// Pushes apart nodes closer than `minimum`, a few rounds at most.
    static func separated(_ points: [Point2], minimum: Double, clamp: (Point2) -> Point2) -> [Point2] {
        var p = points
        for _ in 0..<50 {
            var moved = false
            for i in p.indices {
                for j in p.indices where j > i {
                    var x = p[j].x - p[i].x, y = p[j].y - p[i].y
                    if (x * x + y * y).squareRoot() >= minimum { continue }
                    if x * x + y * y < 1e-12 { (x, y) = (Double(1 + i % 3), Double(1 + j % 2)) }
                    let d = (x * x + y * y).squareRoot()
                    let push = max(0, minimum - d) / 2 / d
                    p[i] = clamp(Point2(p[i].x - x * push, p[i].y - y * push))
                    p[j] = clamp(Point2(p[j].x + x * push, p[j].y + y * push))
                    moved = true
                }
            }
            if !moved { break }
        }
        return p
    }

    /// The drawing's bounding box mapped onto `box` (only ever enlarged: nodes move apart, never closer).
    static func stretched(_ p: [Point2], to box: Rect) -> [Point2] {
        guard let bounds = Polyline.bounds([p]) else { return p }
        func axis(_ v: Double, _ lo: Double, _ extent: Double, _ start: Double, _ length: Double) -> Double {
            extent > 1e-6 ? start + (v - lo) / extent * length : start + length / 2
        }
        return p.map {
            Point2(axis($0.x, bounds.x, bounds.width, box.x, box.width), axis($0.y, bounds.y, bounds.height, box.y, box.height))
        }
    }
}
