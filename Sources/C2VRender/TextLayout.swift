internal import CC2VCairo
import C2VScene

/// Pango layouts by (text, size, weight, wrap width), made once per renderer and reused every frame.
final class TextLayouts {
    struct Key: Hashable {
        var text: String
        var fontSize: Double
        var bold: Bool
        var wrapWidth: Double?
    }

    let context: OpaquePointer
    let fontFamily: String
    /// Device pixels per scene unit; fonts are sized in device pixels so hinting matches the output.
    let scale: Double
    private var layouts: [Key: OpaquePointer] = [:]

    init(context: OpaquePointer, fontFamily: String, scale: Double) {
        self.context = context
        self.fontFamily = fontFamily
        self.scale = scale
    }

    func layout(_ key: Key) -> OpaquePointer {
        if let layout = layouts[key] { return layout }
        let layout = pango_cairo_create_layout(context)!
        let description = pango_font_description_new()
        pango_font_description_set_family(description, fontFamily)
        pango_font_description_set_weight(description, key.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(description, key.fontSize * scale * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        if let wrap = key.wrapWidth {
            pango_layout_set_width(layout, Int32(wrap * scale * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_text(layout, key.text, -1)
        layouts[key] = layout
        return layout
    }

    /// Logical size in scene units.
    func size(_ key: Key) -> (width: Double, height: Double) {
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_pixel_size(layout(key), &w, &h)
        return (Double(w) / scale, Double(h) / scale)
    }

    deinit {
        for layout in layouts.values { cc2v_layout_unref(layout) }
    }
}

/// The real text measurer for the layout check: Pango at the output size.
public final class PangoTextMeasurer: TextMeasuring {
    private let canvas: CairoCanvas
    private let layouts: TextLayouts

    /// Measures as a `width`x`height` render with `fontFamily` would draw.
    public init(fontFamily: String, width: Int, height: Int) throws {
        canvas = try CairoCanvas(width: 1, height: 1)
        layouts = TextLayouts(context: canvas.context, fontFamily: fontFamily,
                              scale: SceneLayout.transform(width: width, height: height).scale)
    }

    public func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
        layouts.size(.init(text: text, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth))
    }
}
