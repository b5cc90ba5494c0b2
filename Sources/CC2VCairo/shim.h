#ifndef CC2V_CAIRO_SHIM_H
#define CC2V_CAIRO_SHIM_H
#include <cairo.h>
#include <pango/pangocairo.h>

/// g_object_unref takes a gpointer; typed wrapper so Swift passes a PangoLayout* directly.
static inline void cc2v_layout_unref(PangoLayout *layout) { g_object_unref(layout); }
static inline void cc2v_context_unref(PangoContext *ctx) { g_object_unref(ctx); }
/// PANGO_SCALE is a macro; Swift sees it, but keep one typed constant for clarity.
static inline int cc2v_pango_scale(void) { return PANGO_SCALE; }

/// Reads a PNG held in memory (scene images travel inside the scene, not as paths).
typedef struct { const unsigned char *data; size_t length; size_t offset; } cc2v_png_reader;
static cairo_status_t cc2v_png_read(void *closure, unsigned char *out, unsigned int length) {
    cc2v_png_reader *r = (cc2v_png_reader *)closure;
    if (r->offset + length > r->length) return CAIRO_STATUS_READ_ERROR;
    for (unsigned int i = 0; i < length; i++) out[i] = r->data[r->offset + i];
    r->offset += length;
    return CAIRO_STATUS_SUCCESS;
}
static inline cairo_surface_t *cc2v_png_from_memory(const unsigned char *data, size_t length) {
    cc2v_png_reader r = { data, length, 0 };
    return cairo_image_surface_create_from_png_stream(cc2v_png_read, &r);
}
#endif
