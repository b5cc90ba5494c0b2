// Loads FFmpeg's libraries with dlopen the first time c2v encodes or joins video, and forwards
// each FFmpeg function c2v calls to the loaded library. The prototypes come from FFmpeg's own
// headers (included below), so a signature that drifts from the headers does not compile.
// The forwarders are hidden: they are not exported, so FFmpeg's own calls between its
// libraries never come back through them.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "CC2VFFmpeg.h"

#define CC2V_STR2(x) #x
#define CC2V_STR(x) CC2V_STR2(x)

/// The sonames the headers were built for: the same ABI the headers describe.
static const char *const cc2v_av_sonames[] = {
    "libavutil.so." CC2V_STR(LIBAVUTIL_VERSION_MAJOR),
    "libswscale.so." CC2V_STR(LIBSWSCALE_VERSION_MAJOR),
    "libswresample.so." CC2V_STR(LIBSWRESAMPLE_VERSION_MAJOR),
    "libavcodec.so." CC2V_STR(LIBAVCODEC_VERSION_MAJOR),
    "libavformat.so." CC2V_STR(LIBAVFORMAT_VERSION_MAJOR),
};
#define CC2V_AV_LIBS (sizeof cc2v_av_sonames / sizeof cc2v_av_sonames[0])

static void *cc2v_av_handles[CC2V_AV_LIBS];
static char cc2v_av_error[512];
static pthread_once_t cc2v_av_once = PTHREAD_ONCE_INIT;

static void cc2v_av_open(void) {
    for (size_t i = 0; i < CC2V_AV_LIBS; i++) {
        cc2v_av_handles[i] = dlopen(cc2v_av_sonames[i], RTLD_NOW | RTLD_LOCAL);
        if (!cc2v_av_handles[i]) {
            const char *why = dlerror();
            snprintf(cc2v_av_error, sizeof cc2v_av_error, "cannot load %s (%s); install FFmpeg's libraries (make deps)",
                     cc2v_av_sonames[i], why ? why : "unknown error");
            return;
        }
    }
}

const char *cc2v_av_load(void) {
    pthread_once(&cc2v_av_once, cc2v_av_open);
    return cc2v_av_error[0] ? cc2v_av_error : NULL;
}

/// The address of `name` in the loaded libraries. Callers check cc2v_av_load() first; reaching
/// an unloadable FFmpeg here is a bug in c2v, so it stops with the reason.
static void *cc2v_av_symbol(const char *name) {
    const char *error = cc2v_av_load();
    if (error) {
        fprintf(stderr, "c2v: %s\n", error);
        abort();
    }
    for (size_t i = 0; i < CC2V_AV_LIBS; i++) {
        void *address = dlsym(cc2v_av_handles[i], name);
        if (address) return address;
    }
    fprintf(stderr, "c2v: FFmpeg has no function %s\n", name);
    abort();
}

