import Foundation

extension SceneEvaluator {
    /// Where a named part of an object lies now (a network's node or edge), moved as its steps
    /// move the whole object; nil when its kind names no such part.
    func kindPart(_ o: CompiledObject, _ name: String, time: Double, params: [Double], state s: State, base: Point2) -> KindPart? {
        var slots = slots(o, time: time, params: params)
        let area = rect(o, time: time, params: params, slots: &slots)
        guard var part = SceneKinds.of(o.object.kind).part(name, of: o, rect: area) else { return nil }
        // As `Geometry.transform` maps the object's points: scaled and turned about `base`, then shifted.
        let a = -s.rotation * .pi / 180, cosA = cos(a), sinA = sin(a)
        func map(_ p: Point2) -> Point2 {
            let dx = (p.x - base.x) * s.scale, dy = (p.y - base.y) * s.scale
            return Point2(base.x + dx * cosA - dy * sinA + s.offset.x, base.y + dx * sinA + dy * cosA + s.offset.y)
        }
        let b = part.box
        let corners = [Point2(b.x, b.y), Point2(b.maxX, b.y), Point2(b.maxX, b.maxY), Point2(b.x, b.maxY)].map(map)
        part.box = Polyline.bounds([corners]) ?? b
        part.outline = part.outline?.map(map)
        return part
    }
}
