internal import CC2VCairo
import C2VMath
import C2VScene

/// Text with math inside (`InlineMath`): words set by Pango and formulas by the math
/// typesetter, on one baseline, wrapped word by word. The renderer draws these layouts and the
/// Critic measures them, so both see the same rows.
struct MixedLayout {
    enum Piece {
        case text(TextLayouts.Key, baseline: Double)
        case math(MathBox)
    }
    struct Placed {
        var piece: Piece
        var x: Double
        /// The row's baseline, from the layout's top.
        var baseline: Double
    }
    var pieces: [Placed] = []
    var width = 0.0
    var height = 0.0
}

extension TextLayouts {
    /// The mixed layout of `text`, or nil when it holds no math (or a formula does not parse).
    func mixedLayout(_ text: String, family: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> MixedLayout? {
        guard text.contains("$") else { return nil }
        // Laid out once per renderer: titles and lecture lines are asked for every frame.
        let key = Key(text: text, family: family, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth)
        if let known = mixedLayouts[key] { return known }
        let made = makeMixedLayout(text, family: family, fontSize: fontSize, bold: bold, wrapWidth: wrapWidth)
        mixedLayouts[key] = made
        return made
    }

    private func makeMixedLayout(_ text: String, family: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> MixedLayout? {
        guard let runs = InlineMath.runs(text) else { return nil }
        // Tokens: words (with the space after them) and formulas; a formula never breaks.
        struct Token { var piece: MixedLayout.Piece; var width: Double; var ascent: Double; var descent: Double; var space: Double }
        var tokens: [Token] = []
        let spaceKey = Key(text: " ", family: family, fontSize: fontSize, bold: bold, wrapWidth: nil)
        let space = size(spaceKey).width
        for run in runs {
            if run.math {
                guard let box = try? typesetter?.layout(run.text, fontSize: fontSize, display: false, scale: scale) else { return nil }
                tokens.append(Token(piece: .math(box), width: box.width, ascent: box.ascent, descent: box.descent, space: 0))
                continue
            }
            // Spaces at a run's edges separate it from the formulas next to it.
            let words = run.text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            for (k, word) in words.enumerated() {
                if word.isEmpty {
                    if !tokens.isEmpty { tokens[tokens.count - 1].space += space }
                    continue
                }
                let key = Key(text: word, family: family, fontSize: fontSize, bold: bold, wrapWidth: nil)
                let s = size(key)
                let base = baseline(key)
                tokens.append(Token(piece: .text(key, baseline: base), width: s.width, ascent: base, descent: s.height - base,
                                    space: k < words.count - 1 ? space : 0))
            }
        }
        var layout = MixedLayout()
        var row: [(Token, Double)] = []
        var x = 0.0, top = 0.0
        func flush() {
            guard !row.isEmpty else { return }
            let ascent = row.map(\.0.ascent).max() ?? 0, descent = row.map(\.0.descent).max() ?? 0
            for (token, tx) in row { layout.pieces.append(MixedLayout.Placed(piece: token.piece, x: tx, baseline: top + ascent)) }
            layout.width = max(layout.width, row.last.map { $0.1 + $0.0.width } ?? 0)
            top += ascent + descent
            row = []
            x = 0
        }
        for token in tokens {
            if let wrap = wrapWidth, !row.isEmpty, x + token.width > wrap { flush() }
            row.append((token, x))
            x += token.width + token.space
        }
        flush()
        layout.height = top
        return layout
    }

    /// Pango's baseline of a one-line layout, in scene units from its top.
    func baseline(_ key: Key) -> Double {
        Double(pango_layout_get_baseline(layout(key))) / Double(PANGO_SCALE) / scale
    }

    func drawMixed(_ m: MixedLayout, on cr: OpaquePointer, color: RGBA, reveal: Double = 1) {
        if reveal < 0.999 {
            cairo_save(cr)
            cairo_rectangle(cr, 0, -m.height, m.width * max(0, reveal), m.height * 3)
            cairo_clip(cr)
        }
        for p in m.pieces {
            switch p.piece {
            case .text(let key, let base):
                cairo_save(cr)
                cairo_set_source_rgba(cr, color.r, color.g, color.b, color.a)
                cairo_translate(cr, p.x, p.baseline - base)
                cairo_scale(cr, 1 / scale, 1 / scale)
                let l = layout(key)
                pango_cairo_update_layout(cr, l)
                pango_cairo_show_layout(cr, l)
                cairo_restore(cr)
            case .math(let box):
                drawMath(box, on: cr, x: p.x, baseline: p.baseline, color: color, glyphLimit: nil)
            }
        }
        if reveal < 0.999 { cairo_restore(cr) }
        cairo_new_path(cr)
    }
}