#define FORWARD(ret, name, params, args)                                              \
    __attribute__((visibility("hidden"))) ret name params {                           \
        static ret (*fn) params;                                                      \
        ret (*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);                     \
        if (!f) {                                                                     \
            f = (ret (*) params)cc2v_av_symbol(#name);                                \
            __atomic_store_n(&fn, f, __ATOMIC_RELEASE);                               \
        }                                                                             \
        return f args;                                                                \
    }
#define FORWARD_VOID(name, params, args)                                              \
    __attribute__((visibility("hidden"))) void name params {                          \
        static void (*fn) params;                                                     \
        void (*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);                    \
        if (!f) {                                                                     \
            f = (void (*) params)cc2v_av_symbol(#name);                               \
            __atomic_store_n(&fn, f, __ATOMIC_RELEASE);                               \
        }                                                                             \
        f args;                                                                       \
    }

FORWARD(int, av_dict_count, (const AVDictionary *m), (m))
FORWARD_VOID(av_dict_free, (AVDictionary **m), (m))
FORWARD(AVDictionaryEntry *, av_dict_get, (const AVDictionary *m, const char *key, const AVDictionaryEntry *prev, int flags), (m, key, prev, flags))
FORWARD(int, av_dict_set, (AVDictionary **pm, const char *key, const char *value, int flags), (pm, key, value, flags))
FORWARD(AVFrame *, av_frame_alloc, (void), ())
FORWARD_VOID(av_frame_free, (AVFrame **frame), (frame))
FORWARD(int, av_frame_get_buffer, (AVFrame *frame, int align), (frame, align))
FORWARD(int, av_frame_make_writable, (AVFrame *frame), (frame))
FORWARD(int, av_interleaved_write_frame, (AVFormatContext *s, AVPacket *pkt), (s, pkt))
FORWARD_VOID(av_log_set_level, (int level), (level))
FORWARD(void *, av_mallocz, (size_t size), (size))
FORWARD(AVPacket *, av_packet_alloc, (void), ())
FORWARD_VOID(av_packet_free, (AVPacket **pkt), (pkt))
FORWARD_VOID(av_packet_rescale_ts, (AVPacket *pkt, AVRational tb_src, AVRational tb_dst), (pkt, tb_src, tb_dst))
FORWARD_VOID(av_packet_unref, (AVPacket *pkt), (pkt))
FORWARD(int, av_read_frame, (AVFormatContext *s, AVPacket *pkt), (s, pkt))
FORWARD(int64_t, av_rescale_q, (int64_t a, AVRational bq, AVRational cq), (a, bq, cq))
FORWARD(int, av_strerror, (int errnum, char *errbuf, size_t errbuf_size), (errnum, errbuf, errbuf_size))
FORWARD(int, av_write_trailer, (AVFormatContext *s), (s))
FORWARD(AVCodecContext *, avcodec_alloc_context3, (const AVCodec *codec), (codec))
FORWARD(const AVCodec *, avcodec_find_encoder_by_name, (const char *name), (name))
FORWARD_VOID(avcodec_free_context, (AVCodecContext **avctx), (avctx))
FORWARD(int, avcodec_open2, (AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options), (avctx, codec, options))
FORWARD(AVCodecParameters *, avcodec_parameters_alloc, (void), ())
FORWARD(int, avcodec_parameters_copy, (AVCodecParameters *dst, const AVCodecParameters *src), (dst, src))
FORWARD_VOID(avcodec_parameters_free, (AVCodecParameters **par), (par))
FORWARD(int, avcodec_parameters_from_context, (AVCodecParameters *par, const AVCodecContext *codec), (par, codec))
FORWARD(int, avcodec_receive_packet, (AVCodecContext *avctx, AVPacket *avpkt), (avctx, avpkt))
FORWARD(int, avcodec_send_frame, (AVCodecContext *avctx, const AVFrame *frame), (avctx, frame))
FORWARD(unsigned, avcodec_version, (void), ())
FORWARD(int, avformat_alloc_output_context2, (AVFormatContext **ctx, const AVOutputFormat *oformat, const char *format_name, const char *filename), (ctx, oformat, format_name, filename))
FORWARD_VOID(avformat_close_input, (AVFormatContext **s), (s))
FORWARD(int, avformat_find_stream_info, (AVFormatContext *ic, AVDictionary **options), (ic, options))
FORWARD_VOID(avformat_free_context, (AVFormatContext *s), (s))
FORWARD(AVStream *, avformat_new_stream, (AVFormatContext *s, const AVCodec *c), (s, c))
FORWARD(int, avformat_open_input, (AVFormatContext **ps, const char *url, const AVInputFormat *fmt, AVDictionary **options), (ps, url, fmt, options))
FORWARD(int, avformat_write_header, (AVFormatContext *s, AVDictionary **options), (s, options))
FORWARD(int, avio_closep, (AVIOContext **s), (s))
FORWARD(int, avio_open, (AVIOContext **s, const char *url, int flags), (s, url, flags))
FORWARD_VOID(sws_freeContext, (struct SwsContext *swsContext), (swsContext))
FORWARD(const int *, sws_getCoefficients, (int colorspace), (colorspace))
FORWARD(struct SwsContext *, sws_getContext, (int srcW, int srcH, enum AVPixelFormat srcFormat, int dstW, int dstH, enum AVPixelFormat dstFormat, int flags, SwsFilter *srcFilter, SwsFilter *dstFilter, const double *param), (srcW, srcH, srcFormat, dstW, dstH, dstFormat, flags, srcFilter, dstFilter, param))
FORWARD(int, sws_scale, (struct SwsContext *c, const uint8_t *const srcSlice[], const int srcStride[], int srcSliceY, int srcSliceH, uint8_t *const dst[], const int dstStride[]), (c, srcSlice, srcStride, srcSliceY, srcSliceH, dst, dstStride))
FORWARD(int, sws_setColorspaceDetails, (struct SwsContext *c, const int inv_table[4], int srcRange, const int table[4], int dstRange, int brightness, int contrast, int saturation), (c, inv_table, srcRange, table, dstRange, brightness, contrast, saturation))
FORWARD(unsigned, swscale_version, (void), ())
FORWARD_VOID(av_channel_layout_default, (AVChannelLayout *ch_layout, int nb_channels), (ch_layout, nb_channels))
FORWARD(int, av_channel_layout_copy, (AVChannelLayout *dst, const AVChannelLayout *src), (dst, src))
FORWARD(int, swr_alloc_set_opts2, (struct SwrContext **ps, AVChannelLayout *out_ch_layout, enum AVSampleFormat out_sample_fmt, int out_sample_rate, AVChannelLayout *in_ch_layout, enum AVSampleFormat in_sample_fmt, int in_sample_rate, int log_offset, void *log_ctx), (ps, out_ch_layout, out_sample_fmt, out_sample_rate, in_ch_layout, in_sample_fmt, in_sample_rate, log_offset, log_ctx))
FORWARD(int, swr_init, (struct SwrContext *s), (s))
FORWARD(int, swr_convert, (struct SwrContext *s, uint8_t **out, int out_count, const uint8_t **in, int in_count), (s, out, out_count, in, in_count))
FORWARD_VOID(swr_free, (struct SwrContext **s), (s))
FORWARD(void *, av_realloc_array, (void *ptr, size_t nmemb, size_t size), (ptr, nmemb, size))
