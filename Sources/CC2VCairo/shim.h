#ifndef CC2V_CAIRO_SHIM_H
#define CC2V_CAIRO_SHIM_H
#include <cairo.h>
#include <pango/pangocairo.h>

/// g_object_unref takes a gpointer; typed wrapper so Swift passes a PangoLayout* directly.
static inline void cc2v_layout_unref(PangoLayout *layout) { g_object_unref(layout); }
static inline void cc2v_context_unref(PangoContext *ctx) { g_object_unref(ctx); }
/// PANGO_SCALE is a macro; Swift sees it, but keep one typed constant for clarity.
static inline int cc2v_pango_scale(void) { return PANGO_SCALE; }
#endif
