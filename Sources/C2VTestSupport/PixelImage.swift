internal import CC2VCairo
import C2VRender
import C2VUtil

/// Pixels of a frame or PNG in memory (Cairo ARGB32: B, G, R, A bytes, premultiplied), for
/// tests that compare frames.
public struct PixelImage: Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The frame `renderer` draws at `time`.
    public init(_ renderer: FrameRenderer, at time: Double) throws {
        width = renderer.width
        height = renderer.height
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        let stride = width * 4
        try pixels.withUnsafeMutableBytes { try renderer.draw(at: time, into: $0.baseAddress!, stride: stride) }
        self.pixels = pixels
    }

    /// Reads a PNG file.
    public static func readPNG(_ path: String) throws -> PixelImage {
        guard let surface = cairo_image_surface_create_from_png(path) else { throw C2VError(.io, "cannot read \(path)") }
        defer { cairo_surface_destroy(surface) }
        try cairoStatus(cairo_surface_status(surface), "reading \(path)")
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, cairo_image_surface_get_width(surface),
                                               cairo_image_surface_get_height(surface))!
        defer { cairo_surface_destroy(image) }
        let cr = cairo_create(image)!
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_destroy(cr)
        cairo_surface_flush(image)
        let width = Int(cairo_image_surface_get_width(image)), height = Int(cairo_image_surface_get_height(image))
        let stride = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<(width * 4) { pixels[y * width * 4 + x] = data[y * stride + x] }
        }
        return PixelImage(width: width, height: height, pixels: pixels)
    }

    /// Writes a PNG file.
    public func writePNG(_ path: String) throws {
        var copy = pixels
        let stride = width * 4
        try copy.withUnsafeMutableBytes { raw in
            let surface = cairo_image_surface_create_for_data(raw.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                              CAIRO_FORMAT_ARGB32, Int32(width), Int32(height), Int32(stride))!
            defer { cairo_surface_destroy(surface) }
            try cairoStatus(cairo_surface_write_to_png(surface, path), "writing \(path)")
        }
    }

    /// (red, green, blue) at a pixel.
    public func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let i = (y * width + x) * 4
        return (Int(pixels[i + 2]), Int(pixels[i + 1]), Int(pixels[i]))
    }

    /// How far two images of the same size are apart: the mean absolute channel difference
    /// (0...255) and the fraction of pixels with a channel more than 64 apart.
    public func difference(from other: PixelImage) -> (mean: Double, changed: Double)? {
        guard width == other.width, height == other.height else { return nil }
        var total = 0, changed = 0
        for p in 0..<(width * height) {
            var worst = 0
            for c in 0..<3 {
                let d = abs(Int(pixels[p * 4 + c]) - Int(other.pixels[p * 4 + c]))
                total += d
                worst = max(worst, d)
            }
            if worst > 64 { changed += 1 }
        }
        let count = Double(width * height)
        return (Double(total) / (count * 3), Double(changed) / count)
    }
}

/// Cairo's status as an error with its own message.
func cairoStatus(_ status: cairo_status_t, _ what: String) throws {
    guard status != CAIRO_STATUS_SUCCESS else { return }
    throw C2VError(.native, "cairo failed \(what)", underlying: String(cString: cairo_status_to_string(status)))
}
