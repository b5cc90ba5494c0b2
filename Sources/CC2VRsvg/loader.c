// Loads librsvg with dlopen the first time a scene shows an SVG, and parses and draws SVG
// documents through it. The prototypes come from librsvg's and GLib's own headers (each
// pointer below has the type of the function it holds), so a drifting signature does not
// compile; nothing here links against librsvg.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <librsvg/rsvg.h>
#include "CC2VRsvg.h"

struct cc2v_svg {
    RsvgHandle *handle;
};

static void *cc2v_rsvg;
static char cc2v_rsvg_error[512];
static pthread_once_t cc2v_rsvg_once = PTHREAD_ONCE_INIT;

static __typeof__(&rsvg_handle_new_from_data) p_new_from_data;
static __typeof__(&rsvg_handle_set_dpi) p_set_dpi;
static __typeof__(&rsvg_handle_get_intrinsic_size_in_pixels) p_size_in_pixels;
static __typeof__(&rsvg_handle_get_intrinsic_dimensions) p_intrinsic_dimensions;
static __typeof__(&rsvg_handle_render_document) p_render_document;
// GLib's, found through librsvg's own dependencies.
static __typeof__(&g_object_unref) p_object_unref;
static __typeof__(&g_error_free) p_error_free;

#define CC2V_LOAD(ptr, name)                                                                  \
    do {                                                                                      \
        *(void **)(&ptr) = dlsym(cc2v_rsvg, name);                                            \
        if (!ptr) {                                                                           \
            snprintf(cc2v_rsvg_error, sizeof cc2v_rsvg_error,                                 \
                     "librsvg-2.so.2 has no %s; install librsvg2-2 2.52 or later (make deps)", name); \
            return;                                                                           \
        }                                                                                     \
    } while (0)

static void cc2v_rsvg_open(void) {
    // librsvg's ABI has been soname 2 since the 2.x series began.
    cc2v_rsvg = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!cc2v_rsvg) {
        const char *why = dlerror();
        snprintf(cc2v_rsvg_error, sizeof cc2v_rsvg_error, "cannot load librsvg-2.so.2 (%s); install librsvg2-2 (make deps)",
                 why ? why : "unknown error");
        return;
    }
    CC2V_LOAD(p_new_from_data, "rsvg_handle_new_from_data");
    CC2V_LOAD(p_set_dpi, "rsvg_handle_set_dpi");
    CC2V_LOAD(p_size_in_pixels, "rsvg_handle_get_intrinsic_size_in_pixels");
    CC2V_LOAD(p_intrinsic_dimensions, "rsvg_handle_get_intrinsic_dimensions");
    CC2V_LOAD(p_render_document, "rsvg_handle_render_document");
    CC2V_LOAD(p_object_unref, "g_object_unref");
    CC2V_LOAD(p_error_free, "g_error_free");
}

const char *cc2v_svg_load(void) {
    pthread_once(&cc2v_rsvg_once, cc2v_rsvg_open);
    return cc2v_rsvg_error[0] ? cc2v_rsvg_error : NULL;
}

/// Copies a GError's message (librsvg's own text) into `error`, and frees it.
static int cc2v_svg_fail(GError *e, const char *fallback, char *error, size_t error_size) {
    snprintf(error, error_size, "%s", e && e->message ? e->message : fallback);
    if (e) p_error_free(e);
    return CC2V_SVG_INVALID;
}

static int cc2v_svg_ready(char *error, size_t error_size) {
    const char *why = cc2v_svg_load();
    if (!why) return CC2V_SVG_OK;
    snprintf(error, error_size, "%s", why);
    return CC2V_SVG_UNAVAILABLE;
}

int cc2v_svg_open(const uint8_t *data, size_t length, cc2v_svg **out, char *error, size_t error_size) {
    *out = NULL;
    int status = cc2v_svg_ready(error, error_size);
    if (status != CC2V_SVG_OK) return status;
    if (length == 0) return cc2v_svg_fail(NULL, "the file is empty", error, error_size);
    // librsvg inflates gzip data by itself.
    if (length >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        return cc2v_svg_fail(NULL, "it is compressed (svgz); save it as plain SVG", error, error_size);
    }
    cc2v_svg *svg = calloc(1, sizeof *svg);
    if (!svg) return cc2v_svg_fail(NULL, "out of memory", error, error_size);
    GError *e = NULL;
    // No base file, and the default flags: external references stay unresolved, and librsvg
    // keeps its limits on XML size and on the number of elements and references.
    svg->handle = p_new_from_data(data, length, &e);
    if (!svg->handle) {
        free(svg);
        return cc2v_svg_fail(e, "librsvg could not read it", error, error_size);
    }
    if (e) p_error_free(e);
    // Absolute units (cm, in, pt) convert to pixels at CSS's 96 per inch, whatever the default.
    p_set_dpi(svg->handle, 96);
    *out = svg;
    return CC2V_SVG_OK;
}

int cc2v_svg_size(cc2v_svg *svg, double *width, double *height, char *error, size_t error_size) {
    double w = 0, h = 0;
    if (!p_size_in_pixels(svg->handle, &w, &h)) {
        gboolean has_width = FALSE, has_height = FALSE, has_viewbox = FALSE;
        RsvgLength lw, lh;
        RsvgRectangle viewbox = {0, 0, 0, 0};
        p_intrinsic_dimensions(svg->handle, &has_width, &lw, &has_height, &lh, &has_viewbox, &viewbox);
        if (!has_viewbox) {
            return cc2v_svg_fail(NULL, "it has no size; give its <svg> element a width and height, or a viewBox", error,
                                 error_size);
        }
        w = viewbox.width;
        h = viewbox.height;
    }
    *width = w;
    *height = h;
    return CC2V_SVG_OK;
}

int cc2v_svg_render(cc2v_svg *svg, struct _cairo *cr, double x, double y, double width, double height, char *error,
                    size_t error_size) {
    RsvgRectangle viewport = {x, y, width, height};
    GError *e = NULL;
    if (!p_render_document(svg->handle, (cairo_t *)cr, &viewport, &e)) {
        return cc2v_svg_fail(e, "librsvg could not draw it", error, error_size);
    }
    if (e) p_error_free(e);
    return CC2V_SVG_OK;
}

void cc2v_svg_close(cc2v_svg *svg) {
    if (!svg) return;
    if (svg->handle) p_object_unref(svg->handle);
    free(svg);
}
