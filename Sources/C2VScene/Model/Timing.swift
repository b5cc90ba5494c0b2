import C2VLesson
import C2VUtil
extension Scene {
    /// Frames the section's video has: its duration rounded to whole frames, at least one.
    public func frameCount(fps: Int) -> Int {
        Checked.int((duration * Double(fps)).rounded(), clampedTo: 1...Int.max)
    }
}

/// How long each lecture line is on screen.
public enum SceneTiming {
    /// Seconds for a line read at a calm teaching pace, with room for its animation.
    public static func seconds(for line: String) -> Double { LessonPace.seconds(for: line) }

    /// Lays lines end to end; a duration hint is shared out in proportion to each line's natural
    /// length. A line is never shorter than `minimumSeconds[i]`, what its animations need.
    public static func lines(_ texts: [String], durationHint: Double?, minimumSeconds: [Int: Double] = [:]) -> [SceneLine] {
        let natural = texts.map(seconds(for:))
        let total = natural.reduce(0, +)
        let factor = (durationHint != nil && total > 0) ? durationHint! / total : 1
        var start = 0.0
        var lines: [SceneLine] = []
        for (i, (text, length)) in zip(texts, natural).enumerated() {
            let end = start + max(length * factor, minimumSeconds[i] ?? 0)
            lines.append(SceneLine(text: text, start: start, end: end))
            start = end
        }
        return lines
    }
}
