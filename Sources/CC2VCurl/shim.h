#ifndef CC2V_CURL_SHIM_H
#define CC2V_CURL_SHIM_H
#include <curl/curl.h>

/// curl_easy_setopt is variadic and unavailable in Swift: typed fixed-argument wrappers.
static inline CURLcode cc2v_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode cc2v_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode cc2v_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode cc2v_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
/// Write and header callbacks: (data, size, count, userdata) -> bytes taken.
typedef size_t (*cc2v_curl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode cc2v_curl_setopt_write_function(CURL *h, cc2v_curl_data_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode cc2v_curl_setopt_header_function(CURL *h, cc2v_curl_data_callback f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
#endif
