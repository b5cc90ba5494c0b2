internal import CC2VCairo
import C2VUtil

/// Turns a Cairo status into a thrown error that keeps Cairo's own message.
func cairo(_ status: cairo_status_t, _ what: String) throws {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw C2VError(.native, "cairo: \(what) failed", underlying: String(cString: cairo_status_to_string(status)))
    }
}

/// Owns one Cairo image surface and its drawing context.
final class CairoCanvas {
    let surface: OpaquePointer
    let context: OpaquePointer
    let width: Int
    let height: Int

    /// A canvas over caller-owned BGRA memory (the encoder's frame ring): no copy per frame.
    convenience init(pixels: UnsafeMutableRawPointer, width: Int, height: Int, stride: Int) throws {
        try self.init(adopting: cairo_image_surface_create_for_data(
            pixels.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32, Int32(width), Int32(height), Int32(stride)),
            width: width, height: height)
    }

    /// A canvas with its own memory (stills, measuring).
    convenience init(width: Int, height: Int) throws {
        try self.init(adopting: cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
                      width: width, height: height)
    }

    /// Takes ownership of a new surface (destroying it if anything fails) and makes its context.
    private init(adopting surface: OpaquePointer?, width: Int, height: Int) throws {
        guard let surface else { throw C2VError(.native, "cairo: cannot create a surface") }
        let status = cairo_surface_status(surface)
        if status != CAIRO_STATUS_SUCCESS {
            cairo_surface_destroy(surface)
            try cairo(status, "creating a surface")
        }
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw C2VError(.native, "cairo: cannot create a context")
        }
        self.surface = surface
        self.context = context
        self.width = width
        self.height = height
        try cairo(cairo_status(context), "creating a context")
    }

    func writePNG(to path: String) throws {
        cairo_surface_flush(surface)
        try cairo(cairo_surface_write_to_png(surface, path), "writing \(path)")
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }
}
