import C2VUtil
import Foundation

/// A compiled arithmetic expression from a scene (`sin(x) + sin(3*x)/3`).
///
/// Parsed once into a closure tree over numbered variable slots, so drawing evaluates it
/// without re-parsing. Only arithmetic, comparisons, `cond ? a : b`, a fixed set of
/// functions and `sum(k, from, to, expr)` exist: nothing in a scene is ever executed as code.
public struct MathExpression: Sendable {
    public let source: String
    /// Names the expression may read, in slot order (`x`, `t`, ...).
    public let variables: [String]
    /// The variables it actually reads (directly or through functions); empty means a constant.
    public let reads: Set<String>
    private let body: @Sendable (inout [Double]) -> Double

    /// A problem in an expression, at a 0-based character offset into its source.
    public struct ParseError: Error, Sendable, Equatable {
        public var offset: Int
        public var message: String
    }

    public static let constants: [String: Double] = ["pi": .pi, "tau": 2 * .pi, "e": M_E]
    public static let unary: [String: @Sendable (Double) -> Double] = [
        "sin": sin, "cos": cos, "tan": tan, "asin": asin, "acos": acos, "atan": atan, "exp": exp, "log": log,
        "sqrt": sqrt, "abs": abs, "floor": floor, "ceil": ceil, "round": { $0.rounded() },
        "sign": { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) },
    ]
    public static let binary: [String: @Sendable (Double, Double) -> Double] = [
        "atan2": atan2, "min": { Swift.min($0, $1) }, "max": { Swift.max($0, $1) },
    ]
    /// `sum(k, from, to, expr)` is bounded so a scene cannot ask for unbounded work per frame.
    public static let maximumSumTerms = 10_000

    /// A named function a scene defines (`px(m) = sum(j, 0, m - 1, ...)`). Calls are expanded
    /// when an expression is compiled; a function may call only functions defined before it.
    public struct Function: Codable, Sendable, Equatable {
        public var name: String
        public var parameters: [String]
        public var body: String

        public init(name: String, parameters: [String], body: String) {
            self.name = name
            self.parameters = parameters
            self.body = body
        }
    }

    /// Bound on tokens compiled, counting every expansion of a function call.
    public static let maximumExpandedTokens = 50_000
    /// Bound on the work of one evaluation, counted in tokens evaluated when it is compiled: a
    /// `sum` multiplies the cost of its term by its terms (10 000 when its bounds are not
    /// constant), so nested sums and functions that sum over sums are refused before they run.
    public static let maximumCost = 1_000_000

    /// Compiles `source`, which may read `variables` and call `functions`.
    public init(_ source: String, variables: [String], functions: [Function] = []) throws(ParseError) {
        self.source = source
        self.variables = variables
        let budget = ExpansionBudget()
        var parser = ExpressionParser(source: source, slots: variables, globals: variables.count,
                                      functions: functions, budget: budget)
        let body = try parser.parseAll()
        self.body = body
        self.reads = Set(parser.readGlobals.map { variables[$0] })
    }

    /// Evaluates with `values` in the order of `variables`.
    public func evaluate(_ values: Double...) -> Double {
        var slots = values
        slots.reserveCapacity(values.count + 4)
        return body(&slots)
    }

    /// Evaluates with a reusable slot array (at least `variables.count` long), for hot loops.
    public func evaluate(slots: inout [Double]) -> Double { body(&slots) }
}

/// Counts tokens across nested function expansions, so a chain of functions that each call
/// the previous one twice cannot blow up compile time.
private final class ExpansionBudget {
    var tokens = 0
}

private struct Token {
    enum Kind: Equatable { case number(Double), name(String), op(String), end }
    var kind: Kind
    var offset: Int
}

/// Recursive descent over a token list; precedence from low to high:
/// `?:`, `||`, `&&`, comparisons, `+ -`, `* / %`, unary `-`, `^` (right-associative).
private struct ExpressionParser {
    typealias Node = @Sendable (inout [Double]) -> Double
    let source: String
    var slots: [String]
    /// Slots below this index are the expression's variables; above are `sum` and parameter slots.
    let globals: Int
    let functions: [MathExpression.Function]
    let budget: ExpansionBudget
    var readGlobals: Set<Int> = []
    var tokens: [Token] = []
    var index = 0
    /// Slot reads so far: unchanged across a subexpression means it is a constant.
    var slotReads = 0
    /// Work beyond one unit per token: the extra terms of sums, the bodies of function calls.
    var extraCost = 0
    /// What one evaluation of the part parsed so far may cost (see `maximumCost`).
    var cost: Int { index + extraCost }

