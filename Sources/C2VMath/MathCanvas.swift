internal import CC2VCairo
import C2VUtil

/// An ARGB32 image surface with its context, for rendering formulas to PNG (tests, previews) and reading PNGs back.
final class MathCanvas {
    let surface: OpaquePointer
    let context: OpaquePointer
    let width: Int
    let height: Int

    /// A blank canvas filled with `background` (r, g, b in 0...1).
    convenience init(width: Int, height: Int, background: (Double, Double, Double) = (1, 1, 1)) throws {
        try self.init(adopting: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)))
        cairo_set_source_rgb(context, background.0, background.1, background.2)
        cairo_paint(context)
    }

    /// Reads a PNG file.
    convenience init(png path: String) throws {
        try self.init(adopting: cairo_image_surface_create_from_png(path), what: "reading \(path)")
    }

    private init(adopting surface: OpaquePointer?, what: String = "creating a surface") throws {
        guard let surface else { throw C2VError(.native, "cairo: \(what) failed") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw C2VError(.native, "cairo: \(what) failed", underlying: String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        self.context = context
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    func writePNG(to path: String) throws {
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw C2VError(.io, "cairo: writing \(path) failed", underlying: String(cString: cairo_status_to_string(status)))
        }
    }

    /// Pixel at (x, y) as (r, g, b, a), 0...255 (premultiplied, as Cairo stores it).
    func pixel(x: Int, y: Int) -> (r: Int, g: Int, b: Int, a: Int) {
        cairo_surface_flush(surface)
        guard x >= 0, y >= 0, x < width, y < height, let data = cairo_image_surface_get_data(surface) else { return (0, 0, 0, 0) }
        let stride = Int(cairo_image_surface_get_stride(surface))
        // ARGB32 is B, G, R, A in memory on little-endian machines.
        let p = data + y * stride + x * 4
        return (Int(p[2]), Int(p[1]), Int(p[0]), Int(p[3]))
    }

    /// How two same-sized images differ: mean absolute channel difference (0...1) and the share of
    /// pixels where some channel differs by more than `threshold` (0...255).
    func difference(from other: MathCanvas, threshold: Int) -> (mean: Double, farPixels: Double)? {
        guard width == other.width, height == other.height, width > 0, height > 0 else { return nil }
        var total = 0, far = 0
        for y in 0..<height {
            for x in 0..<width {
                let a = pixel(x: x, y: y), b = other.pixel(x: x, y: y)
                let d = [abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b), abs(a.a - b.a)]
                total += d.reduce(0, +)
                if d.max() ?? 0 > threshold { far += 1 }
            }
        }
        let pixels = Double(width * height)
        return (Double(total) / (pixels * 4 * 255), Double(far) / pixels)
    }
}

extension MathTypesetter {
    /// Renders `box` dark on white with `padding` caller units around it, `scale` pixels per unit;
    /// for previews and golden-image tests.
    func renderImage(_ box: MathBox, padding: Double, scale: Double = 1, minHeight: Int = 0) throws -> MathCanvas {
        let width = Checked.int(((box.width + 2 * padding) * scale).rounded(.up), clampedTo: 1...16_384)
        let contentHeight = Checked.int(((box.ascent + box.descent + 2 * padding) * scale).rounded(.up), clampedTo: 1...16_384)
        let height = max(minHeight, contentHeight)
        let canvas = try MathCanvas(width: max(1, width), height: max(1, height))
        cairo_scale(canvas.context, scale, scale)
        let top = (Double(height) / scale - (box.ascent + box.descent)) / 2
        draw(box, on: canvas.context, x: padding, baseline: (top + box.ascent).rounded(), color: (0.1, 0.1, 0.15, 1))
        return canvas
    }
}
