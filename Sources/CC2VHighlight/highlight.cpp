// Drives GNU source-highlight's C++ API for CC2VHighlight.h. Nothing here knows a language or
// a colour: definitions come from the caller, and element names go back to it unmapped.
#include "CC2VHighlight.h"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/highlightbuilderexception.h>
#include <srchilite/highlightrule.h>
#include <srchilite/highlightstate.h>
#include <srchilite/ioexception.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/parserexception.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>
#include <srchilite/sourcehighlighter.h>
#include <srchilite/versions.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

/// A parsed definition and every element name its rules and states can produce.
struct Definition {
    srchilite::HighlightStatePtr state;
    std::vector<std::string> elements;
};

std::mutex lock;
std::vector<Definition> definitions;
std::string version, configuredDataDir, defaultDataDir;

srchilite::LangDefManager &manager() {
    static srchilite::RegexRuleFactory factory;
    static srchilite::LangDefManager instance(&factory);
    return instance;
}

void fail(char *error, size_t size, const std::string &message) {
    if (error && size) std::snprintf(error, size, "%s", message.c_str());
}

/// The library's exceptions carry their detail (file, line) only in their stream form.
template <typename Exception> std::string describe(const Exception &e) {
    std::ostringstream text;
    text << e;
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

/// Runs `body`, turning any exception into -1 and a message: none may cross into C.
template <typename Body> int guarded(char *error, size_t size, Body body) {
    try {
        return body();
    } catch (const srchilite::ParserException &e) {
        fail(error, size, describe(e));
    } catch (const srchilite::HighlightBuilderException &e) {
        fail(error, size, describe(e));
    } catch (const srchilite::IOException &e) {
        fail(error, size, describe(e));
    } catch (const std::exception &e) {
        fail(error, size, e.what());
    } catch (...) {
        fail(error, size, "unknown C++ exception");
    }
    return -1;
}

void collect(const srchilite::HighlightStatePtr &state, std::set<unsigned> &seen, std::set<std::string> &names) {
    if (!state || !seen.insert(state->getId()).second) return;
    names.insert(state->getDefaultElement());
    for (const auto &rule : state->getRuleList()) {
        for (const auto &name : rule->getElemList()) names.insert(name);
        collect(rule->getNextState(), seen, names);
    }
}

int keep(const srchilite::HighlightStatePtr &state) {
    std::set<unsigned> seen;
    std::set<std::string> names{"normal"};
    collect(state, seen, names);
    definitions.push_back(Definition{state, std::vector<std::string>(names.begin(), names.end())});
    return static_cast<int>(definitions.size() - 1);
}

/// What one highlighting run has recorded so far.
struct Run {
    const srchilite::SourceHighlighter *highlighter = nullptr;
    std::map<std::string, int32_t> index;
    std::vector<std::string> names;
    std::vector<cc2v_code_token> tokens;
    int32_t line = 0;
    int32_t cursor = 0;

    int32_t intern(const std::string &name) {
        auto found = index.find(name);
        if (found != index.end()) return found->second;
        int32_t id = static_cast<int32_t>(names.size());
        names.push_back(name);
        index.emplace(name, id);
        return id;
    }
};

/// Records what the highlighter formats as one element; one instance per element name.
class Recorder : public srchilite::Formatter {
    Run &run;
    int32_t element;

public:
    Recorder(Run &run, const std::string &name) : run(run), element(run.intern(name)) {}

    void format(const std::string &s, const srchilite::FormatterParams *params) override {
        if (s.empty()) return;
        int32_t start = params && params->start >= 0 ? params->start : run.cursor;
        const auto &state = run.highlighter->getCurrentState();
        int32_t container = run.intern(state ? state->getDefaultElement() : "normal");
        int32_t length = static_cast<int32_t>(s.size());
        run.tokens.push_back(cc2v_code_token{run.line, start, length, element, container});
        run.cursor = start + length;
    }
};

char *copy(const std::string &s) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

}  // namespace

