import C2VScene
import C2VUtil

/// WebVTT subtitles: one cue per lecture line, at the time it is explained in the joined video.
enum WebVTT {
    /// Scenes and segment starts -> cues.
    static let component = ComponentVersion("subtitles.webvtt", 1)

    static func document(scenes: [Scene], starts: [Double], fps: Int) -> String {
        var text = "WEBVTT\n"
        var cue = 0
        for (scene, offset) in zip(scenes, starts) {
            let end = Double(scene.frameCount(fps: fps)) / Double(fps)
            for line in scene.lines {
                cue += 1
                let from = offset + min(line.start, end), to = offset + min(line.end, end)
                guard to > from else { continue }
                text += "\n\(cue)\n\(timestamp(from)) --> \(timestamp(to))\n\(escape(line.text))\n"
            }
        }
        return text
    }

    static func timestamp(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(f, 3))"
    }

    /// Cue text may not contain `-->`, `<` or `&` unescaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
