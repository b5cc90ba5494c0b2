// Loads espeak-ng with dlopen the first time c2v speaks and drives its synchronous synthesis.
// The prototypes come from espeak-ng's own header, so a drifting signature does not compile.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <espeak-ng/speak_lib.h>
#include "CC2VSpeech.h"

static void *cc2v_espeak;
static char cc2v_speech_error[512];
static int cc2v_rate;
static const char *cc2v_version = "";
static pthread_once_t cc2v_speech_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t cc2v_speech_lock = PTHREAD_MUTEX_INITIALIZER;

static int (*p_initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
static void (*p_set_callback)(t_espeak_callback *);
static espeak_ERROR (*p_set_voice)(const char *);
static espeak_ERROR (*p_set_parameter)(espeak_PARAMETER, int, int);
static espeak_ERROR (*p_synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,
                               unsigned int *, void *);
static espeak_ERROR (*p_synchronize)(void);
static const char *(*p_info)(const char **);


#define CC2V_LOAD(ptr, name)                                                                   \
    do {                                                                                       \
        *(void **)(&ptr) = dlsym(cc2v_espeak, name);                                           \
        if (!ptr) {                                                                            \
            snprintf(cc2v_speech_error, sizeof cc2v_speech_error, "espeak-ng has no %s", name); \
            return;                                                                            \
        }                                                                                      \
    } while (0)

static void cc2v_speech_open(void) {
    cc2v_espeak = dlopen("libespeak-ng.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!cc2v_espeak) {
        const char *why = dlerror();
        snprintf(cc2v_speech_error, sizeof cc2v_speech_error,
                 "cannot load libespeak-ng.so.1 (%s); install espeak-ng (make deps), or set narration: off",
                 why ? why : "unknown error");
        return;
    }
    CC2V_LOAD(p_initialize, "espeak_Initialize");
    CC2V_LOAD(p_set_callback, "espeak_SetSynthCallback");
    CC2V_LOAD(p_set_voice, "espeak_SetVoiceByName");
    CC2V_LOAD(p_set_parameter, "espeak_SetParameter");
    CC2V_LOAD(p_synth, "espeak_Synth");
    CC2V_LOAD(p_synchronize, "espeak_Synchronize");
    CC2V_LOAD(p_info, "espeak_Info");

    // 0x8000 (espeakINITIALIZE_DONT_EXIT): report a missing data folder instead of exiting.
    cc2v_rate = p_initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0x8000);
    if (cc2v_rate <= 0) {
        snprintf(cc2v_speech_error, sizeof cc2v_speech_error, "espeak-ng could not start (no espeak-ng-data?)");
        return;
    }
    cc2v_version = p_info(NULL);
}

const char *cc2v_speech_load(void) {
    pthread_once(&cc2v_speech_once, cc2v_speech_open);
    return cc2v_speech_error[0] ? cc2v_speech_error : NULL;
}

const char *cc2v_speech_version(void) { return cc2v_version ? cc2v_version : ""; }

static int cc2v_grow(void **buffer, size_t *capacity, size_t needed, size_t item) {
    if (needed <= *capacity) return 0;
    size_t next = *capacity ? *capacity * 2 : 1024;
    while (next < needed) next *= 2;
    void *grown = realloc(*buffer, next * item);
    if (!grown) return -1;
    *buffer = grown;
    *capacity = next;
    return 0;
}

/// The utterance being collected; set and cleared under cc2v_speech_lock.
static cc2v_speech *cc2v_current;

static int cc2v_collect(short *wav, int count, espeak_EVENT *events) {
    cc2v_speech *out = cc2v_current;
    if (!out) return 1;
    for (espeak_EVENT *e = events; e && e->type != espeakEVENT_LIST_TERMINATED; e++) {
        if (e->type == espeakEVENT_MARK && e->id.name) {
            if (cc2v_grow((void **)&out->marks, &out->mark_capacity, out->mark_count + 1, sizeof *out->marks)) return 1;
            cc2v_speech_mark *mark = &out->marks[out->mark_count++];
            snprintf(mark->name, sizeof mark->name, "%s", e->id.name);
            mark->milliseconds = e->audio_position;
        } else if (e->type == espeakEVENT_WORD) {
            if (cc2v_grow((void **)&out->word_starts, &out->word_capacity, out->word_count + 1, sizeof(int))) return 1;
            out->word_starts[out->word_count++] = e->audio_position;
        }
    }
    if (wav && count > 0) {
        if (cc2v_grow((void **)&out->samples, &out->capacity, out->count + (size_t)count, sizeof(short))) return 1;
        memcpy(out->samples + out->count, wav, (size_t)count * sizeof(short));
        out->count += (size_t)count;
    }
    return 0;
}

int cc2v_speak(const char *text, const char *voice, int rate, cc2v_speech *out, char *error, size_t error_size) {
    const char *why = cc2v_speech_load();
    if (why) {
        snprintf(error, error_size, "%s", why);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->sample_rate = cc2v_rate;
    pthread_mutex_lock(&cc2v_speech_lock);
    int status = 0;
    // espeak-ng draws its noise from the C library's rand(): seed it so the same text gives the
    // same samples whatever was said before.
    srand(1);
    if (p_set_voice(voice) != EE_OK) {
        snprintf(error, error_size, "espeak-ng has no voice `%s` (espeak-ng --voices lists them)", voice);
        status = -1;
    } else {
        p_set_parameter(espeakRATE, rate, 0);
        p_set_callback(cc2v_collect);
        cc2v_current = out;
        espeak_ERROR result = p_synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8 | espeakSSML, NULL, out);
        if (result == EE_OK) result = p_synchronize();
        cc2v_current = NULL;
        if (result != EE_OK) {
            snprintf(error, error_size, "espeak-ng failed to speak (error %d)", (int)result);
            status = -1;
        }
    }
    pthread_mutex_unlock(&cc2v_speech_lock);
    if (status != 0) cc2v_speech_free(out);
    return status;
}

void cc2v_speech_free(cc2v_speech *speech) {
    free(speech->samples);
    free(speech->marks);
    free(speech->word_starts);
    memset(speech, 0, sizeof *speech);
}
