import Foundation

/// What the visual area shows: the point of the scene at its centre and the magnification.
/// Titles and lecture lines are not filmed by it; only objects are.
public struct Camera: Sendable, Equatable {
    public var center: Point2
    public var scale: Double

    public static let identity = Camera(center: SceneLayout.visualArea.center, scale: 1)
    /// Magnifications a zoom may reach.
    public static let scales: ClosedRange<Double> = 0.25...20

    public var isIdentity: Bool { abs(scale - 1) < 1e-9 && center.distance(to: Self.identity.center) < 1e-6 }

    /// Scene point -> where the camera shows it.
    public func map(_ p: Point2) -> Point2 {
        let c = Self.identity.center
        return Point2(c.x + (p.x - center.x) * scale, c.y + (p.y - center.y) * scale)
    }

    /// The part of the scene the visual area shows.
    public var shows: Rect {
        let v = SceneLayout.visualArea
        return Rect(x: center.x - v.width / 2 / scale, y: center.y - v.height / 2 / scale, width: v.width / scale, height: v.height / scale)
    }

    /// The camera that shows `box` with a margin, as large as the visual area allows.
    static func fitting(_ box: Rect) -> Camera {
        let v = SceneLayout.visualArea
        let k = min(v.width / max(box.width, 1), v.height / max(box.height, 1)) / 1.15
        return Camera(center: box.center, scale: min(max(k, scales.lowerBound), scales.upperBound))
    }

    /// Part way from here to `other`: the centre moves in a straight line, the scale evenly in
    /// its logarithm, so a zoom feels steady.
    func blended(_ other: Camera, _ p: Double) -> Camera {
        let s = exp(log(scale) + (log(other.scale) - log(scale)) * p)
        // While zooming, the centre moves with the view's size (1/scale), so the point being
        // zoomed into holds still on screen instead of sliding in from the side.
        var q = p
        if abs(1 / other.scale - 1 / scale) > 1e-9 { q = (1 / s - 1 / scale) / (1 / other.scale - 1 / scale) }
        return Camera(center: center.lerp(other.center, q), scale: s)
    }

    /// `item` as filmed. A host's tick labels keep their size (`scalesText` false): they label
    /// the view, like lines that keep their width.
    func apply(_ item: DrawItem, scalesText: Bool = true) -> DrawItem {
        switch item {
        case .path(var path):
            // Lines keep their width, as a camera's do: a zoom shows detail, not heavier strokes.
            path.subpaths = path.subpaths.map { $0.map(map) }
            return .path(path)
        case .text(var text):
            text.anchor = map(text.anchor)
            if scalesText { text.size *= scale }
            if let t = text.transition {
                var target = t.target
                target.anchor = map(target.anchor)
                target.size *= scale
                text.transition = TextTransition(target: target, progress: t.progress)
            }
            return .text(text)
        case .image(var image):
            let o = map(Point2(image.rect.x, image.rect.y))
            image.rect = Rect(x: o.x, y: o.y, width: image.rect.width * scale, height: image.rect.height * scale)
            return .image(image)
        }
    }
}

extension SceneEvaluator {
    /// Where the camera is at `time`: each `zoom` and `pan` moves it from where the steps before
    /// left it. An object's box is taken when its step starts.
    public func camera(at time: Double) -> Camera {
        if cameraTargets == nil {
            // Each step's target once, from where the steps before it leave the camera.
            var targets: [Camera] = []
            for n in cameraAnimations.indices { targets.append(cameraTarget(n, from: targets.last ?? .identity)) }
            cameraTargets = targets
        }
        var camera = Camera.identity
        for (n, a) in cameraAnimations.enumerated() where a.start <= time {
            camera = camera.blended(cameraTargets![n], progress(a, time))
        }
        return camera
    }

    /// A camera place: an area's point, or a fixed [x, y].
    func fixedPoint(_ place: Place) -> Point2 {
        switch place.base {
        case .grid(let area):
            let r = SceneLayout.rect(area), u = place.edge.unit
            return Point2(r.midX + u.x * r.width / 2, r.midY + u.y * r.height / 2)
        case .point(let x, let y):
            return Point2(Double(x.source) ?? 0, Double(y.source) ?? 0)
        case .object:
            return SceneLayout.visualArea.center
        }
    }

    func cameraTarget(_ n: Int, from: Camera) -> Camera {
        let a = cameraAnimations[n]
        var box: Rect?
        if let place = a.place, case .grid(let area) = place.base, a.kind == .zoom { box = SceneLayout.rect(area) }
        if let id = a.other {
            let indices = objects.indices.filter { objects[$0].object.id == id || objects[$0].object.family == id }
            let params = paramValues(at: a.start + 1e-6)
            for i in indices {
                // Where it is drawn, whether or not it has faded in yet.
                var slots = slots(objects[i], time: a.start, params: params)
                guard let b = geometry(objects[i], time: a.start, params: params, slots: &slots).bounds(measurer) else { continue }
                box = box.map { $0.union(b) } ?? b
            }
        }
        switch a.kind {
        case .zoom:
            if let box { return Camera.fitting(box) }
            if let f = a.value {
                var center = from.center
                if let place = a.place { center = fixedPoint(place) }
                return Camera(center: center, scale: min(max(f, Camera.scales.lowerBound), Camera.scales.upperBound))
            }
            return .identity
        default:
            if let box { return Camera(center: box.center, scale: from.scale) }
            if let place = a.place { return Camera(center: fixedPoint(place), scale: from.scale) }
            if let by = a.by { return Camera(center: from.center + Point2(by[0], by[1]), scale: from.scale) }
            return from
        }
    }
}