extern "C" {

const char *cc2v_code_library_version(void) {
    std::lock_guard<std::mutex> hold(lock);
    if (version.empty()) version = srchilite::Versions::getVersion();
    return version.c_str();
}

const char *cc2v_code_configured_data_dir(void) {
    std::lock_guard<std::mutex> hold(lock);
    if (configuredDataDir.empty()) configuredDataDir = srchilite::Settings::retrieveDataDir();
    return configuredDataDir.c_str();
}

const char *cc2v_code_default_data_dir(void) {
    std::lock_guard<std::mutex> hold(lock);
    if (defaultDataDir.empty()) defaultDataDir = srchilite::Settings::getDefaultDataDir();
    return defaultDataDir.c_str();
}

int cc2v_code_load_file(const char *directory, const char *file, char *error, size_t error_size) {
    std::lock_guard<std::mutex> hold(lock);
    return guarded(error, error_size, [&] { return keep(manager().buildHighlightState(directory, file)); });
}

int cc2v_code_load_text(const char *name, const char *definition, char *error, size_t error_size) {
    std::lock_guard<std::mutex> hold(lock);
    const char *tmp = std::getenv("TMPDIR");
    std::string folder = std::string(tmp && *tmp ? tmp : "/tmp") + "/c2v-code-XXXXXX";
    std::vector<char> buffer(folder.begin(), folder.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) {
        fail(error, error_size, "cannot create a private folder in " + std::string(tmp && *tmp ? tmp : "/tmp") + ": " +
                                    std::strerror(errno));
        return -1;
    }
    std::string directory(buffer.data()), path = directory + "/" + name;
    int result = -1;
    if (FILE *out = std::fopen(path.c_str(), "w")) {
        size_t size = std::strlen(definition);
        bool written = std::fwrite(definition, 1, size, out) == size;
        if (std::fclose(out) == 0 && written) {
            result = guarded(error, error_size, [&] { return keep(manager().buildHighlightState(directory, name)); });
        } else {
            fail(error, error_size, "cannot write " + path);
        }
    } else {
        fail(error, error_size, "cannot write " + path + ": " + std::strerror(errno));
    }
    unlink(path.c_str());
    rmdir(directory.c_str());
    return result;
}

int cc2v_code_highlight(int definition, const char *text, size_t length, cc2v_code_result *out, char *error,
                        size_t error_size) {
    std::memset(out, 0, sizeof *out);
    std::lock_guard<std::mutex> hold(lock);
    if (definition < 0 || static_cast<size_t>(definition) >= definitions.size()) {
        fail(error, error_size, "no such language definition");
        return -1;
    }
    const Definition &chosen = definitions[static_cast<size_t>(definition)];
    Run run;
    int status = guarded(error, error_size, [&] {
        srchilite::SourceHighlighter highlighter(chosen.state);
        run.highlighter = &highlighter;
        srchilite::FormatterManager formatters(srchilite::FormatterPtr(new Recorder(run, "normal")));
        for (const auto &name : chosen.elements) formatters.addFormatter(name, srchilite::FormatterPtr(new Recorder(run, name)));
        srchilite::FormatterParams params;
        highlighter.setFormatterManager(&formatters);
        highlighter.setFormatterParams(&params);
        // Unbuffered: each piece is formatted while the highlighter is still in its state.
        highlighter.setOptimize(false);
        size_t begin = 0;
        while (true) {
            size_t end = begin;
            while (end < length && text[end] != '\n') end++;
            params.start = 0;
            run.cursor = 0;
            highlighter.highlightParagraph(std::string(text + begin, end - begin));
            if (end >= length) break;
            begin = end + 1;
            run.line++;
        }
        return 0;
    });
    if (status != 0) return status;

    out->tokens = static_cast<cc2v_code_token *>(std::malloc(sizeof(cc2v_code_token) * (run.tokens.size() + 1)));
    out->elements = static_cast<char **>(std::calloc(run.names.size() + 1, sizeof(char *)));
    if (!out->tokens || !out->elements) {
        cc2v_code_result_free(out);
        fail(error, error_size, "out of memory");
        return -1;
    }
    std::memcpy(out->tokens, run.tokens.data(), sizeof(cc2v_code_token) * run.tokens.size());
    out->token_count = run.tokens.size();
    for (size_t i = 0; i < run.names.size(); i++) {
        out->elements[i] = copy(run.names[i]);
        if (!out->elements[i]) {
            out->element_count = i;
            cc2v_code_result_free(out);
            fail(error, error_size, "out of memory");
            return -1;
        }
    }
    out->element_count = run.names.size();
    return 0;
}

void cc2v_code_result_free(cc2v_code_result *result) {
    std::free(result->tokens);
    for (size_t i = 0; i < result->element_count; i++) std::free(result->elements[i]);
    std::free(result->elements);
    std::memset(result, 0, sizeof *result);
}

}  // extern "C"
