import C2VLesson
import C2VSVG
import C2VUtil

extension SceneReader {
    /// Checks an `image` that is not a PNG: an SVG (by its start, or by a `.svg` name) that
    /// librsvg can read and whose declared size is within the limits PNGs have. Only its
    /// intrinsic size is read now; it is drawn as vectors at whatever size the frame needs.
    mutating func loadSVG(_ path: String, _ data: [UInt8], into object: inout SceneObject, at: SourceLocation) {
        guard SVGSniffer.isSVG(data) || path.lowercased().hasSuffix(".svg") else {
            fail("image `\(path)` is not a PNG or SVG file", at); return
        }
        // A raster picture embedded as a data: URL is decoded by gdk-pixbuf with no size check of
        // ours, so a few kilobytes could declare gigapixels: such SVGs are refused.
        if let text = String(bytes: data, encoding: .utf8),
           text.range(of: #"href\s*=\s*["']\s*data:image/(?!svg)"#, options: [.regularExpression, .caseInsensitive]) != nil {
            fail("image `\(path)` embeds a raster picture (a data: URL); give it as a PNG image of its own", at); return
        }
        let size: (width: Double, height: Double)
        do {
            size = try SVGImage.size(data)
        } catch where error.code == .native {
            fail("image `\(path)` cannot be read: \(error.message)", at); return
        } catch {
            fail("image `\(path)` is not a valid SVG: \(error.message)", at); return
        }
        let (w, h) = size
        guard w > 0, h > 0, w.isFinite, h.isFinite, w <= Double(SceneParser.maximumImageSide), h <= Double(SceneParser.maximumImageSide),
              w * h <= Double(SceneParser.maximumImagePixels) else {
            fail("image `\(path)` is \(Checked.display(w))x\(Checked.display(h)) pixels; at most \(SceneParser.maximumImageSide) on a side and \(SceneParser.maximumImagePixels) in all", at)
            return
        }
        object.imagePath = path
        object.imageData = data
    }
}
