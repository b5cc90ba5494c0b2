import C2VCode
import C2VLesson
import C2VUtil
import Foundation

/// `code`: a block of source code with syntax highlighting (GNU source-highlight, through
/// C2VCode), set in a monospaced face in its area. `lines` shows only the first so many lines
/// (animate a param to reveal it line by line); `mark` puts a bar behind one line.
enum CodeKind: SceneKind {
    static let kind = ObjectKind.code
    static let keys = ["code", "language", "size", "lines", "mark"]
    static let textColored = true
    static let layer = 1.0
    /// Spaces a tab stands for.
    static let tabWidth = 4

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        guard let v = o.need("code", "the source text, as a block (`code: |` and indented lines)", &r),
              let source = r.text(v, what: "`code`") else { return }
        let language: String
        if let lv = o.need("language", "one of: \(CodeHighlighter.languages.joined(separator: ", "))", &r), let name = r.text(lv, what: "`language`") {
            do { language = try CodeHighlighter.canonicalLanguage(name) } catch {
                r.fail((error as? C2VError)?.message ?? "\(error)", lv.location); o.ok = false; return
            }
        } else { return }
        let expanded = source.replacingOccurrences(of: "\t", with: String(repeating: " ", count: tabWidth))
        do {
            o.object.codeSpans = try CodeHighlighter.highlight(expanded, language: language)
            o.object.codeLines = CodeHighlighter.lines(of: expanded)
            o.object.language = language
        } catch {
            r.fail((error as? C2VError)?.message ?? "\(error)", v.location)
            o.ok = false
        }
        r.readFontSize(&o)
        if let v = o["lines"] { o.object.visibleLines = r.expression(v, what: "`lines`", bindings: o.bindings, range: 0...1000) }
        if let v = o["mark"] { o.object.markedLine = r.expression(v, what: "`mark`", bindings: o.bindings, range: 0...1000) }
    }

    /// Colours by role: accents for what the eye should find, the text colour dimmed for comments.
    static func color(_ role: CodeRole, theme: Theme) -> RGBA {
        func accent(_ i: Int) -> RGBA { RGBA(theme.accents.isEmpty ? theme.text : theme.accents[i % theme.accents.count]) }
        switch role {
        case .keyword: return accent(0)
        case .type: return accent(3)
        case .string: return accent(2)
        case .number, .preprocessor: return accent(1)
        case .comment: return RGBA(theme.text).mixed(RGBA(theme.background), 0.45)
        case .function, .symbol, .plain: return RGBA(theme.text)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        guard let lines = d.object.codeLines, let spans = d.object.codeSpans, !lines.isEmpty else { return }
        let area = d.rect.insetBy(16)
        let longest = max(1, lines.map(\.count).max() ?? 1)
        // One character's advance in the mono face at size 100, to fit the block into its area.
        let probe = TextItem(text: String(repeating: "M", count: 10), markup: false, font: .mono, size: 100, bold: false,
                             anchor: Point2(0, 0), alignX: -1, alignY: -1, rotation: 0, color: KindDrawing.stroke, reveal: 1)
        let advance = d.measurer.measure(probe).width / 10 / 100
        let lineHeight = 1.4
        let fitting = min(area.width / (Double(longest) * advance), area.height / (Double(lines.count) * lineHeight))
        let size = min(d.value(d.object.fontSize, 30), fitting)
        let step = size * lineHeight
        let shown = Checked.int(d.value(d.object.visibleLines, Double(lines.count)).rounded(.down), clampedTo: 0...lines.count)
        let marked = Checked.int(d.value(d.object.markedLine, 0).rounded(), clampedTo: 0...lines.count)
        if marked > 0 {
            let y = area.y + step * Double(marked - 1)
            let bar = Rect(x: area.x - 8, y: y - size * 0.1, width: area.width + 16, height: step)
            d.geometry.paths.append(PathItem(subpaths: [SceneEvaluator.roundedRect(bar, radius: 6)], closed: [true], stroke: nil,
                                             fill: RGBA(d.theme.accents.first ?? d.theme.text, alpha: 0.18), width: 0, dashed: false))
        }
        for (i, line) in lines.prefix(shown).enumerated() {
            let chars = Array(line)
            let y = area.y + step * Double(i)
            for span in i < spans.count ? spans[i] : [] where span.start < chars.count {
                let text = String(chars[span.start..<min(chars.count, span.start + span.length)])
                guard !text.allSatisfy({ $0 == " " }) else { continue }
                d.text(text, at: Point2(area.x + Double(span.start) * advance * size, y), size: size,
                       font: .mono, alignX: -1, alignY: -1, color: color(span.role, theme: d.theme))
            }
        }
    }
}
