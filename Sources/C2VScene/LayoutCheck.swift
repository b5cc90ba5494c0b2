/// Measures text as the renderer will draw it; the renderer supplies the real (Pango) one.
public protocol TextMeasuring {
    /// Size in scene units of `text` at `fontSize` (scene units), wrapped at `wrapWidth` when given.
    func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double)
}

/// One problem the layout check found.
public struct Finding: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case warning, error }
    public var severity: Severity
    public var object: String
    public var message: String

    public var description: String { "\(object): \(message)" }
}

/// The built-in Critic's first check: every text fits its region and nothing leaves the screen.
public enum LayoutCheck {
    public static func run(_ scene: Scene, measurer: some TextMeasuring) -> [Finding] {
        var findings: [Finding] = []
        let title = measurer.measure(scene.title, fontSize: SceneLayout.titleFontSize, bold: true, wrapWidth: nil)
        if title.width > SceneLayout.titleBar.width {
            findings.append(Finding(severity: .warning, object: "title",
                message: "title is \(Int(title.width)) units wide but the title bar holds \(Int(SceneLayout.titleBar.width)); shorten it"))
        }
        var columnHeight = 0.0
        for (i, line) in scene.lines.enumerated() {
            let size = measurer.measure(line.text, fontSize: SceneLayout.lineFontSize, bold: false,
                                        wrapWidth: SceneLayout.lectureColumn.width)
            columnHeight += size.height + (i > 0 ? SceneLayout.lineSpacing : 0)
            let single = measurer.measure(line.text, fontSize: SceneLayout.lineFontSize, bold: false, wrapWidth: nil)
            if single.height * 3.5 < size.height {
                findings.append(Finding(severity: .warning, object: "line \(i + 1)",
                    message: "lecture line wraps onto more than 3 rows; keep lines to about 10 words"))
            }
        }
        if title.width > SceneLayout.width {
            findings.append(Finding(severity: .warning, object: "title", message: "title extends off-screen"))
        }
        if columnHeight > SceneLayout.lectureColumn.height {
            findings.append(Finding(severity: .warning, object: "lecture column",
                message: "lecture lines need \(Int(columnHeight)) units of height but the column holds \(Int(SceneLayout.lectureColumn.height)); use fewer or shorter lines"))
        }
        for object in scene.objects {
            let area = SceneLayout.rect(object.area)
            // What is drawn: the area itself, or for text its measured box centred in the area.
            var drawn = area
            if case .text(let text) = object.shape {
                let size = measurer.measure(text, fontSize: SceneLayout.objectFontSize, bold: false, wrapWidth: nil)
                drawn = Rect(x: area.midX - size.width / 2, y: area.midY - size.height / 2, width: size.width, height: size.height)
                if size.width > area.width || size.height > area.height {
                    findings.append(Finding(severity: .warning, object: object.id,
                        message: "text is \(Int(size.width))x\(Int(size.height)) units but area \(object.area) is \(Int(area.width))x\(Int(area.height)); widen the area or shorten the text"))
                }
            }
            if !SceneLayout.canvas.contains(drawn) {
                findings.append(Finding(severity: .warning, object: object.id,
                    message: "extends off-screen (\(Int(drawn.x)),\(Int(drawn.y)) to \(Int(drawn.maxX)),\(Int(drawn.maxY)) on a \(Int(SceneLayout.width))x\(Int(SceneLayout.height)) canvas)"))
            }
            if object.appear >= scene.duration {
                findings.append(Finding(severity: .warning, object: object.id,
                    message: "object appears at \(object.appear) s, after the section ends at \(scene.duration) s"))
            }
        }
        return findings
    }
}
