import Foundation

/// The one way a `Double` becomes an integer, a pixel count or a size in c2v. Swift's `Int(_:)`
/// traps on NaN, infinity and anything past ±9.2e18, and a scene's numbers come from people and
/// LLMs, so no conversion may use it directly.
public enum Checked {
    /// `value` rounded toward zero and clamped into `range`; NaN gives the lower bound. For
    /// quantities derived from already checked numbers (segment counts, measures in messages).
    public static func int(_ value: Double, clampedTo range: ClosedRange<Int> = -(1 << 52)...(1 << 52)) -> Int {
        guard !value.isNaN else { return range.lowerBound }
        if value <= Double(range.lowerBound) { return range.lowerBound }
        if value >= Double(range.upperBound) { return range.upperBound }
        return Int(value)
    }

    /// `value` when it is a whole number in `range`; otherwise an error at `location` saying
    /// what was expected.
    public static func wholeNumber(_ value: Double, in range: ClosedRange<Int>, what: String,
                                   at location: SourceLocation?) throws(C2VError) -> Int {
        guard value.isFinite, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw C2VError(.invalidInput, "\(what) is \(display(value)); expected a whole number from \(range.lowerBound) to \(range.upperBound)",
                           at: location)
        }
        guard value == value.rounded() else {
            throw C2VError(.invalidInput, "\(what) is \(display(value)); expected a whole number", at: location)
        }
        return Int(value)
    }

    /// A range for messages: `a number from 0 to 100000`, `at most 1e+09 in size`.
    public static func describe(_ range: ClosedRange<Double>) -> String {
        if range.lowerBound == -range.upperBound { return "a number between -\(display(range.upperBound)) and \(display(range.upperBound))" }
        return "a number from \(display(range.lowerBound)) to \(display(range.upperBound))"
    }

    /// A number as messages show it: whole numbers without decimals at any size, others with
    /// up to 4 significant digits; never traps.
    public static func display(_ value: Double) -> String {
        let value = value == 0 ? 0 : value  // no "-0"
        if value.isNaN { return "undefined" }
        if value.isInfinite { return value > 0 ? "infinity" : "-infinity" }
        if abs(value) >= 1e15 { return String(format: "%.3g", value) }
        if value == value.rounded() { return String(format: "%.0f", value) }
        return String(format: "%.4g", value)
    }
}
