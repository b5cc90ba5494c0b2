import C2VLesson
import C2VUtil
import Foundation

/// One problem the layout check found, with a concrete fix when there is one.
public struct Finding: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case warning, error }
    public var severity: Severity
    public var object: String
    public var message: String
    /// Seconds into the section when it was seen, for problems that depend on time.
    public var time: Double?
    /// Where the object is (`C4`, `[1200, 300]`), when it has a place.
    public var anchor: String?
    public var fix: String?
    /// Where the object is written (`lesson.yaml:12:11`), when known.
    public var location: SourceLocation?

    public init(severity: Severity, object: String, message: String, time: Double? = nil, anchor: String? = nil, fix: String? = nil,
                location: SourceLocation? = nil) {
        self.location = location
        self.severity = severity
        self.object = object
        self.message = message
        self.time = time
        self.anchor = anchor
        self.fix = fix
    }

    public var description: String {
        var s = location.map { "\($0): " } ?? ""
        s += "\(object)"
        if let time { s += " at \(String(format: "%.2f", time)) s" }
        s += ": \(message)"
        if let fix { s += "; fix: \(fix)" }
        return s
    }
}

/// The built-in Critic: evaluates every object's box at every step boundary and reports what
/// a viewer would notice (off-screen parts, intrusion into the title bar or lecture column,
/// overlapping texts, unreadable or overflowing text, undefined expressions, objects that stay
/// after they should go). Errors fail the section; the Coder repairs from the fixes.
public enum LayoutCheck {
    /// Scene units below which text is too small on any screen (about 1/54 of the height).
    public static let minimumFontSize = 20.0
    /// Device pixels below which text is unreadable at the output size.
    public static let minimumPixels = 9.0

    /// `pointBudget`: the most points one frame may draw (`DrawLimits.maxPointsPerFrame`).
    /// `locations`: where each object is written (`SceneParser.objectLocations`), so findings
    /// point at it as parse errors do.
    public static func run(_ scene: Scene, theme: Theme = .default, measurer: some TextMeasuring,
                           outputHeight: Int = 1080, pointBudget: Int = DrawLimits.maxPointsPerFrame,
                           locations: [String: SourceLocation] = [:]) -> [Finding] {
        var findings = check(scene, theme: theme, measurer: measurer, outputHeight: outputHeight, pointBudget: pointBudget)
        for i in findings.indices {
            let id = findings[i].object
            // A family member (`bar[3]`) is written where its family is.
            let family = id.firstIndex(of: "[").map { String(id[..<$0]) }
            findings[i].location = locations[id] ?? family.flatMap { locations[$0] }
        }
        return findings
    }

