import Foundation

/// `wave`: a sum of sines, amplitude × sin(k·x + phase), scaled to fill its area.
enum WaveKind: SceneKind {
    static let kind = ObjectKind.wave
    static let keys = ["harmonics", "periods"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        var harmonics: [Harmonic] = [Harmonic(k: 1, amplitude: 1)]
        if let v = o["harmonics"] {
            harmonics = []
            if case .sequence(let items, _) = v {
                for h in items {
                    if case .sequence(let parts, _) = h, (2...3).contains(parts.count) {
                        let numbers = parts.compactMap { r.constant($0, what: "a harmonic's number", bindings: o.bindings) }
                        if numbers.count == parts.count {
                            harmonics.append(Harmonic(k: numbers[0], amplitude: numbers[1], phase: numbers.count > 2 ? numbers[2] : 0))
                        }
                    } else { r.fail("a harmonic must be [k, amplitude] or [k, amplitude, phase]", h.location) }
                }
            } else { r.fail("`harmonics` must be a list of [k, amplitude] pairs", v.location) }
        }
        o.object.harmonics = harmonics
        if let v = o["periods"], let p = r.constant(v, what: "`periods`") {
            if p > 0, p <= 20 { o.object.periods = p } else { r.fail("`periods` must be a number in (0, 20]", v.location) }
        }
    }

    static func draw(_ d: inout KindDrawing) {
        let n = SceneParser.graphSamples, periods = d.object.periods ?? 1
        let harmonics = d.object.harmonics ?? []
        let values = (0...n).map { i -> Double in
            let x = (Double(i) / Double(n) * 2 - 1) * .pi * periods
            return harmonics.reduce(0) { $0 + $1.amplitude * sin($1.k * x + $1.phase) }
        }
        let area = d.rect.insetBy(20)
        let peak = max(1e-9, values.map(abs).max() ?? 0) / 0.9
        let points = values.enumerated().map { i, v in
            Point2(area.x + area.width * Double(i) / Double(n), area.midY - v / peak * area.height / 2)
        }
        d.path([points], closed: false)
    }
}
