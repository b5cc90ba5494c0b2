/// Language definitions c2v ships for GNU source-highlight, in the library's own definition
/// language. They are data for the library, not lexers: the library compiles them to its
/// regular-expression rules, exactly as it does its own files.
///
/// The texts live in the binary rather than beside it, so an installed `c2v` needs nothing but
/// the library's package; they reach the library through a private file that is removed as soon
/// as it is parsed (the library reads definitions only from files). `@DATADIR@` stands for the
/// library's data folder. Changing any of them changes highlighting: bump
/// `CodeHighlighter.component`.
enum Definitions {
    /// Swift 6. The library has no Swift definition; this one follows the shape of its
    /// `java.lang` and `scala.lang` (comments, strings, preprocessor, keywords, types, numbers,
    /// symbols, calls), with Swift's nested block comments, multi-line and raw strings,
    /// attributes, `#` directives, and numbers with `_`, `0b` and `0o`.
    static let swift = ##"""
    # Swift for GNU source-highlight, shipped by c2v.

    comment start "//"
    comment delim "/*" "*/" multiline nested

    string delim '#"""' '"""#' multiline
    environment string delim "\"\"\"" "\"\"\"" multiline begin
      specialchar = '\\.'
    end
    string delim '#"' '"#'
    environment string delim "\"" "\"" begin
      specialchar = '\\.'
    end

    preproc = "import"
    preproc = '#(?:if|elseif|else|endif|sourceLocation|warning|error)\>'

    # Attributes (@MainActor, @escaping) and expression macros (#selector, #file).
    keyword = '@[[:alpha:]_][[:word:]]*'
    keyword = '#[[:alpha:]_][[:word:]]*'

    (keyword,normal,type) = `(\<(?:class|struct|enum|protocol|extension|actor|typealias|associatedtype))([[:blank:]]+)([[:alpha:]_][[:word:]]*)`

    keyword = "associatedtype|class|deinit|enum|extension|fileprivate|func|init",
      "inout|internal|let|open|operator|precedencegroup|private|protocol|public",
      "rethrows|static|struct|subscript|typealias|var|actor|macro|package",
      "break|case|continue|default|defer|do|else|fallthrough|for|guard|if|in",
      "repeat|return|throw|switch|where|while",
      "Any|as|async|await|catch|false|is|nil|self|Self|super|throws|true|try",
      "associativity|convenience|didSet|dynamic|final|get|indirect|infix|lazy",
      "mutating|nonmutating|optional|override|postfix|prefix|required|set",
      "some|any|unowned|weak|willSet|nonisolated|isolated|consuming|borrowing"

    type = "Int|Int8|Int16|Int32|Int64|UInt|UInt8|UInt16|UInt32|UInt64",
      "Float|Double|Bool|String|Character|Substring|Void|Never"

    # Swift names types with a capital letter.
    type = '\<[[:upper:]][[:word:]]*\>'

    # Closure arguments ($0) and projected values ($name) are names, not numbers.
    normal = '\$[[:word:]]+'

    number = '\<(?:0x[[:xdigit:]][[:xdigit:]_]*(?:\.[[:xdigit:]][[:xdigit:]_]*)?(?:[pP][+-]?[[:digit:]]+)?|0o[0-7][0-7_]*|0b[01][01_]*|[[:digit:]][[:digit:]_]*(?:\.[[:digit:]][[:digit:]_]*)?(?:[eE][+-]?[[:digit:]]+)?)\>'

    symbol = "~","!","%","^","*","(",")","-","+","=","[",
            "]","\\",":",";",",",".","/","?","&","<",">","\|","{","}"

    function = '([[:alpha:]]|_)[[:word:]]*(?=[[:blank:]]*\()'

    """##

    /// Python 3. The library's `python.lang` predates it: it lists `print` and `exec` as
    /// keywords and lacks `with`, `as`, `yield`, `nonlocal`, `True`, `False` and `None`. This is
    /// that file with Python 3's keyword list, its built-in types, decorators, and numbers with
    /// `_`, `0b`, `0o` and `j`; docstrings stay comments, as the library shows them.
    static let python = ##"""
    # Python 3 for GNU source-highlight, shipped by c2v (after the library's python.lang).

    preproc = "import|from"
    (normal,preproc) = `(^[[:blank:]]*)(@[[:alpha:]_][[:word:].]*)`

    comment start "#"

    number = '\<(?:0[xX][[:xdigit:]_]+|0[oO][0-7_]+|0[bB][01_]+|[[:digit:]][[:digit:]_]*(?:\.[[:digit:]_]*)?(?:[eE][+-]?[[:digit:]]+)?[jJ]?)\>'

    keyword = "False|None|True|and|as|assert|async|await|break|class|continue|def|del",
      "elif|else|except|finally|for|global|if|in|is|lambda|nonlocal|not|or|pass",
      "raise|return|try|while|with|yield"

    type = "bool|bytes|bytearray|complex|dict|float|frozenset|int|list|object|set|str|tuple"

    comment delim '^([[:space:]]*\'{3})' '(\'{3})' multiline
    comment delim '^([[:space:]]*\"{3})' '(\"{3})' multiline

    comment = '^([[:space:]]*\'(?:[^\\\']|\\.)*\'[[:space:]]*|[[:space:]]*\"(?:[^\\\"]|\\.)*\"[[:space:]]*)$'

    string delim '([[:space:]]*\'{3})' '(\'{3})' multiline
    string delim '([[:space:]]*\"{3})' '(\"{3})' multiline

    string delim "\"" "\"" escape "\\"
    string delim "'" "'"  escape "\\"

    symbol = "~","!","%","^","*","(",")","-","+","=","[",
            "]","\\",":",";",",",".","/","?","&","<",">","\|","{","}","@"

    function = '([[:alpha:]]|_)[[:word:]]*(?=[[:blank:]]*\()'

    """##

    /// JavaScript since ECMAScript 2015: the library's `javascript.lang` (kept whole, with its
    /// care for `/` as division or a regular expression) plus the keywords it lacks and
    /// template literals.
    static let javascript = ##"""
    # JavaScript for GNU source-highlight, shipped by c2v: the library's definition, extended.

    include "@DATADIR@/javascript.lang"

    keyword = "let|of|async|await|yield|import|from|as|undefined"

    environment string delim "`" "`" multiline begin
      specialchar = '\\.'
    end

    """##
}