    static func check(_ scene: Scene, theme: Theme, measurer: some TextMeasuring, outputHeight: Int, pointBudget: Int) -> [Finding] {
        var findings: [Finding] = []
        findings += checkColumn(scene, measurer: measurer)
        guard let evaluator = try? SceneEvaluator(scene: scene, theme: theme, measurer: measurer) else {
            findings.append(Finding(severity: .error, object: "the scene", message: "does not compile"))
            return findings
        }
        let scale = Double(outputHeight) / SceneLayout.height
        // A circle on axes whose units differ across and up is the ellipse it is in their units.
        for object in scene.objects where object.kind == .circle {
            guard let on = object.on, let host = evaluator.byID[on] else { continue }
            let frame = evaluator.hostFrame(host, time: object.appear, params: evaluator.paramValues(at: object.appear))
            guard !frame.isEqualAspect else { continue }
            findings.append(Finding(severity: .warning, object: object.id,
                message: "is drawn as an ellipse: a unit of `\(on)` is \(Checked.display(frame.scale.x.rounded())) scene units across but \(Checked.display(frame.scale.y.rounded())) up",
                fix: "draw it on a `plane`, which keeps both units equal, or give `\(on)` ranges in the proportion of its area"))
        }
        var reported: Set<String> = []
        func report(_ f: Finding, key: String) {
            if reported.insert(key).inserted { findings.append(f) }
        }
        let objects = Dictionary(scene.objects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let motion: Set<AnimationKind> = [.move, .shift, .scale, .rotate, .transform, .follow, .grow, .shrink]
        func moving(_ id: String, _ time: Double) -> Bool {
            scene.animations.contains { $0.target == id && motion.contains($0.kind) && $0.start < time && time < $0.end }
        }

        // The size a text is drawn at (its `size` may be an expression); the first one seen.
        var drawnSize: [String: Double] = [:]
        for time in sampleTimes(scene) {
            let frame = evaluator.frame(at: time)
            let points = frame.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.pointCount } }
            if points > pointBudget {
                let heaviest = frame.max { $0.items.reduce(0) { $0 + $1.pointCount } < $1.items.reduce(0) { $0 + $1.pointCount } }
                report(Finding(severity: .error, object: heaviest?.id ?? "scene",
                               message: "one frame draws \(points) points; at most \(pointBudget) (fewer family members or samples)",
                               time: time), key: "points")
                break
            }
            for of in frame where drawnSize[of.id] == nil {
                for case .text(let t) in of.items { drawnSize[of.id] = t.size; break }
            }
            // A zoomed or panned camera films the visual area only: what it shows is checked, the
            // rest is cut off on purpose.
            let filmed = !evaluator.camera(at: time).isIdentity
            // Every box first, so a suggested move can avoid all of them.
            let drawn: [(frame: ObjectFrame, box: Box)] = frame.compactMap { of in
                guard let object = objects[of.id], var box = bounds(of.items, measurer) else { return nil }
                if filmed, object.pinned != true {
                    guard let shown = box.intersection(SceneLayout.visualArea) else { return nil }
                    box = shown
                }
                return (of, Box(id: of.id, box: box, textual: [.text, .math, .table].contains(object.kind)))
            }
            let boxes = drawn.map(\.box)
            for (of, b) in drawn {
                let object = objects[b.id]!, box = b.box, anchor = object.at?.description
                var placement: (String, String)?
                if filmed && object.pinned != true {
                    placement = nil
                } else if !SceneLayout.canvas.insetBy(-2).contains(box) {
                    placement = ("offscreen", "extends off-screen (\(describe(box)) on a 1920x1080 canvas)")
                } else if box.intersection(SceneLayout.titleBar.insetBy(4)) != nil {
                    placement = ("title", "covers the title bar (\(describe(box)))")
                } else if box.intersection(SceneLayout.lectureColumn.insetBy(4)) != nil {
                    placement = ("column", "intrudes into the lecture column (\(describe(box)))")
                }
                if let (kind, message) = placement {
                    report(Finding(severity: .error, object: b.id, message: message, time: time, anchor: anchor,
                                   fix: move(object, box: box, among: boxes)),
                           key: "\(kind) \(b.id)")
                }
                // Text growing in or shrinking away is small for a moment on purpose.
                for case .text(let t) in of.items where t.color.a > 0.05 && !moving(b.id, time) {
                    if t.size < minimumFontSize || t.size * scale < minimumPixels {
                        let needed = max(minimumFontSize, minimumPixels / scale).rounded(.up)
                        report(Finding(severity: .warning, object: b.id,
                                       message: "text \"\(short(t.text))\" is \(Checked.display(t.size)) units (\(String(format: "%.1f", t.size * scale)) px at this size); too small to read",
                                       time: time, anchor: anchor, fix: SceneKinds.of(object.kind).keys.contains("size")
                                           ? "set `size` to at least \(Checked.display(needed))"
                                           : "its labels are drawn at a fixed \(Checked.display(t.size)) units: build at a video height of at least \(Checked.display((minimumPixels / t.size * SceneLayout.height).rounded(.up))) px"),
                               key: "small \(b.id)")
                    }
                }
            }
            // Texts must not overlap each other or sit on top of other objects.
            for i in boxes.indices {
                for j in boxes.indices where j > i && (boxes[i].textual || boxes[j].textual) {
                    let a = boxes[i], b = boxes[j]
                    guard separate(a.id, b.id, objects), let overlap = a.box.intersection(b.box) else { continue }
                    // A plane is a background grid, as axes are when zoomed in to fill the view: what
                    // is drawn over them is not hidden by a box.
                    if [a.id, b.id].contains(where: { id in
                        objects[id].map { $0.kind == .plane || (filmed && SceneKinds.hosts.contains($0.kind)) } ?? false
                    }) { continue }
                    // Zoomed in, a pinned caption over a filmed shape is judged by texts only: the
                    // shape's box is the view's, not what it draws.
                    if filmed, objects[a.id]?.pinned == true || objects[b.id]?.pinned == true, !(a.textual && b.textual) { continue }
                    let smaller = min(a.box.area, b.box.area)
                    guard smaller > 0, overlap.area > 0.12 * smaller else { continue }
                    let bothText = a.textual && b.textual
                    // The text is the one to move; of two texts, the later one.
                    let (subject, other) = bothText || b.textual ? (b, a) : (a, b)
                    // A text framed by a closed shape (a label in its box) is meant to be inside it.
                    if !bothText, let shape = objects[other.id], Self.framing.contains(shape.kind), other.box.contains(subject.box) { continue }
                    // A text crossing a shape on its way somewhere (a swap along an arc) is choreography.
                    if !bothText && (moving(a.id, time) || moving(b.id, time)) { continue }
                    // Texts passing each other in motion (a swap) overlap for a moment: a warning, not a failure.
                    let passing = bothText && (moving(a.id, time) || moving(b.id, time))
                    let moved = objects[subject.id]!
                    report(Finding(severity: bothText && !passing ? .error : .warning, object: subject.id,
                                   message: "overlaps `\(other.id)` (\(Checked.int(100 * overlap.area / smaller))% of the smaller box)"
                                       + (passing ? " while moving" : ""),
                                   time: time, anchor: moved.at?.description, fix: move(moved, box: subject.box, among: boxes)),
                           key: "overlap \(a.id) \(b.id)")
                }
            }
        }
        // Text objects that do not fit the area they were given.
        for object in scene.objects where object.kind == .text || object.kind == .math {
            guard let at = object.at, case .grid(let area) = at.base, at.edge == .center else { continue }
            let rect = SceneLayout.rect(area)
            guard let size = drawnSize[object.id] else { continue }
            let item = TextItem(text: object.text ?? "", markup: object.kind == .text && (object.text ?? "").contains("<"),
                                font: object.kind == .math ? .serif : TextFont(rawValue: object.font ?? "sans") ?? .sans,
                                size: size, bold: object.bold ?? false, anchor: Point2(0, 0), alignX: 0, alignY: 0, rotation: 0,
                                color: RGBA(r: 1, g: 1, b: 1, a: 1), reveal: 1, math: object.kind == .math)
            let measured = measurer.measure(item)
            if measured.width > rect.width || measured.height > rect.height {
                let k = min(rect.width / measured.width, rect.height / measured.height)
                let smaller = (size * k * 0.95).rounded(.down)
                let wider = measured.height <= rect.height ? widerArea(area, needed: measured.width) : nil
                // Never suggest a size the check itself would call too small.
                var options: [String] = []
                if smaller >= minimumFontSize { options.append("shrink `\(object.id)` to size \(Checked.display(smaller)) to fit \(area)") }
                if let wider { options.append("widen it to \(wider)") }
                if options.isEmpty { options.append("shorten the text of `\(object.id)` or give it a larger area") }
                let fix = options.joined(separator: ", or ")
                findings.append(Finding(severity: .warning, object: object.id,
                                        message: "text is \(Checked.display(measured.width.rounded(.down)))x\(Checked.display(measured.height.rounded(.down))) units but \(area) is \(Checked.display(rect.width.rounded(.down)))x\(Checked.display(rect.height.rounded(.down)))",
                                        anchor: area.description, fix: fix))
            }
        }
        // Objects that should have gone.
        for object in scene.objects {
            guard let d = object.disappear else { continue }
            let after = d + SceneObject.exitSeconds + 0.02
            guard after < scene.duration else { continue }
            if evaluator.frame(at: after).contains(where: { $0.id == object.id }) {
                findings.append(Finding(severity: .error, object: object.id, message: "is still on screen after its `until` line ended",
                                        time: after, anchor: object.at?.description))
            }
            if object.appear >= scene.duration {
                findings.append(Finding(severity: .warning, object: object.id,
                                        message: "appears at \(object.appear) s, after the section ends at \(scene.duration) s"))
            }
        }
        // Values undefined only for a moment between the checked moments (`1/(floor(t) - 1)` in
        // [1, 2)): every quarter second is evaluated too, without layout.
        if evaluator.undefined.isEmpty {
            for time in stride(from: 0, to: scene.duration, by: Self.undefinedSweep) {
                _ = evaluator.frame(at: time)
                if !evaluator.undefined.isEmpty { break }
            }
        }
        for (id, bad) in evaluator.undefined.sorted(by: { $0.key < $1.key }) {
            findings.append(Finding(severity: .error, object: id,
                                    message: "expression `\(bad.expression)` is undefined at t = \(String(format: "%.2f", bad.time)) s (division by zero, or a root or log of a negative number?)",
                                    time: bad.time))
        }
        return findings
    }

    /// Moments worth checking: every step's start, middle and end, every line's start and end, the last frame.
    /// Step of the sweep for undefined values, in seconds.
    static let undefinedSweep = 0.25

    public static func sampleTimes(_ scene: Scene) -> [Double] {
        var times: [Double] = [0, max(0, scene.duration - 0.001)]
        for a in scene.animations { times += [a.start + 0.001, (a.start + a.end) / 2, max(a.start, a.end - 0.001)] }
        for l in scene.lines { times += [l.start + 0.001, max(l.start, l.end - 0.001)] }
        for o in scene.objects { times.append(o.appear + SceneObject.entranceSeconds) }
        let sorted = Array(Set(times.filter { $0 >= 0 && $0 <= scene.duration }.map { ($0 * 1000).rounded() / 1000 })).sorted()
        guard sorted.count > 240 else { return sorted }
        return stride(from: 0, to: sorted.count, by: sorted.count / 240 + 1).map { sorted[$0] }
    }

    static func bounds(_ items: [DrawItem], _ measurer: some TextMeasuring) -> Rect? {
        var r: Rect?
        for item in items {
            var b: Rect?
            switch item {
            case .path(let p):
                guard (p.stroke?.a ?? 0) > 0.05 || (p.fill?.a ?? 0) > 0.05 else { continue }
                b = Polyline.bounds(p.subpaths)?.outset(p.stroke == nil ? 0 : p.width / 2)
            case .text(let t):
                guard t.color.a > 0.05 else { continue }
                b = Geometry.textBox(t, measurer)
            case .image(let i):
                b = i.rect
            }
            if let b { r = r.map { $0.union(b) } ?? b }
        }
        return r
    }

    /// An object's drawn box at one moment.
    struct Box {
        var id: String
        var box: Rect
        var textual: Bool
    }

    /// Closed shapes that may frame a text.
    static let framing: Set<ObjectKind> = [.rectangle, .circle, .ellipse, .polygon, .regularPolygon]

    /// Objects drawn on axes, or members of one group, are meant to overlap.
    static func separate(_ a: String, _ b: String, _ objects: [String: SceneObject]) -> Bool {
        guard let x = objects[a], let y = objects[b] else { return true }
        if x.on == b || y.on == a || (x.on != nil && x.on == y.on) { return false }
        return !objects.values.contains { g in g.kind == .group && (g.members ?? []).contains(a) && (g.members ?? []).contains(b) }
    }

    /// "move `x` from C4 to D5": the nearest free grid position of the same size inside the visual area.
    static func move(_ object: SceneObject, box: Rect, among boxes: [Box]) -> String? {
        let cell = SceneLayout.cellSize
        let spanW = Checked.int((box.width / cell.width).rounded(.up), clampedTo: 1...6), spanH = Checked.int((box.height / cell.height).rounded(.up), clampedTo: 1...6)
        let occupied = boxes.filter { $0.id != object.id }.map(\.box)
        var best: (score: Double, area: GridArea)?
        for c in 0...(GridArea.size - spanW) {
            for r in 0...(GridArea.size - spanH) {
                let area = GridArea(column0: c, row0: r, column1: c + spanW - 1, row1: r + spanH - 1)
                let rect = SceneLayout.rect(area)
                let candidate = Rect(x: rect.midX - box.width / 2, y: rect.midY - box.height / 2, width: box.width, height: box.height)
                guard SceneLayout.visualArea.insetBy(-1).contains(candidate) || box.width > SceneLayout.visualArea.width else { continue }
                let covered = occupied.compactMap { $0.intersection(candidate)?.area }.reduce(0, +)
                let distance = hypot(candidate.midX - box.midX, candidate.midY - box.midY)
                let score = covered * 10 + distance
                if best == nil || score < best!.score { best = (score, area) }
            }
        }
        guard let best else {
            return "make `\(object.id)` smaller: it is \(Checked.display(box.width.rounded(.down)))x\(Checked.display(box.height.rounded(.down))) units and the visual area is \(Checked.display(SceneLayout.visualArea.width))x\(Checked.display(SceneLayout.visualArea.height))"
        }
        // A grid place moves to another area; anything placed by points (on a host, at [x, y], or
        // by `from`/`to`) gets an `offset` in scene units, which every kind takes.
        if let at = object.at, case .grid = at.base, object.on == nil {
            // The offset moved it where it is: the new area is where it goes without one.
            if object.offset != nil { return "move `\(object.id)` from \(at) to \(best.area) and remove its `offset`" }
            if at.description == best.area.description { return nil }
            return "move `\(object.id)` from \(at) to \(best.area)"
        }
        let target = SceneLayout.rect(best.area)
        let dx = (target.midX - box.midX).rounded(), dy = (target.midY - box.midY).rounded()
        guard abs(dx) >= 1 || abs(dy) >= 1 else { return nil }
        let old = object.offset.flatMap { o in o.count == 2 ? (Double(o[0].source), Double(o[1].source)) : nil }
        let (ox, oy) = (old?.0 ?? 0, old?.1 ?? 0)
        return "set `offset: [\(Checked.display(ox + dx)), \(Checked.display(oy + dy))]` on `\(object.id)` (scene units), moving it toward \(best.area)"
    }

    /// An area as tall as `area` but wide enough for `needed` units, if the grid has one.
    static func widerArea(_ area: GridArea, needed: Double) -> GridArea? {
        let cells = Checked.int((needed / SceneLayout.cellSize.width).rounded(.up), clampedTo: 0...7)
        guard cells <= GridArea.size else { return nil }
        let start = max(0, min(area.column0, GridArea.size - cells))
        return GridArea(column0: start, row0: area.row0, column1: start + cells - 1, row1: area.row1)
    }

    static func describe(_ r: Rect) -> String {
        func n(_ v: Double) -> String { Checked.display(v.rounded(.towardZero)) }
        return "\(n(r.x)),\(n(r.y)) to \(n(r.maxX)),\(n(r.maxY))"
    }

    static func short(_ s: String) -> String { s.count > 24 ? String(s.prefix(21)) + "..." : s }

    /// Title and lecture column: the fixed parts of the screen.
    static func checkColumn(_ scene: Scene, measurer: some TextMeasuring) -> [Finding] {
        var findings: [Finding] = []
        // A long title shrinks, then wraps (as drawn); two rows that overflow the bar are too many.
        let fit = SceneLayout.titleLayout(scene.title, measurer: measurer)
        let title = measurer.measure(scene.title, fontSize: fit.fontSize, bold: true, wrapWidth: fit.wrapWidth)
        if title.height > SceneLayout.titleBar.height + 12 {
            findings.append(Finding(severity: .warning, object: "section title",
                message: "title needs \(Checked.display(title.height.rounded(.down))) units of height at its smallest (\(Checked.display(fit.fontSize)) units, wrapped) but the title bar holds \(Checked.display(SceneLayout.titleBar.height))",
                fix: "shorten the section title"))
        }
        var columnHeight = 0.0
        for (i, line) in scene.lines.enumerated() {
            // Measured bold, as it is drawn while it is the current line.
            let wrap = SceneLayout.lineWrapWidth(line.text, bold: true, measurer: measurer)
            let size = measurer.measure(line.text, fontSize: SceneLayout.lineFontSize, bold: true, wrapWidth: wrap)
            columnHeight += size.height + (i > 0 ? SceneLayout.lineSpacing : 0)
            let single = measurer.measure(line.text, fontSize: SceneLayout.lineFontSize, bold: false, wrapWidth: nil)
            if single.height * 3.5 < size.height {
                findings.append(Finding(severity: .warning, object: "lecture line \(i + 1)",
                    message: "lecture line wraps onto more than 3 rows", fix: "keep lines to about 10 words"))
            }
        }
        if columnHeight > SceneLayout.lectureColumn.height {
            findings.append(Finding(severity: .warning, object: "lecture column",
                message: "lecture lines need \(Checked.display(columnHeight.rounded(.down))) units of height but the column holds \(Checked.display(SceneLayout.lectureColumn.height))",
                fix: "use fewer or shorter lines"))
        }
        return findings
    }
}

extension SceneComponents {
    /// The Critic's rules and the moments it checks. 5: rules changed four times at version 1.
    /// 6: a sweep for values undefined between the checked moments; a cap on points per frame;
    /// measures in messages never truncated to integers.
    /// 7: findings carry where their object is written; fixes stay in the object's coordinates and keys;
    /// the camera's view is what is checked; circles on stretched axes are named.
    public static let layoutCheck = ComponentVersion("critic.layout", 7)
}
