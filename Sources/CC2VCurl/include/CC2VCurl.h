#ifndef CC2V_CURL_SHIM_H
#define CC2V_CURL_SHIM_H
#include <curl/curl.h>

/// libcurl is loaded on first use (see loader.c): a build that makes no agent call never pays
/// for loading it and the TLS and protocol libraries it pulls in. Returns NULL once loaded, or
/// dlerror()'s message.
const char *cc2v_curl_load(void);

/// curl_easy_setopt and curl_easy_getinfo are variadic and unavailable in Swift: typed
/// fixed-argument forms (defined in loader.c).
CURLcode cc2v_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode cc2v_curl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode cc2v_curl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode cc2v_curl_getinfo_long(CURL *h, CURLINFO i, long *v);
/// Write and header callbacks: (data, size, count, userdata) -> bytes taken.
typedef size_t (*cc2v_curl_data_callback)(char *, size_t, size_t, void *);
CURLcode cc2v_curl_setopt_write_function(CURL *h, cc2v_curl_data_callback f);
CURLcode cc2v_curl_setopt_header_function(CURL *h, cc2v_curl_data_callback f);
#endif
