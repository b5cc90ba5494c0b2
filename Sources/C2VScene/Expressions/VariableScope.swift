/// The variables one expression may read, and the slot each has.
///
/// Slots go in one order everywhere: the clock (`t`, `progress`) unless the value is fixed when
/// the scene is read, then the scene's params, then the object's `repeat` variables (sorted by
/// name), then the kind's locals (`x` of a graph, `s` of a parametric curve). The parser checks an
/// expression and the evaluator draws it through the same scope, so a value can never be read
/// from the wrong slot.
public struct VariableScope: Sendable, Hashable {
    /// Seconds since the section started, and the same as a fraction of the section (0...1).
    public static let clock = ["t", "progress"]

    /// Whether `t` and `progress` are readable (false for values fixed when the scene is read).
    public let timed: Bool
    public let params: [String]
    /// `repeat` variables, sorted.
    public let bindings: [String]
    public let locals: [String]

    public init(timed: Bool = true, params: [String], bindings: some Sequence<String> = [String](), locals: [String] = []) {
        self.timed = timed
        self.params = params
        self.bindings = bindings.sorted()
        self.locals = locals
    }

    /// Every name, in slot order.
    public var names: [String] { (timed ? Self.clock : []) + params + bindings + locals }

    /// The slot of local `name`.
    public func slot(ofLocal name: String) -> Int {
        guard let i = locals.firstIndex(of: name) else { preconditionFailure("`\(name)` is not a local of this scope") }
        return (timed ? Self.clock.count : 0) + params.count + bindings.count + i
    }

    /// Slot values: the clock at `time`, the params' and bindings' values, locals at 0.
    public func slots(time: Double = 0, progress: Double = 0, params values: [Double], bindings: [String: Double]) -> [Double] {
        var s: [Double] = []
        s.reserveCapacity(names.count)
        if timed { s += [time, progress] }
        s += values
        for name in self.bindings { s.append(bindings[name] ?? 0) }
        s += [Double](repeating: 0, count: locals.count)
        return s
    }

    /// What a compiled expression is shared under: the same text in the same scope compiles alike.
    func key(_ source: String) -> String { names.joined(separator: ",") + "\u{0}" + source }
}
