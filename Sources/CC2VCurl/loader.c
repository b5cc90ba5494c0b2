// Loads libcurl with dlopen the first time c2v makes an agent call, and forwards the curl
// functions c2v uses to it. Prototypes come from curl's own header (included below), so a
// forwarder that drifts from them does not compile; the forwarders are hidden.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "CC2VCurl.h"

static void *cc2v_curl_handle;
static char cc2v_curl_error[512];
static pthread_once_t cc2v_curl_once = PTHREAD_ONCE_INIT;

static void cc2v_curl_open(void) {
    // libcurl's ABI has been soname 4 since 2006.
    cc2v_curl_handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!cc2v_curl_handle) {
        const char *why = dlerror();
        snprintf(cc2v_curl_error, sizeof cc2v_curl_error, "cannot load libcurl.so.4 (%s); install libcurl (make deps)",
                 why ? why : "unknown error");
    }
}

const char *cc2v_curl_load(void) {
    pthread_once(&cc2v_curl_once, cc2v_curl_open);
    return cc2v_curl_error[0] ? cc2v_curl_error : NULL;
}

static void *cc2v_curl_symbol(const char *name) {
    const char *error = cc2v_curl_load();
    if (error) {
        fprintf(stderr, "c2v: %s\n", error);
        abort();
    }
    void *address = dlsym(cc2v_curl_handle, name);
    if (!address) {
        fprintf(stderr, "c2v: libcurl has no function %s\n", name);
        abort();
    }
    return address;
}

#define CC2V_RESOLVE(type, variable, name)                                  \
    static type variable;                                                   \
    type f = __atomic_load_n(&variable, __ATOMIC_ACQUIRE);                  \
    if (!f) {                                                               \
        f = (type)cc2v_curl_symbol(name);                                   \
        __atomic_store_n(&variable, f, __ATOMIC_RELEASE);                   \
    }

__attribute__((visibility("hidden"))) CURLcode curl_global_init(long flags) {
    typedef CURLcode (*fn_t)(long);
    CC2V_RESOLVE(fn_t, fn, "curl_global_init")
    return f(flags);
}
__attribute__((visibility("hidden"))) CURL *curl_easy_init(void) {
    typedef CURL *(*fn_t)(void);
    CC2V_RESOLVE(fn_t, fn, "curl_easy_init")
    return f();
}
__attribute__((visibility("hidden"))) void curl_easy_cleanup(CURL *h) {
    typedef void (*fn_t)(CURL *);
    CC2V_RESOLVE(fn_t, fn, "curl_easy_cleanup")
    f(h);
}
__attribute__((visibility("hidden"))) void curl_easy_reset(CURL *h) {
    typedef void (*fn_t)(CURL *);
    CC2V_RESOLVE(fn_t, fn, "curl_easy_reset")
    f(h);
}
__attribute__((visibility("hidden"))) CURLcode curl_easy_perform(CURL *h) {
    typedef CURLcode (*fn_t)(CURL *);
    CC2V_RESOLVE(fn_t, fn, "curl_easy_perform")
    return f(h);
}
__attribute__((visibility("hidden"))) const char *curl_easy_strerror(CURLcode code) {
    typedef const char *(*fn_t)(CURLcode);
    CC2V_RESOLVE(fn_t, fn, "curl_easy_strerror")
    return f(code);
}
__attribute__((visibility("hidden"))) struct curl_slist *curl_slist_append(struct curl_slist *list, const char *text) {
    typedef struct curl_slist *(*fn_t)(struct curl_slist *, const char *);
    CC2V_RESOLVE(fn_t, fn, "curl_slist_append")
    return f(list, text);
}
__attribute__((visibility("hidden"))) void curl_slist_free_all(struct curl_slist *list) {
    typedef void (*fn_t)(struct curl_slist *);
    CC2V_RESOLVE(fn_t, fn, "curl_slist_free_all")
    f(list);
}

// The variadic setters, called through a pointer of their real (variadic) type.
typedef CURLcode (*cc2v_setopt_t)(CURL *, CURLoption, ...);
typedef CURLcode (*cc2v_getinfo_t)(CURL *, CURLINFO, ...);

CURLcode cc2v_curl_setopt_long(CURL *h, CURLoption o, long v) {
    CC2V_RESOLVE(cc2v_setopt_t, fn, "curl_easy_setopt")
    return f(h, o, v);
}
CURLcode cc2v_curl_setopt_string(CURL *h, CURLoption o, const char *v) {
    CC2V_RESOLVE(cc2v_setopt_t, fn, "curl_easy_setopt")
    return f(h, o, v);
}
CURLcode cc2v_curl_setopt_pointer(CURL *h, CURLoption o, void *v) {
    CC2V_RESOLVE(cc2v_setopt_t, fn, "curl_easy_setopt")
    return f(h, o, v);
}
CURLcode cc2v_curl_setopt_write_function(CURL *h, cc2v_curl_data_callback cb) {
    CC2V_RESOLVE(cc2v_setopt_t, fn, "curl_easy_setopt")
    return f(h, CURLOPT_WRITEFUNCTION, cb);
}
CURLcode cc2v_curl_setopt_header_function(CURL *h, cc2v_curl_data_callback cb) {
    CC2V_RESOLVE(cc2v_setopt_t, fn, "curl_easy_setopt")
    return f(h, CURLOPT_HEADERFUNCTION, cb);
}
CURLcode cc2v_curl_getinfo_long(CURL *h, CURLINFO i, long *v) {
    CC2V_RESOLVE(cc2v_getinfo_t, fn, "curl_easy_getinfo")
    return f(h, i, v);
}
