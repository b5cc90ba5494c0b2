internal import CC2VCairo
import C2VUtil

/// A glyph run's extents in caller units, taken from Pango's ink and logical rectangles.
struct MathGlyphMetrics {
    /// Logical advance width.
    var advance: Double
    /// Ink above the baseline (>= 0).
    var height: Double
    /// Ink below the baseline (>= 0).
    var depth: Double
    /// How far the ink reaches right of the advance (> 0 for slanted letters).
    var italicCorrection: Double
    /// The x where each prefix of the run ends (runs of two or more characters only).
    var prefixEnds: [Double]
}

/// Font-wide quantities in em, measured once from the font through Pango.
struct MathFontParameters: Sendable {
    var xHeight: Double
    /// Height of the maths axis (the middle of `+` and of fraction rules) above the baseline.
    var axisHeight: Double
    /// Fraction rules, radical overbars, overlines.
    var ruleThickness: Double
}

/// Pango layouts, one per (text, face, pixel size), made on first use and kept for drawing.
///
/// Owns its own font map and context so that typesetters on different tasks share no Pango state.
final class MathGlyphCache {
    private struct Key: Hashable {
        var text: String
        var face: MathGlyphFace
        var pixelSize: Double
    }

    private struct Entry {
        let layout: OpaquePointer
        /// Baseline below the layout's top, in device pixels.
        let baseline: Double
        /// Ink and logical rectangles in device pixels.
        let inkX, inkY, inkWidth, inkHeight, advance: Double
        let prefixEnds: [Double]
    }

    /// Beyond this many layouts the cache is emptied; boxes keep their measurements and remake layouts on draw.
    static let maxEntries = 4096

    let family: String
    private(set) var parameters: MathFontParameters
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private var entries: [Key: Entry] = [:]

    /// Makes a Pango context for `family`; throws if no installed font has that family.
    init(family: String) throws {
        guard let fontMap = pango_cairo_font_map_new() else { throw C2VError(.native, "pango: cannot create a font map") }
        guard let context = pango_font_map_create_context(fontMap) else {
            g_object_unref(UnsafeMutableRawPointer(fontMap))
            throw C2VError(.native, "pango: cannot create a context")
        }
        // Unhinted metrics: positions are computed in fractions of a pixel and must match when drawn.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        self.fontMap = fontMap
        self.context = context
        self.family = family
        self.parameters = MathFontParameters(xHeight: 0.45, axisHeight: 0.25, ruleThickness: 0.05)
        if let problem = Self.checkFamily(family, fontMap: fontMap, context: context) {
            throw C2VError(.invalidInput, problem)
        }
        self.parameters = measureParameters()
    }

