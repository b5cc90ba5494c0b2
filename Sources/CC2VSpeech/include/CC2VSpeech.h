// The offline speech engine (espeak-ng), opened with dlopen on the first line c2v speaks, so
// builds that speak nothing never load it. The synthesis loop is C: espeak-ng calls back with
// samples and events, which are collected here into one buffer per utterance.
#ifndef CC2V_SPEECH_H
#define CC2V_SPEECH_H
#include <stddef.h>

typedef struct {
    char name[64];
    int milliseconds;
} cc2v_speech_mark;

/// One utterance: 16-bit mono samples at `sample_rate`, its marks, and word starts in ms.
typedef struct {
    short *samples;
    size_t count;
    size_t capacity;
    cc2v_speech_mark *marks;
    size_t mark_count;
    size_t mark_capacity;
    int *word_starts;
    size_t word_count;
    size_t word_capacity;
    int sample_rate;
} cc2v_speech;

/// NULL once espeak-ng is loaded and initialised; otherwise why it is not (install espeak-ng).
const char *cc2v_speech_load(void);
/// espeak-ng's version text ("1.51"); valid after a successful load.
const char *cc2v_speech_version(void);
/// Speaks UTF-8 SSML `text` with `voice` (e.g. "en-us") at `rate` words per minute into `out`.
/// Returns 0, or -1 with a message in `error`. Calls are serialised: espeak-ng has one state.
int cc2v_speak(const char *text, const char *voice, int rate, cc2v_speech *out, char *error, size_t error_size);
void cc2v_speech_free(cc2v_speech *speech);

#endif
