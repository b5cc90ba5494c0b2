internal import CC2VRsvg
import C2VUtil
import Foundation

/// An SVG document parsed once by librsvg and drawn as vectors into any box, so it stays crisp
/// at every output size.
///
/// librsvg is opened the first time an SVG is parsed; lessons without one never load it. The
/// document is parsed from memory with no base file, so what it refers to outside itself
/// (`xlink:href="secret.png"`, XInclude, CSS `@import`) is never read. One owner at a time:
/// like the Cairo context it draws on, an `SVGImage` stays on the task that made it.
public final class SVGImage {
    /// The intrinsic size in pixels: `width` and `height` when they are absolute lengths (at 96
    /// per inch), else the viewBox's size. Only its aspect ratio matters to drawing.
    public let width: Double
    public let height: Double
    private let document: OpaquePointer

    /// Parses `data`. A document librsvg cannot read is `.invalidInput`, with librsvg's reason;
    /// a missing librsvg is `.native`, saying what to install.
    public init(_ data: [UInt8]) throws(C2VError) {
        var opened: OpaquePointer?
        var message = [CChar](repeating: 0, count: 512)
        let status = data.withUnsafeBufferPointer { bytes in
            cc2v_svg_open(bytes.baseAddress, bytes.count, &opened, &message, message.count)
        }
        try Self.check(status, message)
        guard let opened else { throw C2VError(.internal, "librsvg returned no document") }
        var w = 0.0, h = 0.0
        let sized = cc2v_svg_size(opened, &w, &h, &message, message.count)
        if sized != CC2V_SVG_OK { cc2v_svg_close(opened) }
        try Self.check(sized, message)
        document = opened
        width = w
        height = h
    }

    deinit { cc2v_svg_close(document) }

    /// The intrinsic size of the SVG in `data` (see `width`), checked by parsing it.
    public static func size(_ data: [UInt8]) throws(C2VError) -> (width: Double, height: Double) {
        let image = try SVGImage(data)
        return (image.width, image.height)
    }

    /// Draws the whole document fitted into the box at (`x`, `y`) in `cr`'s user space, keeping
    /// its aspect ratio as the SVG asks (centred by default). `cr` is a Cairo context (`cairo_t *`);
    /// its state is the same afterwards.
    public func draw(on cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double) throws(C2VError) {
        var message = [CChar](repeating: 0, count: 512)
        let status = cc2v_svg_render(document, cr, x, y, width, height, &message, message.count)
        try Self.check(status, message)
    }

    private static func check(_ status: Int32, _ message: [CChar]) throws(C2VError) {
        guard status != CC2V_SVG_OK else { return }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        throw status == CC2V_SVG_UNAVAILABLE ? C2VError(.native, text) : C2VError(.invalidInput, text)
    }
}
