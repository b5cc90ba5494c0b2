import Foundation
import Testing
import C2VTestSupport
@testable import C2VScene

/// Random expression trees with huge, tiny and undefined values: the compiled expression agrees
/// with the tree's meaning wherever the tree is accepted, and compiling never traps.
@Suite struct ExpressionFuzzTests {
    @Test("3000 random trees agree with their reference values")
    func randomTrees() throws {
        var refused = 0
        for i in 0..<3000 {
            var g = SeededGenerator(seed: 7, case: i)
            let tree = ExpressionTree.random(depth: Int.random(in: 1...6, using: &g), using: &g)
            guard let compiled = try? MathExpression(tree.description, variables: ["x"]) else { refused += 1; continue }
            for x in [0.0, 1, -2.5, 1e300, -1e-320, .infinity] {
                let got = compiled.evaluate(x), want = tree.value(x: x)
                #expect(ExpressionTree.agree(got, want), "case \(i): \(tree) at x = \(x): got \(got), expected \(want)")
            }
        }
        // Only sums too costly to compile are refused.
        #expect(refused < 300, "refused \(refused)")
    }
}
