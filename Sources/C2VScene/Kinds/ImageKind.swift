/// `image`: a PNG or SVG from the lesson folder, fitted into its area.
enum ImageKind: SceneKind {
    static let kind = ObjectKind.image
    static let keys = ["src"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("src", "a PNG or SVG file in the lesson folder", &r), let s = r.text(v, what: "`src`") {
            r.loadImage(s, into: &o.object, at: v.location)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        d.geometry.images.append(ImageItem(object: d.object.id, rect: d.rect, alpha: 1))
    }
}

/// `group`: a name for several objects, so one step can target them all. It draws nothing.
enum GroupKind: SceneKind {
    static let kind = ObjectKind.group
    static let keys = ["members"]
    static let placement = KindPlacement.own

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        guard let v = o.need("members", "a list of object ids", &r) else { return }
        if case .sequence(let items, _) = v, !items.isEmpty {
            o.object.members = items.compactMap { r.text($0, what: "a member id") }
        } else { r.fail("`members` must be a non-empty list of object ids", v.location) }
    }

    static func draw(_ d: inout KindDrawing) {}
}
