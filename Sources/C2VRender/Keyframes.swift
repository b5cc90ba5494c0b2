internal import CC2VCairo
import C2VLesson
import C2VScene
import C2VUtil
import Foundation

/// Frames a vision critic looks at: the end of each lecture line (when its steps have played),
/// drawn small, with the visual area's 6x6 grid and its labels on top so a reply can name anchors.
public enum Keyframes {
    public static func png(_ scene: Scene, theme: Theme, width: Int = 640, height: Int = 360, limit: Int = 4) throws -> [Data] {
        let renderer = try FrameRenderer(scene: scene, theme: theme, width: width, height: height)
        var times = scene.lines.map { max($0.start, $0.end - 0.05) }
        if times.isEmpty { times = [max(0, scene.duration - 0.05)] }
        if times.count > limit { times = (0..<limit).map { times[$0 * times.count / limit + times.count / limit - 1] } }
        let transform = SceneLayout.transform(width: width, height: height)
        var frames: [Data] = []
        for time in times {
            let canvas = try CairoCanvas(width: width, height: height)
            renderer.draw(at: time, onto: canvas.context)
            let cr = canvas.context
            cairo_save(cr)
            cairo_translate(cr, transform.dx, transform.dy)
            cairo_scale(cr, transform.scale, transform.scale)
            cairo_set_source_rgba(cr, 1, 1, 1, 0.35)
            cairo_set_line_width(cr, 1 / transform.scale)
            let area = SceneLayout.visualArea, cell = SceneLayout.cellSize
            for k in 0...GridArea.size {
                cairo_move_to(cr, area.x + Double(k) * cell.width, area.y)
                cairo_line_to(cr, area.x + Double(k) * cell.width, area.maxY)
                cairo_move_to(cr, area.x, area.y + Double(k) * cell.height)
                cairo_line_to(cr, area.maxX, area.y + Double(k) * cell.height)
            }
            cairo_stroke(cr)
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD)
            cairo_set_font_size(cr, 30)
            cairo_set_source_rgba(cr, 1, 1, 0.4, 0.8)
            for c in 0..<GridArea.size {
                for r in 0..<GridArea.size {
                    cairo_move_to(cr, area.x + Double(c) * cell.width + 6, area.y + Double(r) * cell.height + 32)
                    cairo_show_text(cr, "\(GridArea.columns[c])\(r + 1)")
                }
            }
            cairo_restore(cr)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("c2v-keyframe-\(UUID().uuidString).png").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try canvas.writePNG(to: path)
            frames.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return frames
    }
}
