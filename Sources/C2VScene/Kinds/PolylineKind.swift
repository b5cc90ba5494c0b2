import C2VLesson
import C2VUtil
import Foundation

/// `polyline`: an open path (closed with `closed: true`) through listed places, or through points
/// computed from a whole-number variable (`{var: k, from: 0, to: 63, point: [x(k), y(k)]}`).
enum PolylineKind: SceneKind {
    static let kind = ObjectKind.polyline
    static let keys = ["points", "closed"]
    static let placement = KindPlacement.own

    /// A computed polyline's variable is a local of its own expressions.
    static func locals(of object: SceneObject) -> [String] { object.sweep.map { [$0.variable] } ?? [] }

    static let sweepKeys = ["var", "from", "to", "point"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        let expected = "a list of at least 2 anchors or [x, y] points, or {var: k, from: 0, to: 63, point: [x(k), y(k)]}"
        if let v = o["closed"] { o.object.closed = r.bool(v, what: "`closed`") }
        guard let v = o.need("points", expected, &r) else { return }
        switch v {
        case .sequence(let items, _) where items.count >= 2:
            let places = items.map { r.place($0, what: "a point of `points`", bindings: o.bindings) }
            if !places.contains(where: { $0 == nil }) { o.object.points = places.map { $0! } }
        case .mapping(let entries, let at):
            o.object.sweep = readSweep(entries, at: at, bindings: o.bindings, &r)
        default:
            r.fail("`points` must be \(expected)", v.location)
        }
    }

    static func readSweep(_ entries: [YAMLEntry], at: SourceLocation, bindings: [String: Double], _ r: inout SceneReader) -> PointSweep? {
        var fields: [String: YAMLValue] = [:]
        for entry in entries {
            guard sweepKeys.contains(entry.key) else {
                r.fail("unknown key `\(entry.key)` in `points`" + suggestion(entry.key, sweepKeys), entry.keyLocation)
                return nil
            }
            fields[entry.key] = entry.value
        }
        let missing = sweepKeys.filter { fields[$0] == nil }
        guard missing.isEmpty else {
            let keys = missing.map { "`\($0)`" }.joined(separator: ", ")
            r.fail("`points` needs \(keys), like {var: k, from: 0, to: 63, point: [\"800 + 10 * k\", \"500 + 100 * sin(k)\"]}", at)
            return nil
        }
        guard let name = r.text(fields["var"]!, what: "`points.var`") else { return nil }
        let taken = r.params.contains { $0.name == name } || bindings[name] != nil || r.functions.contains { $0.name == name }
        guard r.isIdentifier(name), !SceneReader.reserved.contains(name), !taken else {
            r.fail("`\(name)` cannot be the variable of `points`; use a new name like k", fields["var"]!.location)
            return nil
        }
        func whole(_ key: String) -> Int? {
            let v = fields[key]!
            guard let d = r.constant(v, what: "`points.\(key)`", bindings: bindings) else { return nil }
            do { return try Checked.wholeNumber(d, in: -1_000_000_000...1_000_000_000, what: "`points.\(key)`", at: v.location) } catch {
                r.errors.append(error)
                return nil
            }
        }
        let point = r.expressions(fields["point"]!, count: 2, what: "`point` ([x, y])", bindings: bindings, locals: [name])
        guard let from = whole("from"), let to = whole("to"), let point else { return nil }
        let count = to - from + 1
        guard count >= 2 else {
            r.fail("`points` goes from \(from) to \(to); a polyline needs at least 2 points", at)
            return nil
        }
        guard count <= PointSweep.maximumPoints else {
            r.fail("`points` makes \(count) points; at most \(PointSweep.maximumPoints) are allowed", at)
            return nil
        }
        return PointSweep(variable: name, from: from, to: to, x: point[0], y: point[1])
    }

    static func draw(_ d: inout KindDrawing) {
        let off = d.offset()
        var subpaths: [[Point2]] = [[]]
        if let sweep = d.object.sweep {
            let xs = d.compiled.compiled(sweep.x), ys = d.compiled.compiled(sweep.y)
            let toScene = d.toScene
            for k in sweep.from...sweep.to {
                d.setLocal(sweep.variable, Double(k))
                let x = xs(&d.slots), y = ys(&d.slots)
                // An undefined point breaks the path there, and the Critic hears of it.
                guard x.isFinite, y.isFinite else {
                    d.evaluator.noteUndefined(d.object.id, x.isFinite ? sweep.y.source : sweep.x.source, time: d.time)
                    if !subpaths[subpaths.count - 1].isEmpty { subpaths.append([]) }
                    continue
                }
                subpaths[subpaths.count - 1].append((toScene?(x, y) ?? Point2(x, y)) + off)
            }
        } else {
            for place in d.object.points ?? [] { subpaths[0].append(d.point(place) + off) }
        }
        subpaths.removeAll { $0.count < 2 }
        guard !subpaths.isEmpty else { return }
        let closed = d.object.closed == true && subpaths.count == 1
        d.path(subpaths, closed: closed, fill: closed ? d.fill : nil)
    }
}
