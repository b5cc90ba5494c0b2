import C2VScene
import C2VUtil

/// WebVTT subtitles: one cue per lecture line, at the time it is explained in the joined video.
enum WebVTT {
    /// Scenes and segment starts -> cues.
    /// 3: control characters become spaces.
    static let component = ComponentVersion("subtitles.webvtt", 3)

    /// One cue per spoken (or shown) line, at its time in the joined video; a cue never runs
    /// past its section's last frame.
    static func document(sections: [SectionCues], starts: [Double], fps: Int) -> String {
        var text = "WEBVTT\n"
        var cue = 0
        for (section, offset) in zip(sections, starts) {
            let end = (section.duration * Double(fps)).rounded() / Double(fps)
            for line in section.cues {
                let body = cueText(line.text)
                let from = offset + min(line.start, end), to = offset + min(line.end, end)
                guard to > from, !body.isEmpty else { continue }
                cue += 1
                text += "\n\(cue)\n\(timestamp(from)) --> \(timestamp(to))\n\(body)\n"
            }
        }
        return text
    }

    /// A cue's text on one line: a blank line would end the cue early and drop what follows,
    /// and control characters are not text.
    static func cueText(_ text: String) -> String {
        let visible = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control && !$0.properties.isWhitespace ? " " : $0
        }))
        return escape(visible.split(whereSeparator: \.isWhitespace).joined(separator: " "))
    }

    static func timestamp(_ seconds: Double) -> String {
        let ms = Checked.int((seconds * 1000).rounded(), clampedTo: 0...(1 << 40))
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
