import C2VUtil
internal import CC2VCairo
import C2VLesson
import C2VMath
import C2VScene

/// Pango layouts by (text, font, size, weight, wrap width, markup), made once per renderer and
/// reused every frame.
final class TextLayouts {
    struct Key: Hashable {
        var text: String
        var family: String
        var fontSize: Double
        var bold: Bool
        var wrapWidth: Double?
        var markup: Bool

        init(text: String, family: String, fontSize: Double, bold: Bool, wrapWidth: Double?, markup: Bool = false) {
            self.text = text
            self.family = family
            self.fontSize = fontSize
            self.bold = bold
            self.wrapWidth = wrapWidth
            self.markup = markup
        }
    }

    let context: OpaquePointer
    let fontFamily: String
    /// Device pixels per scene unit; fonts are sized in device pixels so hinting matches the output.
    let scale: Double
    private var layouts: [Key: OpaquePointer] = [:]
    /// Texts with math inside, by the same key (nil: it holds none, or a formula does not parse).
    var mixedLayouts: [Key: MixedLayout?] = [:]
    /// Typesets `math` objects; made on first use (DejaVu Serif ships with the distribution).
    /// The theme's math font, or DejaVu Serif when that family is not installed.
    lazy var typesetter: MathTypesetter? =
        (try? MathTypesetter(fontFamily: mathFontFamily)) ?? (try? MathTypesetter(fontFamily: Theme.defaultMathFont))
    var mathFontFamily = Theme.defaultMathFont

    /// A formula laid out at this renderer's scale; nil if it does not parse (the scene parser checked it).
    func mathBox(_ item: TextItem) -> MathBox? {
        try? typesetter?.layout(item.text, fontSize: item.size, display: true, scale: scale)
    }

    func drawMath(_ box: MathBox, on cr: OpaquePointer, x: Double = 0, baseline: Double, color: RGBA, glyphLimit: Int?,
                  glyphs: [Range<Int>]? = nil) {
        typesetter?.draw(box, on: cr, x: x, baseline: baseline, color: (color.r, color.g, color.b, color.a), glyphLimit: glyphLimit,
                         glyphs: glyphs)
    }

    init(context: OpaquePointer, fontFamily: String, scale: Double) {
        self.context = context
        self.fontFamily = fontFamily
        self.scale = scale
    }

    /// The theme's font for sans text; DejaVu's serif and mono faces for the others.
    func family(_ font: TextFont) -> String {
        switch font {
        case .sans: return fontFamily
        case .serif: return "DejaVu Serif"
        case .mono: return "DejaVu Sans Mono"
        }
    }

    func key(_ item: TextItem, text: String? = nil) -> Key {
        Key(text: text ?? item.text, family: family(item.font), fontSize: item.size, bold: item.bold, wrapWidth: nil,
            markup: item.markup)
    }

    func layout(_ key: Key) -> OpaquePointer {
        if let layout = layouts[key] { return layout }
        let layout = pango_cairo_create_layout(context)!
        let description = pango_font_description_new()
        pango_font_description_set_family(description, key.family)
        pango_font_description_set_weight(description, key.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(description, max(1, key.fontSize * scale) * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        if let wrap = key.wrapWidth {
            pango_layout_set_width(layout, Int32(wrap * scale * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        if key.markup {
            // The scene parser checked the markup; if Pango still refuses it, show the raw text.
            var error: UnsafeMutablePointer<GError>?
            if pango_parse_markup(key.text, -1, 0, nil, nil, nil, &error) != 0 {
                pango_layout_set_markup(layout, key.text, -1)
            } else {
                g_error_free(error)
                pango_layout_set_text(layout, key.text, -1)
            }
        } else {
            pango_layout_set_text(layout, key.text, -1)
        }
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

extension TextLayouts: TextMeasuring {
    func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
        if let m = mixedLayout(text, family: fontFamily, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth) { return (m.width, m.height) }
        return size(Key(text: text, family: fontFamily, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth))
    }

    func measure(_ item: TextItem) -> (width: Double, height: Double) {
        if item.math, let box = mathBox(item) { return (box.width, box.ascent + box.descent) }
        if !item.math, !item.markup, let m = mixedLayout(item) { return (m.width, m.height) }
        return size(key(item))
    }

    /// A text object's mixed layout, when it holds math.
    func mixedLayout(_ item: TextItem) -> MixedLayout? {
        mixedLayout(item.text, family: family(item.font), fontSize: item.size, bold: item.bold, wrapWidth: nil)
    }

    func part(_ name: String, of item: TextItem) -> Rect? {
        guard item.math, let box = mathBox(item), let r = box.parts[name] else { return nil }
        // Parts are measured from the left end of the baseline, y down.
        return Rect(x: r.x, y: box.ascent + r.y, width: r.width, height: r.height)
    }
}

/// The real text measurer for the layout check: Pango at the output size.
public final class PangoTextMeasurer: TextMeasuring {
    private let canvas: CairoCanvas
    private let layouts: TextLayouts

    /// Measures as a `width`x`height` render with `fontFamily` (and `mathFont` for formulas) would draw.
    public init(fontFamily: String, mathFont: String = Theme.defaultMathFont, width: Int, height: Int) throws {
        canvas = try CairoCanvas(width: 1, height: 1)
        layouts = TextLayouts(context: canvas.context, fontFamily: fontFamily,
                              scale: SceneLayout.transform(width: width, height: height).scale)
        layouts.mathFontFamily = mathFont
    }

    public func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
        layouts.measure(text, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth)
    }

    public func measure(_ item: TextItem) -> (width: Double, height: Double) {
        layouts.measure(item)
    }

    public func part(_ name: String, of item: TextItem) -> Rect? {
        layouts.part(name, of: item)
    }
}

extension PangoTextMeasurer {
    /// Text and formula boxes as the Critic measures them at the output size.
    /// 2: texts with math inside (`$...$`) are measured as they are set, word by word.
    public static let component = ComponentVersion("text.measurer", 2)
}