    deinit {
        for entry in entries.values { cc2v_layout_unref(entry.layout) }
        cc2v_context_unref(context)
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// The run's extents in caller units when set at `size` units with `scale` device pixels per unit.
    func metrics(_ text: String, face: MathGlyphFace, size: Double, scale: Double) -> MathGlyphMetrics {
        let entry = self.entry(text, face: face, pixelSize: size * scale)
        let inkTop = entry.baseline - entry.inkY, inkBottom = entry.inkY + entry.inkHeight - entry.baseline
        let italic = entry.inkWidth > 0 ? entry.inkX + entry.inkWidth - entry.advance : 0
        return MathGlyphMetrics(
            advance: entry.advance / scale,
            height: entry.inkHeight > 0 ? max(0, inkTop) / scale : 0,
            depth: entry.inkHeight > 0 ? max(0, inkBottom) / scale : 0,
            italicCorrection: face == .italic || face == .boldItalic ? max(0, italic) / scale : 0,
            prefixEnds: entry.prefixEnds.map { $0 / scale })
    }

    /// Runs `body` with the run's layout and its baseline offset in device pixels.
    func withLayout(_ text: String, face: MathGlyphFace, pixelSize: Double, _ body: (OpaquePointer, Double) -> Void) {
        let entry = self.entry(text, face: face, pixelSize: pixelSize)
        body(entry.layout, entry.baseline)
    }

    private func entry(_ text: String, face: MathGlyphFace, pixelSize: Double) -> Entry {
        let key = Key(text: text, face: face, pixelSize: pixelSize)
        if let entry = entries[key] { return entry }
        if entries.count >= Self.maxEntries {
            for entry in entries.values { cc2v_layout_unref(entry.layout) }
            entries.removeAll(keepingCapacity: true)
        }
        let layout = pango_layout_new(context)!
        let description = Self.description(family: family, face: face)
        pango_font_description_set_absolute_size(description, min(16384, max(0.01, pixelSize)) * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_text(layout, text, -1)
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        let unit = Double(PANGO_SCALE)
        var prefixEnds: [Double] = []
        if text.count > 1 {
            var byteIndex = 0
            for (i, character) in text.enumerated() {
                byteIndex += character.utf8.count
                if i == text.count - 1 { break }
                var rect = PangoRectangle()
                pango_layout_index_to_pos(layout, Int32(byteIndex), &rect)
                prefixEnds.append(Double(rect.x) / unit)
            }
            prefixEnds.append(Double(logical.x + logical.width) / unit)
        }
        let entry = Entry(
            layout: layout, baseline: Double(pango_layout_get_baseline(layout)) / unit,
            inkX: Double(ink.x) / unit, inkY: Double(ink.y) / unit,
            inkWidth: Double(ink.width) / unit, inkHeight: Double(ink.height) / unit,
            advance: Double(logical.width) / unit, prefixEnds: prefixEnds)
        entries[key] = entry
        return entry
    }

    private static func description(family: String, face: MathGlyphFace) -> OpaquePointer {
        let description = pango_font_description_new()!
        pango_font_description_set_family(description, family)
        let italic = face == .italic || face == .boldItalic, bold = face == .bold || face == .boldItalic
        pango_font_description_set_style(description, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        return description
    }

    /// Nil when `family` resolves to itself; otherwise a message naming the nearest installed family.
    private static func checkFamily(_ family: String, fontMap: UnsafeMutablePointer<PangoFontMap>,
                                    context: OpaquePointer) -> String? {
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>?
        var count: Int32 = 0
        pango_font_map_list_families(fontMap, &families, &count)
        defer { g_free(families) }
        var names: [String] = []
        for i in 0..<Int(count) {
            if let familyPointer = families?[i], let name = pango_font_family_get_name(familyPointer) {
                names.append(String(cString: name))
            }
        }
        if names.contains(where: { $0.lowercased() == family.lowercased() }) { return nil }
        return "font family `\(family)` is not installed" + didYouMean(family, names)
    }

    /// x-height, axis and rule thickness from the font itself, at a large size for precision.
    private func measureParameters() -> MathFontParameters {
        let size = 100.0
        let x = metrics("x", face: .upright, size: size, scale: 1)
        let plus = entry("+", face: .upright, pixelSize: size)
        let axis = plus.baseline - (plus.inkY + plus.inkHeight / 2)
        var thickness = 0.05
        let description = Self.description(family: family, face: .upright)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        if let font = pango_font_map_load_font(fontMap, context, description) {
            if let fontMetrics = pango_font_get_metrics(font, nil) {
                let underline = Double(pango_font_metrics_get_underline_thickness(fontMetrics)) / Double(PANGO_SCALE)
                if underline > 0 { thickness = underline / size }
                pango_font_metrics_unref(fontMetrics)
            }
            g_object_unref(UnsafeMutableRawPointer(font))
        }
        pango_font_description_free(description)
        return MathFontParameters(
            xHeight: x.height > 0 ? x.height / size : 0.45,
            axisHeight: axis > 0 ? axis / size : 0.25,
            ruleThickness: min(0.08, max(0.035, thickness)))
    }
}
