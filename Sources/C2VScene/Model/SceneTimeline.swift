import C2VUtil
import Foundation

/// How a narrated section's video time maps onto its scene's own time.
///
/// Narration only ever adds holds: where speech outlasts a line's animations, or a step waits
/// for a bookmark, the scene's time stands still while the video goes on. Every frame of the
/// video therefore shows a moment the scene has anyway, so the Critic's check of the scene
/// covers the narrated video too.
public struct SceneTimeline: Codable, Sendable, Equatable {
    public struct Piece: Codable, Sendable, Equatable {
        /// Video seconds where the piece starts.
        public var start: Double
        /// Scene seconds at that moment.
        public var source: Double
        public var length: Double
        /// False: a hold (scene time stands still).
        public var plays: Bool
    }

    public var pieces: [Piece]

    /// The scene time shown at video time `t`.
    public func sourceTime(_ t: Double) -> Double {
        guard let piece = pieces.last(where: { $0.start <= t }) ?? pieces.first else { return t }
        let offset = min(max(0, t - piece.start), piece.length)
        return piece.plays ? piece.source + offset : piece.source
    }
}

/// What narration knows of one spoken line.
public struct LineSpeech: Codable, Sendable, Equatable {
    /// Seconds of speech.
    public var duration: Double
    /// Bookmark name -> seconds from the start of the line's speech.
    public var marks: [String: Double]

    public init(duration: Double, marks: [String: Double] = [:]) {
        self.duration = duration
        self.marks = marks
    }
}

extension SceneComponents {
    /// Lines stretched to their speech, steps waiting for bookmarks (`Scene.narrated`).
    /// 2: a line holds for its speech before its `until` objects fade, not after.
    public static let timeline = ComponentVersion("scene.timeline", 2)
}

extension Scene {
    /// The scene timed by its lines' speech: a line lasts as long as the longer of its
    /// animations and its speech plus `gap`; a step with a `mark` starts when that word is
    /// spoken (a hold before it when the speech is slower). Animations are never sped up and
    /// speech is never cut. Returns the warnings a person should see (unknown bookmarks, a
    /// bookmark that comes after its step could start... ).
    public func narrated(_ speech: [LineSpeech?], gap: Double) -> (scene: Scene, warnings: [String]) {
        var pieces: [SceneTimeline.Piece] = []
        var warnings: [String] = []
        var newLines = lines
        var now = 0.0
        func play(_ from: Double, _ length: Double) {
            guard length > 1e-9 else { return }
            pieces.append(.init(start: now, source: from, length: length, plays: true))
            now += length
        }
        func hold(_ at: Double, _ length: Double) {
            guard length > 1e-9 else { return }
            pieces.append(.init(start: now, source: at, length: length, plays: false))
            now += length
        }
        for (i, line) in lines.enumerated() {
            let start = now
            let said = i < speech.count ? speech[i] : nil
            var cursor = line.start
            if let said {
                let marked = animations.filter { $0.line == i && $0.mark != nil }.sorted { $0.start < $1.start }
                for step in marked {
                    guard let at = said.marks[step.mark!] else {
                        warnings.append("line \(i + 1): no bookmark [[\(step.mark!)]] in its spoken text; the step keeps its time")
                        continue
                    }
                    guard step.start >= cursor else { continue }
                    play(cursor, step.start - cursor)
                    cursor = step.start
                    if start + at > now { hold(cursor, start + at - now) }
                }
            }
            // The line holds for its speech before its objects start to leave (`until`), not
            // after they are gone: a hold after the exits would show an empty picture.
            let exit = objects.compactMap(\.disappear).filter { $0 >= cursor && $0 < line.end - 1e-9 }.min()
            let holdAt = said == nil ? line.end : (exit ?? line.end)
            play(cursor, holdAt - cursor)
            if let said {
                let needed = said.duration + gap
                let after = line.end - holdAt
                if now - start + after < needed { hold(holdAt, needed - (now - start + after)) }
            }
            play(holdAt, line.end - holdAt)
            newLines[i].start = start
            newLines[i].end = now
        }
        // Whatever follows the last line (a closing hold) plays as it did.
        let lastEnd = lines.last?.end ?? 0
        if duration > lastEnd { play(lastEnd, duration - lastEnd) }
        var scene = self
        scene.lines = newLines
        scene.duration = max(now, 0.1)
        scene.timeline = SceneTimeline(pieces: pieces)
        return (scene, warnings)
    }

    /// The scene's own time at video time `t`.
    public func sourceTime(_ t: Double) -> Double { timeline?.sourceTime(t) ?? t }
}
