import C2VLesson
import C2VUtil
import Foundation

/// `graph`: y(x) on axes (`on`), or scaled to fill an area (`at`).
enum GraphKind: SceneKind {
    static let kind = ObjectKind.graph
    static let keys = ["y", "x"]
    static let placement = KindPlacement.atOrOn
    static let locals = ["x"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("y", "an expression in x like \"sin(x) + sin(3*x)/3\"", &r) {
            o.object.expressions = r.expression(v, what: "`y`", bindings: o.bindings, locals: locals).map { [$0] }
        }
        if let v = o["x"] { o.object.domain = r.constantRange(v, key: "x", bindings: o.bindings) }
        if let e = o.object.expressions?.first, let v = o["y"] { checkDefined(e, o.object, bindings: o.bindings, at: v.location, &r) }
    }

    /// A graph must be defined wherever it is drawn (at the start of the section).
    static func checkDefined(_ y: Expr, _ object: SceneObject, bindings: [String: Double], at: SourceLocation, _ r: inout SceneReader) {
        let scope = r.scope(bindings: bindings.keys, locals: locals)
        guard let e = try? r.compile(y.source, scope) else { return }
        let domain = object.domain.map { $0.map { Double($0.source) ?? 0 } } ?? [-.pi, .pi]
        var slots = scope.slots(params: r.params.map(\.initial), bindings: bindings)
        let x = scope.slot(ofLocal: "x")
        let n = SceneParser.graphSamples
        for i in 0...n {
            slots[x] = domain[0] + (domain[1] - domain[0]) * Double(i) / Double(n)
            if !e.evaluate(slots: &slots).isFinite {
                r.fail("`y` is undefined at x = \((slots[x] * 1000).rounded() / 1000) (division by zero, or a root or log of a negative number?)", at)
                return
            }
        }
    }

    static func draw(_ d: inout KindDrawing) {
        let o = d.compiled
        guard let e = o.object.expressions?.first else { return }
        let y = o.compiled(e)
        let host = d.host
        let x0 = o.number(o.object.domain?[0], host?.x0 ?? -.pi)
        let x1 = o.number(o.object.domain?[1], host?.x1 ?? .pi)
        let n = SceneParser.graphSamples
        var values: [Double] = []
        values.reserveCapacity(n + 1)
        for i in 0...n {
            d.setLocal("x", x0 + (x1 - x0) * Double(i) / Double(n))
            values.append(y(&d.slots))
        }
        var subpaths: [[Point2]] = [[]]
        if let host {
            let toScene = host.map
            let y0 = host.y0, y1 = host.y1
            let margin = (y1 - y0) * 0.05
            for (i, v) in values.enumerated() {
                guard v.isFinite, v >= y0 - margin, v <= y1 + margin else {
                    if !(subpaths.last!.isEmpty) { subpaths.append([]) }
                    continue
                }
                subpaths[subpaths.count - 1].append(toScene(x0 + (x1 - x0) * Double(i) / Double(n), v))
            }
        } else {
            let area = d.rect.insetBy(20)
            let finite = values.filter(\.isFinite)
            let low = finite.min() ?? 0, high = finite.max() ?? 1
            let span = high - low
            for (i, v) in values.enumerated() {
                guard v.isFinite else {
                    if !(subpaths.last!.isEmpty) { subpaths.append([]) }
                    continue
                }
                let py = span > 1e-12 ? area.maxY - (v - low) / span * area.height : area.midY
                subpaths[subpaths.count - 1].append(Point2(area.x + area.width * Double(i) / Double(n), py))
            }
        }
        subpaths.removeAll { $0.count < 2 }
        d.path(subpaths, closed: false)
    }
}
