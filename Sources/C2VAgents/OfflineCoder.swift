import C2VScene

/// The embedded Coder: deterministic, no network. Gives each lecture line one visual in the
/// right-hand area, shown while the line is explained and cleared before the next.
public struct OfflineCoder: Coder {
    public static let version = 1

    public init() {}

    public var identity: String { "offline-coder/\(Self.version)" }

    public func code(_ request: CodeRequest) async throws -> Scene {
        let lines = SceneTiming.lines(request.storyboard.lectureLines, durationHint: request.durationHint)
        var objects: [SceneObject] = []
        for (i, line) in lines.enumerated() {
            let description = i < request.storyboard.animations.count ? request.storyboard.animations[i] : line.text
            var idea = VisualIdea.choose(for: description)
            if case .card = idea { idea = VisualIdea.choose(for: line.text) }
            let last = i == lines.count - 1
            let disappear = last ? nil : max(line.start + SceneObject.entranceSeconds, line.end - SceneObject.exitSeconds)
            objects += Self.objects(for: idea, prefix: "l\(i + 1)", appear: line.start, disappear: disappear,
                                    lineLength: line.end - line.start)
        }
        let duration = lines.last?.end ?? request.durationHint ?? 3
        return Scene(title: request.sectionTitle, lines: lines, objects: objects, duration: duration)
    }

    static func objects(for idea: VisualIdea, prefix: String, appear: Double, disappear: Double?,
                        lineLength: Double) -> [SceneObject] {
        func object(_ name: String, _ shape: Shape, _ area: String, _ color: ColorRef, _ entrance: Entrance, delay: Double = 0) -> SceneObject {
            // Staggered entrances stay within the first third of a short line.
            let start = appear + min(delay, lineLength / 3)
            return SceneObject(id: "\(prefix)-\(name)", shape: shape, area: GridArea(area)!, color: color,
                               appear: start, disappear: disappear.map { max($0, start) }, entrance: entrance)
        }
        switch idea {
        case .sine:
            return [object("axes", .axes, "A2:F5", .text, .create),
                    object("wave", .wave(harmonics: [Harmonic(k: 1, amplitude: 1)], periods: 2), "A2:F5", .accent(0), .create, delay: 0.3)]
        case .squareWave(let terms):
            let harmonics: [Harmonic] = (0..<terms).map { (n: Int) -> Harmonic in
                let k = Double(2 * n + 1)
                return Harmonic(k: k, amplitude: 1 / k)
            }
            return [object("axes", .axes, "A2:F5", .text, .create),
                    object("wave", .wave(harmonics: harmonics, periods: 1), "A2:F5", .accent(1), .create, delay: 0.3),
                    object("label", .text("\(terms) odd harmonics"), "D6:F6", .text, .write, delay: 0.5)]
        case .harmonicSum:
            return [object("h1", .wave(harmonics: [Harmonic(k: 1, amplitude: 1)], periods: 1), "A1:F2", .accent(0), .create),
                    object("h3", .wave(harmonics: [Harmonic(k: 3, amplitude: 1.0 / 3)], periods: 1), "A3:F3", .accent(2), .create, delay: 0.3),
                    object("sum", .wave(harmonics: [Harmonic(k: 1, amplitude: 1), Harmonic(k: 3, amplitude: 1.0 / 3)], periods: 1),
                           "A4:F6", .accent(1), .create, delay: 0.6)]
        case .rotatingCircle:
            return [object("circle", .circle, "B2:E5", .accent(0), .create),
                    object("radius", .arrow(from: GridArea("C3")!, to: GridArea("E2")!), "C2:E3", .accent(3), .grow, delay: 0.4),
                    object("centre", .dot, "C3", .text, .grow, delay: 0.2)]
        case .formula(let text):
            return [object("box", .rectangle, "A2:F5", .accent(0), .create),
                    object("formula", .text(text), "A3:F4", .text, .write, delay: 0.3)]
        case .card(let text):
            return [object("card", .rectangle, "A2:F5", .accent(2), .create),
                    object("phrase", .text(text), "A3:F4", .text, .write, delay: 0.3)]
        }
    }
}
