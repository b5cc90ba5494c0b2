internal import CC2VCairo
import C2VScene
import C2VSVG
import C2VUtil

/// A scene's images, decoded once per renderer on first use: PNGs as Cairo surfaces, SVGs as
/// librsvg documents drawn as vectors at each frame's own resolution. Belongs to one renderer,
/// and so to one task.
final class SceneImages {
    private enum Decoded {
        case png(OpaquePointer)
        case svg(SVGImage)
        case unusable
    }

    private let scene: Scene
    private var decoded: [String: Decoded] = [:]
    /// The first SVG that could not be parsed or drawn. The parser has read every SVG already,
    /// so this is a missing librsvg (a scene from the cache) or a limit librsvg meets only while
    /// drawing; the frame that meets it fails with it rather than showing a hole.
    private(set) var error: C2VError?

    init(scene: Scene) { self.scene = scene }

    deinit {
        for case .png(let surface) in decoded.values { cairo_surface_destroy(surface) }
    }

    /// Draws `item` fitted into its rectangle, keeping the image's aspect ratio, centred.
    func draw(_ item: ImageItem, on cr: OpaquePointer) {
        switch image(item.object) {
        case .png(let surface): drawPNG(surface, item, on: cr)
        case .svg(let svg): drawSVG(svg, item, on: cr)
        case .unusable: break
        }
    }

    private func image(_ id: String) -> Decoded {
        if let known = decoded[id] { return known }
        var result = Decoded.unusable
        if let object = scene.objects.first(where: { $0.id == id }), let data = object.imageData {
            // The parser let in PNGs by their signature and SVGs as everything else.
            if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                let surface = data.withUnsafeBufferPointer { cc2v_png_from_memory($0.baseAddress, $0.count) }
                if let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS { result = .png(surface) }
                else if let surface { cairo_surface_destroy(surface) }
            } else {
                do { result = .svg(try SVGImage(data)) } catch { note(error, object) }
            }
        }
        decoded[id] = result
        return result
    }

    private func note(_ error: C2VError, _ object: SceneObject) {
        guard self.error == nil else { return }
        self.error = C2VError(error.code, "image `\(object.imagePath ?? object.id)` cannot be drawn: \(error.message)")
    }

    /// The box of a `w`x`h` image fitted into `rect`, centred.
    private static func fitted(_ w: Double, _ h: Double, in rect: Rect) -> (x: Double, y: Double, scale: Double) {
        let k = min(rect.width / w, rect.height / h)
        return (rect.midX - w * k / 2, rect.midY - h * k / 2, k)
    }

    private func drawPNG(_ surface: OpaquePointer, _ item: ImageItem, on cr: OpaquePointer) {
        let w = Double(cairo_image_surface_get_width(surface)), h = Double(cairo_image_surface_get_height(surface))
        guard w > 0, h > 0 else { return }
        let box = Self.fitted(w, h, in: item.rect)
        cairo_save(cr)
        cairo_translate(cr, box.x, box.y)
        cairo_scale(cr, box.scale, box.scale)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint_with_alpha(cr, item.alpha)
        cairo_restore(cr)
    }

    private func drawSVG(_ svg: SVGImage, _ item: ImageItem, on cr: OpaquePointer) {
        guard svg.width > 0, svg.height > 0, item.alpha > 0 else { return }
        let box = Self.fitted(svg.width, svg.height, in: item.rect)
        // librsvg draws opaquely; a fading image is drawn into a group first, then faded.
        let fading = item.alpha < 1
        cairo_save(cr)
        if fading { cairo_push_group(cr) }
        do {
            try svg.draw(on: cr, x: box.x, y: box.y, width: svg.width * box.scale, height: svg.height * box.scale)
        } catch {
            if let object = scene.objects.first(where: { $0.id == item.object }) { note(error, object) }
        }
        if fading {
            cairo_pop_group_to_source(cr)
            cairo_paint_with_alpha(cr, item.alpha)
        }
        cairo_restore(cr)
    }
}
