// SVG documents drawn with librsvg, opened with dlopen the first time a scene shows an SVG, so
// lessons without one never load it (nor the GIO and gdk-pixbuf libraries it brings along).
// A document is parsed from memory with no base file: librsvg resolves `xlink:href`, XInclude
// and CSS `@import` against the base file, so without one no other file can be read.
#ifndef CC2V_RSVG_H
#define CC2V_RSVG_H
#include <stddef.h>
#include <stdint.h>

/// Cairo's context, as CC2VCairo declares it; left incomplete so this header needs no cairo.h.
struct _cairo;

/// One parsed SVG document (an RsvgHandle). Use it from one thread at a time.
typedef struct cc2v_svg cc2v_svg;

/// What the calls below return.
#define CC2V_SVG_OK 0
/// The data is not an SVG librsvg can read or draw; the message is librsvg's.
#define CC2V_SVG_INVALID (-1)
/// librsvg is not installed (or lacks a function c2v calls).
#define CC2V_SVG_UNAVAILABLE (-2)

/// NULL once librsvg is loaded; otherwise why it is not (install librsvg2-2).
const char *cc2v_svg_load(void);

/// Parses `length` bytes of SVG into `*out` (to be closed with cc2v_svg_close). Compressed
/// SVG (svgz) is refused: a few megabytes of it can inflate to gigabytes of XML.
int cc2v_svg_open(const uint8_t *data, size_t length, cc2v_svg **out, char *error, size_t error_size);

/// The document's intrinsic size in pixels (at 96 dpi): its `width` and `height` when they
/// are absolute lengths, else its viewBox's size. INVALID when it has neither.
int cc2v_svg_size(cc2v_svg *svg, double *width, double *height, char *error, size_t error_size);

/// Draws the whole document fitted into the viewport (x, y, width, height) in `cr`'s user
/// space, as vectors. `cr`'s state is the same afterwards.
int cc2v_svg_render(cc2v_svg *svg, struct _cairo *cr, double x, double y, double width, double height, char *error,
                    size_t error_size);

void cc2v_svg_close(cc2v_svg *svg);

#endif
