/// Math inside text: `"Half a turn: $e^{i\pi} = -1$"`. Text between a pair of `$` is TeX, set by
/// C2VMath on the text's baseline; `\$` is a dollar sign. A text with no pair of `$` is plain.
public enum InlineMath {
    public struct Run: Sendable, Equatable {
        public var text: String
        public var math: Bool
        /// Characters from the start of the whole text to the run's first character.
        public var offset: Int
    }

    /// The runs of `text`, or nil when it holds no math.
    public static func runs(_ text: String) -> [Run]? {
        guard text.contains("$") else { return nil }
        var runs: [Run] = []
        var current = "", inMath = false, start = 0
        let chars = Array(text)
        var i = 0
        var pairs = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "$" {
                current.append("$"); i += 2; continue
            }
            if c == "$" {
                if !current.isEmpty || inMath { runs.append(Run(text: current, math: inMath, offset: start)) }
                if inMath { pairs += 1 }
                inMath.toggle()
                current = ""
                start = i + 1
                i += 1
                continue
            }
            current.append(c)
            i += 1
        }
        // An unpaired `$` is a dollar sign, as in "costs $5".
        if inMath {
            if let last = runs.last, !last.math { runs.removeLast(); current = last.text + "$" + current; start = last.offset } else { current = "$" + current; start -= 1 }
        }
        if !current.isEmpty { runs.append(Run(text: current, math: false, offset: start)) }
        guard pairs > 0 else { return nil }
        return runs.filter { !$0.text.isEmpty }
    }
}