    init(source: String, slots: [String], globals: Int, functions: [MathExpression.Function], budget: ExpansionBudget) {
        self.source = source
        self.slots = slots
        self.globals = globals
        self.functions = functions
        self.budget = budget
    }

    mutating func parseAll() throws(MathExpression.ParseError) -> Node {
        tokens = try tokenize()
        budget.tokens += tokens.count
        guard budget.tokens <= MathExpression.maximumExpandedTokens else {
            throw error("expression too large after expanding function calls (over \(MathExpression.maximumExpandedTokens) tokens)", at: 0)
        }
        let node = try conditional()
        guard case .end = tokens[index].kind else { throw error("unexpected \(describe(tokens[index])); expected an operator or the end") }
        return node
    }

    func error(_ message: String, at offset: Int? = nil) -> MathExpression.ParseError {
        MathExpression.ParseError(offset: offset ?? tokens[min(index, tokens.count - 1)].offset, message: message)
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .number(let n): return "number \(n)"
        case .name(let s): return "`\(s)`"
        case .op(let s): return "`\(s)`"
        case .end: return "end of expression"
        }
    }

    func tokenize() throws(MathExpression.ParseError) -> [Token] {
        var result: [Token] = []
        let chars = Array(source)
        var i = 0
        let twoCharOps: Set<String> = ["<=", ">=", "==", "!=", "&&", "||"]
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isNumber || chars[j] == "." { j += 1 }
                if j < chars.count, chars[j] == "e" || chars[j] == "E",
                   j + 1 < chars.count, chars[j + 1].isNumber || ((chars[j + 1] == "-" || chars[j + 1] == "+") && j + 2 < chars.count && chars[j + 2].isNumber) {
                    j += 2
                    while j < chars.count, chars[j].isNumber { j += 1 }
                }
                guard let value = Double(String(chars[i..<j])) else {
                    throw MathExpression.ParseError(offset: i, message: "malformed number `\(String(chars[i..<j]))`")
                }
                result.append(Token(kind: .number(value), offset: i))
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                result.append(Token(kind: .name(String(chars[i..<j])), offset: i))
                i = j
            } else if i + 1 < chars.count, twoCharOps.contains(String(chars[i...i + 1])) {
                result.append(Token(kind: .op(String(chars[i...i + 1])), offset: i))
                i += 2
            } else if "+-*/^%(),?:<>".contains(c) {
                result.append(Token(kind: .op(String(c)), offset: i))
                i += 1
            } else {
                throw MathExpression.ParseError(offset: i, message: "unexpected character `\(c)`")
            }
        }
        result.append(Token(kind: .end, offset: chars.count))
        return result
    }

    mutating func accept(_ op: String) -> Bool {
        if case .op(op) = tokens[index].kind { index += 1; return true }
        return false
    }

    mutating func expect(_ op: String, _ what: String) throws(MathExpression.ParseError) {
        guard accept(op) else { throw error("expected `\(op)` \(what); found \(describe(tokens[index]))") }
    }

    mutating func conditional() throws(MathExpression.ParseError) -> Node {
        let condition = try logicalOr()
        guard accept("?") else { return condition }
        let whenTrue = try conditional()
        try expect(":", "in `cond ? a : b`")
        let whenFalse = try conditional()
        return { s in condition(&s) != 0 ? whenTrue(&s) : whenFalse(&s) }
    }

    mutating func logicalOr() throws(MathExpression.ParseError) -> Node {
        var left = try logicalAnd()
        while accept("||") {
            let l = left, r = try logicalAnd()
            left = { s in (l(&s) != 0 || r(&s) != 0) ? 1 : 0 }
        }
        return left
    }

    mutating func logicalAnd() throws(MathExpression.ParseError) -> Node {
        var left = try comparison()
        while accept("&&") {
            let l = left, r = try comparison()
            left = { s in (l(&s) != 0 && r(&s) != 0) ? 1 : 0 }
        }
        return left
    }

    mutating func comparison() throws(MathExpression.ParseError) -> Node {
        let left = try additive()
        for op in ["<=", ">=", "==", "!=", "<", ">"] where accept(op) {
            let l = left, r = try additive()
            switch op {
            case "<=": return { s in l(&s) <= r(&s) ? 1 : 0 }
            case ">=": return { s in l(&s) >= r(&s) ? 1 : 0 }
            case "==": return { s in l(&s) == r(&s) ? 1 : 0 }
            case "!=": return { s in l(&s) != r(&s) ? 1 : 0 }
            case "<": return { s in l(&s) < r(&s) ? 1 : 0 }
            default: return { s in l(&s) > r(&s) ? 1 : 0 }
            }
        }
        return left
    }

    mutating func additive() throws(MathExpression.ParseError) -> Node {
        var left = try multiplicative()
        while true {
            if accept("+") { let l = left, r = try multiplicative(); left = { s in l(&s) + r(&s) } }
            else if accept("-") { let l = left, r = try multiplicative(); left = { s in l(&s) - r(&s) } }
            else { return left }
        }
    }

    mutating func multiplicative() throws(MathExpression.ParseError) -> Node {
        var left = try unaryMinus()
        while true {
            if accept("*") { let l = left, r = try unaryMinus(); left = { s in l(&s) * r(&s) } }
            else if accept("/") { let l = left, r = try unaryMinus(); left = { s in l(&s) / r(&s) } }
            else if accept("%") { let l = left, r = try unaryMinus(); left = { s in fmod(l(&s), r(&s)) } }
            else { return left }
        }
    }

    mutating func unaryMinus() throws(MathExpression.ParseError) -> Node {
        if accept("-") { let operand = try unaryMinus(); return { s in -operand(&s) } }
        if accept("+") { return try unaryMinus() }
        return try power()
    }

    mutating func power() throws(MathExpression.ParseError) -> Node {
        let base = try primary()
        guard accept("^") else { return base }
        let exponent = try unaryMinus()  // right-associative: 2^3^2 = 2^9
        return { s in pow(base(&s), exponent(&s)) }
    }

    mutating func primary() throws(MathExpression.ParseError) -> Node {
        let token = tokens[index]
        switch token.kind {
        case .number(let value):
            index += 1
            return { _ in value }
        case .op("("):
            index += 1
            let inner = try conditional()
            try expect(")", "to close `(`")
            return inner
        case .name(let name):
            index += 1
            if accept("(") { return try call(name, at: token.offset) }
            if let slot = slots.lastIndex(of: name) {
                if slot < globals { readGlobals.insert(slot) }
                slotReads += 1
                return { s in s[slot] }
            }
            if let value = MathExpression.constants[name] { return { _ in value } }
            let known = slots.filter { !$0.isEmpty } + Array(MathExpression.constants.keys)
            var message = "unknown name `\(name)`"
            if let match = nearestMatch(to: name, in: known) { message += "; did you mean `\(match)`?" }
            else { message += "; known names: \(known.sorted().joined(separator: ", "))" }
            throw error(message, at: token.offset)
        default:
            throw error("expected a number, a name or `(`; found \(describe(token))")
        }
    }

    mutating func arguments(_ name: String, count: Int, at offset: Int) throws(MathExpression.ParseError) -> [Node] {
        var nodes: [Node] = []
        if accept(")") {
            if count == 0 { return [] }
            throw error("`\(name)` takes \(count) argument\(count == 1 ? "" : "s"); found none", at: offset)
        }
        repeat { nodes.append(try conditional()) } while accept(",")
        try expect(")", "to close the arguments of `\(name)`")
        guard nodes.count == count else {
            throw error("`\(name)` takes \(count) argument\(count == 1 ? "" : "s"); found \(nodes.count)", at: offset)
        }
        return nodes
    }

    mutating func call(_ name: String, at offset: Int) throws(MathExpression.ParseError) -> Node {
        if let f = MathExpression.unary[name] {
            let a = try arguments(name, count: 1, at: offset)[0]
            return { s in f(a(&s)) }
        }
        if let f = MathExpression.binary[name] {
            let args = try arguments(name, count: 2, at: offset)
            let a = args[0], b = args[1]
            return { s in f(a(&s), b(&s)) }
        }
        if name == "pick" {
            // pick(i, v0, v1, ...): the value at whole index i; undefined outside the list.
            var nodes: [Node] = []
            repeat { nodes.append(try conditional()) } while accept(",")
            try expect(")", "to close the arguments of `pick`")
            guard nodes.count >= 2 else { throw error("`pick` takes an index and at least one value: pick(i, 3, 1, 2)", at: offset) }
            let index = nodes[0], values = Array(nodes.dropFirst())
            return { s in
                let i = index(&s).rounded()
                guard i >= 0, i < Double(values.count) else { return .nan }
                return values[Int(i)](&s)
            }
        }
        if name == "sum" {
            // sum(k, from, to, expr): k is a new variable visible only inside expr.
            guard case .name(let variable) = tokens[index].kind else {
                throw error("`sum` needs a variable name first: sum(k, 1, 10, expr)")
            }
            index += 1
            try expect(",", "after the variable of `sum`")
            let readsBefore = slotReads
            let from = try conditional()
            try expect(",", "after the lower bound of `sum`")
            let to = try conditional()
            try expect(",", "after the upper bound of `sum`")
            let limit = Double(MathExpression.maximumSumTerms)
            // Constant bounds give the exact count (checked now); others the most allowed.
            var terms = MathExpression.maximumSumTerms
            if slotReads == readsBefore {
                var none = [Double](repeating: 0, count: slots.count + 8)
                let lower = from(&none).rounded(), upper = to(&none).rounded()
                if lower.isFinite, upper.isFinite, upper - lower >= limit {
                    throw error("`sum` from \(Checked.display(lower)) to \(Checked.display(upper)) has \(Checked.display(upper - lower + 1)) terms; at most \(MathExpression.maximumSumTerms)", at: offset)
                }
                terms = lower.isFinite && upper.isFinite && upper >= lower ? Int(upper - lower) + 1 : 0
            }
            let slot = slots.count
            slots.append(variable)
            let termStart = cost
            let term = try conditional()
            extraCost += (cost - termStart) * max(0, terms - 1)
            slots.removeLast()
            guard cost <= MathExpression.maximumCost else {
                throw error("this `sum` would evaluate about \(Checked.display(Double(cost))) terms for one value; at most \(MathExpression.maximumCost) (nested sums multiply their terms)", at: offset)
            }
            try expect(")", "to close `sum`")
            return { s in
                let lower = from(&s).rounded(), upper = to(&s).rounded()
                guard lower.isFinite, upper.isFinite, upper >= lower else { return 0 }
                guard upper - lower < limit else { return .nan }
                while s.count <= slot { s.append(0) }
                var total = 0.0
                var k = lower
                while k <= upper {
                    s[slot] = k
                    total += term(&s)
                    k += 1
                }
                return total
            }
        }
        if let function = functions.last(where: { $0.name == name }) {
            return try expand(function, at: offset)
        }
        let known = Array(MathExpression.unary.keys) + Array(MathExpression.binary.keys) + ["sum", "pick"] + functions.map(\.name)
        var message = "unknown function `\(name)`"
        if let match = nearestMatch(to: name, in: known) { message += "; did you mean `\(match)`?" }
        throw error(message, at: offset)
    }

    /// Compiles a call of a scene function in place: arguments go into fresh slots above the
    /// caller's, and the body sees only the global variables and its own parameters.
    mutating func expand(_ function: MathExpression.Function, at offset: Int) throws(MathExpression.ParseError) -> Node {
        let count = function.parameters.count
        let args = try arguments(function.name, count: count, at: offset)
        let base = slots.count
        let visible = Array(slots.prefix(globals)) + Array(repeating: "", count: base - globals) + function.parameters
        let earlier = Array(functions.prefix { $0.name != function.name })
        var inner = ExpressionParser(source: function.body, slots: visible, globals: globals, functions: earlier, budget: budget)
        let body: Node
        do {
            body = try inner.parseAll()
        } catch {
            throw self.error("in `\(function.name)`: \(error.message)", at: offset)
        }
        readGlobals.formUnion(inner.readGlobals)
        slotReads += inner.slotReads
        extraCost += inner.cost
        guard cost <= MathExpression.maximumCost else {
            throw self.error("calling `\(function.name)` would evaluate about \(Checked.display(Double(cost))) terms for one value; at most \(MathExpression.maximumCost) (nested sums multiply their terms)", at: offset)
        }
        switch count {
        case 0:
            return body
        case 1:
            let a = args[0]
            return { s in
                let v = a(&s)
                while s.count <= base { s.append(0) }
                s[base] = v
                return body(&s)
            }
        case 2:
            let a = args[0], b = args[1]
            return { s in
                let v = a(&s), w = b(&s)
                while s.count <= base + 1 { s.append(0) }
                s[base] = v
                s[base + 1] = w
                return body(&s)
            }
        default:
            return { s in
                let values = args.map { $0(&s) }
                while s.count < base + count { s.append(0) }
                for (i, v) in values.enumerated() { s[base + i] = v }
                return body(&s)
            }
        }
    }
}
