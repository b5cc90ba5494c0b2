#ifndef CC2V_FFMPEG_SHIM_H
#define CC2V_FFMPEG_SHIM_H
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/mathematics.h>
#include <libavutil/dict.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/channel_layout.h>

/// FFmpeg is loaded on first use (see loader.c), not when c2v starts: its libraries pull in
/// about 120 others whose relocations cost ~40 ms of start-up, which a no-op build does not
/// need. Returns NULL once FFmpeg is loaded, or dlerror()'s message.
const char *cc2v_av_load(void);

/// The versions of the headers c2v was built with (what cache keys name; see EncoderSettings).
static inline unsigned cc2v_header_avcodec_version(void) { return LIBAVCODEC_VERSION_INT; }
static inline unsigned cc2v_header_swscale_version(void) { return LIBSWSCALE_VERSION_INT; }

/// FFmpeg's function-like macros are not imported by Swift; typed wrappers follow.
static inline int cc2v_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int cc2v_averror_eof(void) { return AVERROR_EOF; }
static inline int64_t cc2v_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational cc2v_time_base_q(void) { return AV_TIME_BASE_Q; }
/// av_log is variadic: silence or set the level through this.
static inline void cc2v_av_log_set_level(int level) { av_log_set_level(level); }
#endif
