// GNU source-highlight behind a small C interface, so Swift never sees its C++ classes.
// A language definition (a .lang file) is parsed once and kept; highlighting a text runs
// the library's highlighter over it line by line and records every piece it formats, with
// the element name the definition gave it and the element of the state it sits in.
// Every call is serialised by one lock: the library's parser has global state, and a code
// block takes well under a millisecond, so a lock costs nothing worth sharing.
#ifndef CC2V_HIGHLIGHT_H
#define CC2V_HIGHLIGHT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One piece of a line as the library formatted it. Offsets are UTF-8 bytes in the line.
typedef struct {
    int32_t line;
    int32_t start;
    int32_t length;
    /// Index in `elements` of the element the definition gave this piece (`keyword`, `normal`).
    int32_t element;
    /// Index in `elements` of the default element of the state the piece is in: `comment`
    /// inside a comment's body, `string` inside a string's, `normal` at the top level.
    int32_t container;
} cc2v_code_token;

/// The pieces of every line, in order; they cover each line without gaps.
typedef struct {
    cc2v_code_token *tokens;
    size_t token_count;
    char **elements;
    size_t element_count;
} cc2v_code_result;

/// The library's version ("3.1.9").
const char *cc2v_code_library_version(void);
/// The data folder the library would read its .lang files from: $SOURCE_HIGHLIGHT_DATADIR,
/// the user's ~/.source-highlight configuration, or the folder it was built with.
const char *cc2v_code_configured_data_dir(void);
/// The folder the library was built with (/usr/share/source-highlight on Debian).
const char *cc2v_code_default_data_dir(void);

/// Parses `file` in `directory`. Returns the definition's id (>= 0), or -1 with a message.
int cc2v_code_load_file(const char *directory, const char *file, char *error, size_t error_size);
/// Parses a definition given as text: it is written to a private folder, parsed, and the file
/// removed again (the library reads definitions only from files). `name` is its file name.
int cc2v_code_load_text(const char *name, const char *definition, char *error, size_t error_size);

/// Highlights `length` bytes of UTF-8 `text`, whose lines are separated by '\n' (a final '\n'
/// starts an empty last line), with definition `definition`. Returns 0, or -1 with a message.
int cc2v_code_highlight(int definition, const char *text, size_t length, cc2v_code_result *out,
                        char *error, size_t error_size);
void cc2v_code_result_free(cc2v_code_result *result);

#ifdef __cplusplus
}
#endif
#endif
